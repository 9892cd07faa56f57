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
