package io.ganflow.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every toy experiment's --quick form runs to the end through the real training stack; its verdict is asserted
 * where the quick scale can show the effect, and the closed forms are checked exactly.
 */
class ToyExperimentsTest {
    @TempDir
    Path tmp;

    ExperimentRunner.Outcome quick(String name) {
        Experiment e = Experiments.registry().get(name);
        ExperimentRunner.Outcome o = ExperimentRunner.run(name, e, Scale.QUICK, 1, 0, tmp.resolve(name), Progress.NONE,
                FigureWriter.NONE, w -> { }, "test");
        System.out.println(name + " (quick): " + o.verdict().word() + " | " + o.verdict().headline());
        assertTrue(o.table().conditions().size() > 0, name + " measured nothing");
        return o;
    }

    static double num(ExperimentRunner.Outcome o, String key) {
        return ((Number) o.verdict().numbers().get(key)).doubleValue();
    }

    @Test
    void registryNamesEveryExperimentOfTheIssue() {
        assertTrue(Experiments.registry().names().containsAll(List.of("js-saturation", "vanishing-gradient",
                "optimal-discriminator", "mnist-collapse", "stacked-mnist-modes", "critic-tracks-quality",
                "architecture-robustness", "gp0-vs-gp1", "monoflow-h", "particle-steps", "reflow-straightens",
                "instance-noise", "reflow-to-wgan", "ddpm-is-score", "sde-vs-ode", "nll-vs-truth",
                "w-bound-score-matching", "zero-centred-converges", "three-families", "ddim-fewer-steps",
                "stacked-mnist-leaderboard")),
                Experiments.registry().names().toString());
    }

    /** JS of disjoint uniforms and segments is ln 2 exactly; W1 = |θ| exactly; the estimates follow. */
    @Test
    void jsSaturation() {
        ExperimentRunner.Outcome o = quick("js-saturation");
        assertTrue(o.verdict().holds(), o.verdict().numbers().toString());
        assertTrue(num(o, "max_abs_js_exact_minus_closed_form") <= 1e-12);
        assertTrue(num(o, "max_abs_w1_exact_minus_theta") <= 1e-12);
        for (ResultTable.Condition c : o.table().conditions()) {
            double th = Double.parseDouble(c.label("theta"));
            boolean disjoint = c.label("data").equals("uniforms") ? th >= 1 : th != 0;
            if (disjoint) {
                assertEquals(Math.log(2), c.mean("js_exact"), 1e-12, c.labels().toString());
            }
        }
    }

    @Test
    void optimalDiscriminator() {
        ExperimentRunner.Outcome o = quick("optimal-discriminator");
        assertTrue(o.verdict().holds(), o.verdict().numbers().toString());
        for (ResultTable.Condition c : o.table().conditions()) {
            assertTrue(c.mean("js_exact") > 0 && c.mean("js_exact") < Math.log(2), "0 < JS < ln 2 for overlapping Gaussians");
        }
    }

    @Test
    void vanishingGradient() {
        ExperimentRunner.Outcome o = quick("vanishing-gradient");
        assertTrue(o.verdict().holds(), o.verdict().numbers().toString());
    }

    @Test
    void particleSteps() {
        ExperimentRunner.Outcome o = quick("particle-steps");
        assertTrue(o.verdict().holds(), o.verdict().numbers().toString());
    }

    /** Identities to float64 rounding even at the quick scale; the training part needs the full one. */
    @Test
    void reflowToWgan() {
        ExperimentRunner.Outcome o = quick("reflow-to-wgan");
        assertTrue(num(o, "critic_loss_rel_error_max") <= 1e-10, o.verdict().numbers().toString());
        assertTrue(num(o, "generator_grad_rel_error_max") <= 1e-10, o.verdict().numbers().toString());
    }

    /** Reflow cuts straightness by more than 10× even with 600 steps a stage. */
    @Test
    void reflowStraightens() {
        ExperimentRunner.Outcome o = quick("reflow-straightens");
        assertTrue(num(o, "straightness_2rf") <= num(o, "straightness_1rf") / 10, o.verdict().numbers().toString());
    }

    /** These need the full scale for a verdict; at the quick one they must run to the end with every number. */
    @Test
    void monoflowGp0InstanceNoiseRunToTheEnd() {
        for (String name : List.of("monoflow-h", "gp0-vs-gp1", "instance-noise")) {
            ExperimentRunner.Outcome o = quick(name);
            for (Map.Entry<String, Object> e : o.verdict().numbers().entrySet()) {
                if (e.getValue() instanceof Number n) {
                    assertTrue(Double.isFinite(n.doubleValue()), name + ": " + e.getKey() + " = " + n);
                }
            }
        }
    }

    /**
     * The diffusion experiments' quick forms finish with finite numbers; the ODE's round trip is a property of the
     * solver, not of training, so it holds at the quick scale too, the likelihood stays above the entropy, and W2
     * stays below its score-matching bound.
     */
    @Test
    void diffusionExperimentsRunQuick() {
        ExperimentRunner.Outcome o = quick("ddpm-is-score");
        assertTrue(Double.isFinite(num(o, "ddpm_eps_net_mean_rel_error")), o.verdict().numbers().toString());
        o = quick("sde-vs-ode");
        assertTrue(num(o, "round_trip_mean_error") <= 1e-3 && num(o, "round_trip_max_error") <= 1e-2,
                o.verdict().numbers().toString());
        assertTrue(Double.isFinite(num(o, "w1_sde_ode")), o.verdict().numbers().toString());
        o = quick("nll-vs-truth");
        assertTrue(num(o, "ring8-edm_gap") > 0 && num(o, "grid25-ddpm_gap") > 0, o.verdict().numbers().toString());
        o = quick("w-bound-score-matching");
        assertTrue(num(o, "w2_first") <= num(o, "bound_first") && num(o, "w2_last") <= num(o, "bound_last")
                && num(o, "coupling_last") <= num(o, "bound_last"), o.verdict().numbers().toString());
    }

    /**
     * The three families' quick form trains each grid25 preset briefly and samples every series at every NFE of its
     * grid: one generator row, two flow rows, four DDPM rows (two samplers), three training rows, all measured.
     */
    @Test
    void threeFamiliesRunsQuick() {
        ExperimentRunner.Outcome o = quick("three-families");
        assertEquals(10, o.table().conditions().size(), o.table().conditions().toString());
        for (String k : List.of("w1_gan", "w1_rf_nfe1", "w1_ddim_nfe1", "w1_dpmpp2m_best")) {
            assertTrue(num(o, k) > 0 && Double.isFinite(num(o, k)), o.verdict().numbers().toString());
        }
    }

    /** The zero-centred comparison's quick form finishes with finite numbers for every loss on both toys. */
    @Test
    void zeroCentredConvergesRunsQuick() {
        ExperimentRunner.Outcome o = quick("zero-centred-converges");
        for (String toy : List.of("ring8", "grid25")) {
            assertTrue(Double.isFinite(num(o, toy + "_rpgan_w1")) && Double.isFinite(num(o, toy + "_nsgan_d_loss_std")),
                    o.verdict().numbers().toString());
        }
    }
}
