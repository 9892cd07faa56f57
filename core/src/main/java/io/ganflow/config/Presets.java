package io.ganflow.config;

import io.ganflow.BadInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The built-in presets. {@link #DEFAULT} is what {@code ganflow train} runs with no arguments. */
public final class Presets {
    public static final String DEFAULT = "ring8-wgan-gp";

    private static final Map<String, Preset> ALL = new LinkedHashMap<>();

    static {
        // Shared by the toy presets: 128x3 MLPs, batch 256, learning rates decayed linearly to 0. Tuned on the
        // reference machine (docs/presets.md has the runs behind each choice).
        Map<String, String> toy = Map.of(
                "model.g.width", "128", "model.g.depth", "3",
                "model.d.width", "128", "model.d.depth", "3",
                "train.batch", "256", "train.lr_schedule", "linear");

        add("ring8-wgan-gp", "WGAN-GP on 8 Gaussians (ring, radius 2, std 0.02); lambda 0.1 as in the WGAN-GP toy script",
                toy, Map.of(
                        "data.name", "ring8", "gan.objective", "wasserstein", "gan.n_critic", "5",
                        "gan.gp.weight", "0.1", "gan.gp.center", "1",
                        "opt.g.lr", "5e-4", "opt.d.lr", "5e-4", "train.steps", "6000"));
        add("ring8-gan", "minimax GAN with the saturating generator loss (SPEC A1) on 8 Gaussians",
                toy, Map.of(
                        "data.name", "ring8", "gan.objective", "minimax", "gan.n_critic", "1",
                        "opt.g.lr", "2e-4", "opt.d.lr", "2e-4", "opt.g.beta2", "0.999", "opt.d.beta2", "0.999",
                        "train.steps", "10000"));
        add("ring8-nsgan", "non-saturating GAN (SPEC A2) on 8 Gaussians",
                toy, Map.of(
                        "data.name", "ring8", "gan.objective", "nonsaturating", "gan.n_critic", "1",
                        "opt.g.lr", "2e-4", "opt.d.lr", "2e-4", "opt.g.beta2", "0.999", "opt.d.beta2", "0.999",
                        "train.steps", "10000"));
        add("ring8-wgan-clip", "WGAN with weight clipping c=0.01, RMSProp 5e-5, 5 critic steps (SPEC A4)",
                toy, Map.of(
                        "data.name", "ring8", "gan.objective", "wasserstein", "gan.n_critic", "5", "gan.clip", "0.01",
                        "opt.g.name", "rmsprop", "opt.d.name", "rmsprop", "opt.g.lr", "5e-5", "opt.d.lr", "5e-5",
                        "train.steps", "10000"));
        // The rest of the adversarial catalogue (SPEC A3, A7, A8, A9): small 64x2 MLPs, one critic step per
        // generator step, Adam 2e-3 with betas (0.5, 0.9), R1 0.1 on the critic. With these settings every
        // objective and every MonoFlow h covers the ring for seeds 0 and 1 (docs/objectives.md).
        Map<String, String> adv = new java.util.HashMap<>(Map.of(
                "data.name", "ring8", "model.g.width", "64", "model.g.depth", "2",
                "model.d.width", "64", "model.d.depth", "2", "train.batch", "256", "train.lr_schedule", "linear",
                "gan.n_critic", "1", "train.steps", "4000"));
        adv.putAll(Map.of("opt.g.lr", "2e-3", "opt.d.lr", "2e-3", "opt.g.beta2", "0.9", "opt.d.beta2", "0.9",
                "gan.r1.weight", "0.1"));
        add("ring8-hinge", "hinge loss (SPEC A9; Lim & Ye 2017, Miyato et al. 2018) on 8 Gaussians, R1 0.1",
                adv, Map.of("gan.objective", "hinge"));
        add("ring8-lsgan", "least-squares GAN (SPEC A9; Mao et al. 2017, a=0, b=c=1) on 8 Gaussians, R1 0.1",
                adv, Map.of("gan.objective", "least_squares"));
        String[][] hs = {{"logit", "logit", "h(d) = d: G follows grad log p/q (SPEC A7)"},
            {"logsig", "log_sigmoid", "h = log sigmoid, the non-saturating loss as a MonoFlow"},
            {"softplus", "softplus", "h = softplus, the saturating minimax loss as a MonoFlow"},
            {"arcsinh", "arcsinh", "h = arcsinh, logarithmic growth both ways"},
            {"exp", "exp", "h = exp(kappa d), kappa 1"}};
        for (String[] h : hs) {
            add("ring8-monoflow-" + h[0], "MonoFlow generator loss -E h(D(G(z))), " + h[2] + ", on 8 Gaussians, R1 0.1",
                    adv, Map.of("gan.objective", "monoflow", "gan.monoflow.h", h[1]));
        }
        String[][] fs = {{"kl", "kl", "KL(p||q)"}, {"rkl", "reverse_kl", "reverse KL(q||p)"},
            {"js", "js", "Jensen-Shannon (in [0, ln 2])"}, {"tv", "tv", "total variation"},
            {"pearson", "pearson", "Pearson chi-squared"}, {"hellinger", "hellinger", "squared Hellinger"}};
        for (String[] f : fs) {
            Map<String, String> extra = new java.util.HashMap<>(Map.of("gan.objective", "fgan", "gan.fgan.divergence", f[1]));
            if (f[1].equals("pearson")) {
                extra.put("gan.r1.weight", "1"); // the identity output activation needs the stronger penalty
            }
            add("ring8-fgan-" + f[0], "f-GAN (SPEC A8; Nowozin et al. 2016) minimising " + f[2] + " on 8 Gaussians, R1 "
                    + extra.getOrDefault("gan.r1.weight", "0.1"), adv, extra);
        }
        // Rectified flow (SPEC C): a 128x3 SiLU velocity net with a sinusoidal time embedding, Adam 3e-3 with
        // betas (0.9, 0.999), batch 256; sampled with RK4, 25 steps (NFE 100).
        Map<String, String> rf = new java.util.HashMap<>(Map.of("method", "rf", "model.v.width", "128",
                "model.v.depth", "3", "opt.d.lr", "3e-3", "opt.d.beta1", "0.9", "opt.d.beta2", "0.999",
                "train.batch", "256", "train.lr_schedule", "linear", "train.steps", "8000"));
        add("ring8-rf", "rectified flow N(0, I) -> 8 Gaussians (SPEC C1), RK4 sampler", rf, Map.of("data.name", "ring8"));
        add("moons-rf", "rectified flow N(0, I) -> two moons", rf, Map.of("data.name", "moons"));
        add("grid25-rf", "rectified flow N(0, I) -> 25 Gaussians", rf, Map.of("data.name", "grid25", "train.steps", "12000"));
        add("ring8-reflow", "1-RF, then 2-RF on 10,000 RK45 couplings, then distillation to one step (SPEC C4-C5);"
                + " 8000 steps each, constant lr 1e-3", rf, Map.of("data.name", "ring8", "flow.reflow.rounds", "1",
                "flow.distill", "true", "opt.d.lr", "1e-3", "train.lr_schedule", "constant", "train.steps", "24000"));
        // The bridge methods (SPEC D) share the small adversarial settings above.
        add("ring8-particle", "D1: particle step x + eps grad D(x) (D a logistic critic, h = identity), then K = 1"
                + " generator regression; R1 0.1", adv, Map.of("method", "particle", "gan.objective", "minimax"));
        add("ring8-reflow-gan", "D2: ReFlow-GAN, v trained by C1 from g(z); g regresses onto g(z) + eps (T(g(z)) - g(z)),"
                + " eps 0.2, K 5", adv, Map.of("method", "reflow_gan", "model.v.width", "64", "model.v.depth", "2",
                "particle.eps", "0.2", "particle.k", "5", "gan.r1.weight", "0"));
        add("ring8-gradient-field", "D3: v = grad D in its exact form, E[1/2 |grad D(x_t)|^2 - <grad D(x_t), x1 - x0>]",
                adv, Map.of("method", "gradient_field", "particle.form", "exact", "gan.r1.weight", "0"));
        add("ring8-gradient-field-approx", "D3 approximated: the WGAN critic loss plus the zero-centred penalty at"
                + " interpolates", adv, Map.of("method", "gradient_field", "particle.form", "approx", "gan.r1.weight", "0"));
        add("grid25-wgan-gp", "WGAN-GP on 25 Gaussians (grid {-4..4}^2, std 0.05)",
                toy, Map.of(
                        "data.name", "grid25", "gan.objective", "wasserstein", "gan.n_critic", "5",
                        "gan.gp.weight", "0.1", "gan.gp.center", "1",
                        "opt.g.lr", "1e-3", "opt.d.lr", "1e-3", "train.steps", "10000"));
        add("grid25-wgan-gp0", "WGAN with the zero-centred gradient penalty (SPEC A6) on 25 Gaussians",
                toy, Map.of(
                        "data.name", "grid25", "gan.objective", "wasserstein", "gan.n_critic", "5",
                        "gan.gp.weight", "0.1", "gan.gp.center", "0",
                        "opt.g.lr", "1e-3", "opt.d.lr", "1e-3", "train.steps", "10000"));
    }

    private Presets() {}

    @SafeVarargs
    private static void add(String name, String description, Map<String, String>... parts) {
        Map<String, String> v = new LinkedHashMap<>();
        for (Map<String, String> p : parts) {
            v.putAll(p);
        }
        ALL.put(name, new Preset(name, description, v));
    }

    public static List<Preset> all() {
        return new ArrayList<>(ALL.values());
    }

    public static Optional<Preset> find(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    public static Preset get(String name) {
        return find(name).orElseThrow(() -> new BadInputException("unknown preset '" + name + "'; allowed: "
                + String.join(", ", ALL.keySet())));
    }
}
