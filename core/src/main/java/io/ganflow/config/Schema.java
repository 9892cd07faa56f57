package io.ganflow.config;

import io.ganflow.Registry;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Init;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every configuration key ganflow knows, with its type, default, range and meaning. A key not listed here
 * is a typo and fails at start, with the nearest known key suggested.
 */
public final class Schema {
    private final Map<String, ConfigKey> keys;

    private static Schema current;
    private static long currentGeneration = -1;

    /**
     * The schema of every key. Keys whose values name a registered data set, net, method or objective take
     * their choices from {@link Registries}, so the schema is rebuilt when a registry changes.
     */
    public static synchronized Schema standard() {
        Registries.loadPlugins();
        long g = io.ganflow.Registry.generation();
        if (current == null || g != currentGeneration) {
            current = buildDefault();
            currentGeneration = g;
        }
        return current;
    }

    public Collection<ConfigKey> keys() {
        return Collections.unmodifiableCollection(keys.values());
    }

    public Optional<ConfigKey> get(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    /** The known key nearest to {@code name} by edit distance, if any is reasonably close. */
    public Optional<String> suggest(String name) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : keys.keySet()) {
            int d = editDistance(name, k);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        if (best != null && bestD <= Math.max(2, name.length() / 3)) {
            return Optional.of(best);
        }
        return Optional.empty();
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private Schema(Keys k) {
        keys = k.asMap();
    }

    // ---- definition ---------------------------------------------------------------------------------

    /**
     * The shared keys (the method, data, the generator's and critic's nets, optimisers, the loop, evaluation,
     * alarms, logging) and, between the nets and the optimisers, every registered {@link Family}'s own keys.
     */
    private static Schema buildDefault() {
        Keys s = new Keys();
        s.choice("method", "gan", Registries.METHODS.names(), "the training algorithm: gan; rf (rectified flow, SPEC C); particle,"
                + " reflow_gan, gradient_field (a generator trained as a particle flow, SPEC D)");

        s.choice("data.name", "ring8", Registries.DATASETS.names(), "the training data: a built-in toy set; csv or idx"
                + " with data.path; fashion-mnist, mnist, stacked-mnist; images (a folder); see docs/data.md");
        s.add("data.path", KeyType.STRING, "", "the file for csv / idx (IDX may be .gz), the folder for images, or the"
                + " IDX directory for fashion-mnist / mnist / stacked-mnist (empty: their default directory)");
        s.add("data.standardize", KeyType.BOOL, "true", "csv: train on per-column standardised values (images are"
                + " always scaled to [-1, 1])");
        s.number("data.holdout", KeyType.DOUBLE, "0.1", 0.0, false, 0.9, false,
                "csv, idx without data.test_path, images: fraction held out for evaluation (split by train.seed)");
        s.number("data.label", KeyType.INT, "-1", -1.0, false, null, false,
                "labelled images (idx with data.labels, fashion-mnist, mnist, stacked-mnist, images with class"
                + " folders): keep only this class; -1 keeps all");
        s.add("data.label_column", KeyType.STRING, "", "csv: the column (by its header name) that holds each row's class,"
                + " whole numbers 0..K-1; the other columns are the data (empty: no labels)");
        s.add("data.labels", KeyType.STRING, "", "idx: the labels file of data.path (optional; needed by data.label)");
        s.add("data.test_path", KeyType.STRING, "", "idx: a test images file held out for evaluation (empty: hold out"
                + " data.holdout of data.path)");
        s.add("data.test_labels", KeyType.STRING, "", "idx: the labels file of data.test_path");
        s.add("data.flatten", KeyType.BOOL, "false", "image data: samples as C*H*W vectors instead of [C, H, W] images");
        s.number("data.pad", KeyType.INT, "0", 0.0, false, 4096.0, false,
                "image data: pad with black to this square size, centred (e.g. 32 for 28x28 digits; 0: no padding)");
        s.number("data.size", KeyType.INT, "64", 1.0, false, 4096.0, false,
                "images: side of the square images (shorter side resized to it, then centre-cropped)");
        s.choice("data.channels", "3", List.of("1", "3"), "images: 1 (grey) or 3 (RGB)");
        s.add("data.cache_dir", KeyType.STRING, "", "images: where decoded folders are cached (empty:"
                + " ~/.cache/ganflow/images; none: no cache)");
        s.number("data.stacked.count", KeyType.INT, "50000", 1.0, false, 1e8, false,
                "stacked-mnist: training images, each three digits drawn from the mnist training split");
        s.number("data.stacked.test_count", KeyType.INT, "10000", 1.0, false, 1e8, false,
                "stacked-mnist: test images, each three digits drawn from the mnist test split");
        s.number("data.stacked.seed", KeyType.LONG, "0", null, false, null, false,
                "stacked-mnist: seed of the digit triples (fixed data, independent of train.seed)");

        s.number("model.z_dim", KeyType.INT, "2", 1.0, false, 4096.0, false, "latent dimension of the generator's input");
        s.choice("model.condition", "none", List.of("none", "concat", "embed"), "class-conditional generation on a"
                + " labelled data set: none; concat (method gan: the one-hot class concatenated to the generator's z and"
                + " to the critic's input); embed (method rf: a learned class embedding added to the time embedding, with"
                + " classifier-free guidance); flat samples; docs/conditional.md");
        s.choice("model.d.condition", "concat", List.of("concat", "projection", "acgan"), "method gan with"
                + " model.condition=concat: how the critic takes the class: concat (one-hot beside the input; mlp"
                + " critics), projection (Miyato & Koyama 2018: psi(phi(x)) + <E_y, phi(x)>, any critic net), acgan (an"
                + " auxiliary classifier head, Odena et al. 2017, weighted by gan.acgan.weight)");
        s.choice("model.g.condition", "input", List.of("input", "batchnorm"), "method gan with model.condition=concat:"
                + " how the generator takes the class: input (beside z: one-hot, or an embedding of model.g.label_dim);"
                + " batchnorm (conditional batch norm, a class gain and shift after each batch norm; model.g.kind=dcgan or resnet)");
        s.number("model.g.label_dim", KeyType.INT, "0", 0.0, false, 4096.0, false, "method gan with model.condition="
                + "concat: the generator takes the class as a learned N(0, 1) embedding of this width concatenated to z"
                + " (0: a one-hot vector)");
        s.number("model.d.features", KeyType.INT, "0", 0.0, false, 65536.0, false, "model.d.condition=projection:"
                + " the width F of the features phi(x), the critic net's last layer (0: model.d.width)");
        for (String m : List.of("g", "d")) {
            String who = m.equals("g") ? "generator" : "critic";
            s.choice("model." + m + ".kind", "mlp", Registries.NETS.names(), who + " network (a registered net)");
            s.add("model." + m + ".init_from", KeyType.STRING, "", who + ": start from the weights of a safetensors file"
                    + " (PyTorch state_dict names, as ganflow export writes them); empty: fresh initialisation");
            s.number("model." + m + ".width", KeyType.INT, "256", 1.0, false, 65536.0, false, who
                    + " hidden width (mlp); base channel count (dcgan, e.g. 64; resnet, e.g. 128)");
            s.number("model." + m + ".depth", KeyType.INT, "3", 0.0, false, 64.0, false, who + " hidden layers");
            s.choice("model." + m + ".activation", "relu", Arrays.asList(Activation.keys()), who + " hidden activation");
            s.choice("model." + m + ".init", "torch", Arrays.asList(Init.keys()), who + " weight initialisation");
            s.add("model." + m + ".spectral_norm", KeyType.STRING, "none",
                    who + " layers to spectrally normalise: none, all, or indices like 0,1,3 (mlp: the output layer"
                            + " is depth; dcgan: weight layers in order; resnet: none or all)");
        }
        s.number("model.d.minibatch.kernels", KeyType.INT, "0", 0.0, false, 1024.0, false,
                "minibatch discrimination kernels before the critic's output layer (0: off)");
        s.number("model.d.minibatch.dim", KeyType.INT, "5", 1.0, false, 1024.0, false,
                "dimension of each minibatch-discrimination kernel");
        s.number("model.g.vbn", KeyType.INT, "0", 0.0, false, 100000.0, false,
                "virtual batch norm in the generator: reference batch size (0: off)");
        s.add("model.g.bn", KeyType.BOOL, "false", "mlp generator: batch norm of every hidden layer (running statistics"
                + " when sampling); dcgan and resnet generators always have it");
        s.choice("model.d.norm", "layer", io.ganflow.nn.Norm.keys(), "dcgan / resnet critic: normalisation of the conv"
                + " blocks: batch (DCGAN's; not with a gradient penalty), layer (over [C, H, W]), none");

        for (Registry.Entry<Family> f : Registries.FAMILIES.entries()) {
            f.factory().keys(s);
        }

        for (String m : List.of("g", "d")) {
            String who = m.equals("g") ? "generator" : "critic (or velocity net, for rf and reflow_gan)";
            String p = "opt." + m + ".";
            s.choice(p + "name", "adam", List.of("adam", "rmsprop", "sgd"), who + " optimiser");
            s.number(p + "lr", KeyType.DOUBLE, "1e-4", 0.0, true, 10.0, false, who + " learning rate");
            s.number(p + "beta1", KeyType.DOUBLE, "0.5", 0.0, false, 1.0, true, who + " Adam beta1");
            s.number(p + "beta2", KeyType.DOUBLE, "0.9", 0.0, false, 1.0, true, who + " Adam beta2");
            s.number(p + "eps", KeyType.DOUBLE, "1e-8", 0.0, true, 1.0, false, who + " Adam/RMSProp epsilon");
            s.number(p + "weight_decay", KeyType.DOUBLE, "0", 0.0, false, null, false, who + " L2 weight decay");
            s.number(p + "momentum", KeyType.DOUBLE, "0", 0.0, false, 1.0, true, who + " RMSProp/SGD momentum");
            s.number(p + "alpha", KeyType.DOUBLE, "0.99", 0.0, false, 1.0, true, who + " RMSProp smoothing constant");
            s.add(p + "nesterov", KeyType.BOOL, "false", who + " SGD Nesterov momentum");
            s.add(p + "centered", KeyType.BOOL, "false", who + " centred RMSProp");
        }

        s.number("train.steps", KeyType.LONG, "10000", 1.0, false, null, false, "training iterations (generator updates)");
        s.number("train.batch", KeyType.INT, "256", 1.0, false, 1e7, false, "batch size");
        s.number("train.seed", KeyType.LONG, "0", null, false, null, false, "seed of every random draw");
        s.number("train.threads", KeyType.INT, "0", 0.0, false, 1024.0, false,
                "libtorch intra-op threads (0: ganflow's measured default, 1)");
        s.choice("train.device", "cpu", List.of("cpu", "cuda", "auto"), "where the training state lives (cuda: build"
                + " with mvn -Pgpu; auto: cuda when libtorch sees a GPU)");
        s.choice("train.precision", "fp32", List.of("fp32", "bf16", "auto"), "number format of the training step's"
                + " matrix products and convolutions: fp32, bf16 (mixed precision: weights, optimiser state, losses and"
                + " metrics stay fp32), auto (bf16 on a CPU with AMX or AVX-512-BF16); docs/precision.md");
        s.add("train.sync_bn", KeyType.BOOL, "false", "data-parallel runs: batch norm in training mode normalises with"
                + " the global batch's statistics (all-reduced, gradients included), as PyTorch's SyncBatchNorm; false:"
                + " each process's own rows, as DDP's default; docs/scaling.md");
        s.choice("train.lr_schedule", "constant", List.of("constant", "linear"),
                "learning-rate schedule: constant, or linear decay to 0 at the last step");
        s.number("train.log_every", KeyType.INT, "50", 1.0, false, null, false, "log statistics every N steps");
        s.number("train.eval_every", KeyType.INT, "2000", 0.0, false, null, false,
                "evaluate every N steps (0: only at the end)");
        s.number("train.eval_samples", KeyType.INT, "2500", 10.0, false, 1e7, false,
                "generated samples per evaluation (mode metrics)");
        s.number("train.w1_samples", KeyType.INT, "2000", 2.0, false, 5000.0, false,
                "points per side for the exact W1 at evaluation");
        s.number("train.checkpoint_every", KeyType.INT, "1000", 0.0, false, null, false,
                "checkpoint every N steps (0: only at the end)");
        s.number("train.keep_checkpoints", KeyType.INT, "2", 1.0, false, 1000.0, false, "newest checkpoints kept");
        s.add("eval.metrics", KeyType.STRING, "", "extra sample metrics at every evaluation, a comma list of "
                + "registered metrics (see ganflow eval --help), all, or empty for none");
        s.add("eval.features", KeyType.STRING, "auto", "image data: the feature extractor of the image metrics (FID,"
                + " KID, PRDC, IS, classes): auto (classifier for fashion-mnist, mnist, stacked-mnist; none otherwise),"
                + " classifier (the data set's domain classifier, trained once into eval.classifier_dir when missing),"
                + " classifier:FILE, torchscript:FILE, or none; see docs/metrics.md");
        s.number("eval.image_samples", KeyType.INT, "2000", 10.0, false, 1e6, false,
                "image data: generated images per evaluation for the image metrics (ganflow eval: --n, default 10000)");
        s.number("eval.stacked_samples", KeyType.INT, "10000", 10.0, false, 1e6, false,
                "stacked-mnist: generated images per evaluation for the 1,000-mode count (ganflow eval: 26000, PacGAN's)");
        s.add("eval.classifier_dir", KeyType.STRING, "", "the folder of cached domain classifiers (empty:"
                + " $GANFLOW_CLASSIFIER_DIR, else ~/.cache/ganflow/classifiers)");
        s.number("alarm.collapse_evals", KeyType.INT, "3", 0.0, false, 1000.0, false,
                "mode-collapse alarm after modes fall or W1 rises this many evaluations in a row (0: off)");
        s.choice("alarm.on_collapse", "warn", List.of("warn", "stop"),
                "what the mode-collapse alarm does: warn, or stop the run with a checkpoint");
        s.add("log.tensorboard", KeyType.BOOL, "true",
                "also write TensorBoard event files into the run directory: metrics and a picture per evaluation");
        s.number("log.tensorboard.histograms_every", KeyType.INT, "0", 0.0, false, null, false,
                "with log.tensorboard: histograms of the trained weights every N steps (0: off)");
        return new Schema(s);
    }

    /** Key names, sorted as defined. */
    public List<String> names() {
        return new ArrayList<>(keys.keySet());
    }
}
