package io.ganflow.experiment.builtin;

import io.ganflow.Registry;
import io.ganflow.experiment.Experiment;
import io.ganflow.experiment.ExperimentPlugin;

/**
 * Registers the built-in experiments: the documents' claims, toy ones first, then image ones. Found through
 * {@code META-INF/services/io.ganflow.experiment.ExperimentPlugin} like any user's experiments.
 */
public final class BuiltInExperiments implements ExperimentPlugin {
    @Override
    public void register(Registry<Experiment> r) {
        r.register("js-saturation", "JS = ln 2 for every disjoint shift while W1 = |θ|", new JsSaturation());
        r.register("vanishing-gradient", "the saturating loss's generator gradient vanishes as D nears optimal",
                new VanishingGradient());
        r.register("optimal-discriminator", "trained D against p/(p+q); objective = 2 JS − 2 ln 2",
                new OptimalDiscriminator());
        r.register("gp0-vs-gp1", "the zero-centred penalty trains as well as WGAN-GP's one-centred one", new Gp0VsGp1());
        r.register("monoflow-h", "every increasing h of MonoFlow trains the ring", new MonoflowH());
        r.register("particle-steps", "K > 1 particle steps with regression are stable, K steps of −D are not",
                new ParticleSteps());
        r.register("reflow-straightens", "reflow straightens paths; a distilled one-step model keeps quality",
                new ReflowStraightens());
        r.register("instance-noise", "instance noise rescues a near-optimal discriminator on disjoint supports",
                new InstanceNoise());
        r.register("reflow-to-wgan", "rectified flow with v = ∇D is WGAN with the zero-centred penalty", new ReflowToWgan());
        r.register("ddpm-is-score", "a trained DDPM ε-net read as −ε/σ and a trained score net give the exact score",
                new DdpmIsScore());
        r.register("sde-vs-ode", "one score model's reverse SDE and probability-flow ODE sample alike; the ODE inverts",
                new SdeVsOde());
        r.register("nll-vs-truth", "the probability-flow ODE likelihood lies just above the mixture's true entropy",
                new NllVsTruth());
        r.register("w-bound-score-matching", "W2 of a score model's samples stays below its score-matching bound",
                new WBoundScoreMatching());
        r.register("three-families", "WGAN-GP, rectified flow and DDPM on grid25: quality against CPU time and NFE",
                new ThreeFamilies());
        r.register("zero-centred-converges", "RpGAN + R1 + R2 against NS-GAN, NS-GAN + R1 and WGAN-GP on the toys",
                new ZeroCentredConverges());
        r.register("mnist-collapse", "a standard GAN collapses on MNIST, WGAN-GP with the same nets covers 10/10",
                new MnistCollapse());
        r.register("conditioning-cures-collapse", "the collapsing MNIST MLP GAN, asked for each class, covers 10/10",
                new ConditioningCuresCollapse());
        r.register("projection-vs-acgan-vs-concat", "three conditional critics, one generator, on Fashion-MNIST",
                new ProjectionVsAcganVsConcat());
        r.register("guidance-tradeoff", "classifier-free guidance on Fashion-MNIST: accuracy rises with w, FID is"
                + " lowest at a moderate w", new GuidanceTradeoff());
        r.register("stacked-mnist-modes", "modes of Stacked MNIST's 1,000: NS-GAN, WGAN-GP, ganflow's particle method",
                new StackedMnistModes());
        r.register("stacked-mnist-leaderboard", "ganflow's GAN recipes on Stacked MNIST under PacGAN's protocol, beside"
                + " the published table", new StackedMnistLeaderboard());
        r.register("critic-tracks-quality", "the WGAN critic's W estimate tracks FID over training, D's loss does not",
                new CriticTracksQuality());
        r.register("architecture-robustness", "WGAN-GP survives an MLP generator without batch norm, the GAN does not",
                new ArchitectureRobustness());
        r.register("gp0-vs-gp1-fmnist", "the zero-centred penalty trains as well as the one-centred one on Fashion-MNIST",
                new Gp0VsGp1Fmnist());
        r.register("monoflow-h-fmnist", "every increasing h of MonoFlow trains DCGAN nets on Fashion-MNIST",
                new MonoflowHFmnist());
        r.register("reflow-straightens-fmnist", "reflow straightens a U-Net flow on Fashion-MNIST; one-step FID by stage",
                new ReflowStraightensFmnist());
        r.register("ddim-fewer-steps", "DDIM at η = 0 keeps a DDPM's FID at few steps where ancestral sampling degrades",
                new DdimFewerSteps());
    }
}
