package io.ganflow.config;

import io.ganflow.BadInputException;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Device;
import io.ganflow.engine.Engine;
import io.ganflow.engine.Precision;
import io.ganflow.engine.Rng;
import io.ganflow.gan.Objective;
import io.ganflow.io.Safetensors;
import io.ganflow.io.SafetensorsFile;
import io.ganflow.io.WeightsExport;
import java.nio.file.Path;
import io.ganflow.nn.Module;
import io.ganflow.train.Evaluator;
import io.ganflow.train.Method;
import io.ganflow.train.TrainSpec;
import io.ganflow.optim.OptimizerSpec;

/**
 * Turns a validated {@link Config} into the objects of a run: engine settings, data, nets, method, loop
 * settings and evaluator. Data sets, nets, methods, objectives and metrics are looked up by name in
 * {@link Registries}; the built-ins live in {@code DataSetup}, {@code NetSetup} and the families ({@link GanFamily},
 * {@link FlowFamily}).
 * All checks that need more than one key, or the file system, happen here, before any run directory exists.
 */
public final class Setup {
    private Setup() {}

    /** Applies train.threads and train.device. */
    public static void engine(Config c) {
        engine(c, c.getString("train.device"));
    }

    private static void engine(Config c, String device) {
        int t = c.getInt("train.threads");
        Engine.setThreads(t == 0 ? Engine.defaultThreads() : t);
        Engine.setDevice(Device.parse("train.device", device));
    }

    /**
     * As {@link #engine}, for using a trained run (sampling, evaluation, export): a run trained on a GPU opens on
     * a machine without one, on the CPU (train.device=cuda counts as auto here).
     */
    public static void engineForTrainedRun(Config c) {
        String d = c.getString("train.device");
        engine(c, d.equals("cuda") ? "auto" : d);
    }

    /** The data set named by data.name. */
    public static Dataset dataset(Config c) {
        return Registries.DATASETS.get(c.getString("data.name")).create(c);
    }

    /** The net for a spec, of the kind model.&lt;role&gt;.kind names. */
    public static Module net(Config c, NetSpec spec, Rng rng) {
        String role = spec.role();
        String kind = c.getString("model." + role + ".kind");
        NetFactory f = Registries.NETS.find(kind).map(e -> e.factory()).orElseThrow(() -> new BadInputException(
                "model." + role + ".kind=" + kind + " is not allowed; allowed: " + String.join(", ", Registries.NETS.names())));
        Module m = f.create(c, spec, rng);
        if (spec.classes() > 0 && !(m instanceof io.ganflow.nn.ConditionalModule)) {
            throw new BadInputException("model." + role + ".kind=" + kind + " takes no class label; a conditional run"
                    + " needs a conditional net (" + spec + ")");
        }
        return m;
    }

    /** The velocity net of a flow, of the kind model.v.kind names, for samples of the data's shape. */
    public static io.ganflow.nn.VelocityModel velocityNet(Config c, Dataset data, Rng rng) {
        return Registries.VELOCITY_NETS.get(c.getString("model.v.kind")).create(c, data.shape(), rng);
    }

    /** The generator: a latent vector of model.z_dim to one sample of the data's shape. */
    public static Module generator(Config c, Dataset data, Rng rng) {
        return net(c, new NetSpec("g", new long[] {c.getInt("model.z_dim")}, data.shape()), rng);
    }

    /** The critic: one sample of the data's shape to one score. */
    public static Module critic(Config c, Dataset data, Rng rng) {
        return net(c, new NetSpec("d", data.shape(), new long[] {1}), rng);
    }

    /**
     * The critic of m packed samples (PacGAN, gan.pack): the net on m times the first axis of one sample (channels
     * of an image, coordinates of a point), wrapped in {@link io.ganflow.nn.Packed}; the plain critic for m = 1.
     */
    public static Module critic(Config c, Dataset data, Rng rng, int m) {
        if (m == 1) {
            return critic(c, data, rng);
        }
        long[] in = data.shape();
        in[0] *= m;
        return new io.ganflow.nn.Packed(net(c, new NetSpec("d", in, new long[] {1}), rng), m);
    }

    /**
     * The classes of a conditional run (model.condition other than none): the data set's, which must have labels;
     * 0 for an unconditional run.
     *
     * @throws BadInputException for a data set without labels, or images for nets that cannot take a class (only the
     *     GAN's MLP nets read images under concatenation)
     */
    public static int conditionClasses(Config c, Dataset data) {
        String cond = c.getString("model.condition");
        if (cond.equals("none")) {
            return 0;
        }
        if (data.classes() == 0) {
            throw new BadInputException("model.condition=" + cond + " needs a labelled data set; data.name="
                    + c.getString("data.name") + " has no labels (labelled: the toy mixtures, image sets with classes)");
        }
        // the GAN's generator takes the class beside z whatever its kind; its critic reads images under projection
        // and AC-GAN, and under concatenation as flattened pixels (mlp) or as extra channels (conv nets)
        boolean ganImages = c.getString("method").equals("gan");
        // flows and score models add the class to the U-Net's time embedding
        boolean unetImages = !c.getString("method").equals("gan") && c.getString("model.v.kind").equals("unet");
        if (data.shape().length != 1 && !ganImages && !unetImages) {
            throw new BadInputException("model.condition=" + cond + " is built for flat samples and mlp nets;"
                    + " data.name=" + c.getString("data.name") + " gives images " + java.util.Arrays.toString(data.shape())
                    + " (allowed with images: method=gan; flows and score models with model.v.kind=unet; or"
                    + " data.flatten=true)");
        }
        return data.classes();
    }

    /** The objective the config names, with its arguments. */
    public static Objective objective(Config c) {
        return Registries.OBJECTIVES.get(c.getString("gan.objective")).create(c);
    }

    /**
     * Builds the method with freshly initialised weights (seeded from train.seed), then loads
     * model.g.init_from / model.d.init_from where given.
     */
    public static Method method(Config c, Dataset data) {
        Method m = methodForCheckpoint(c, data);
        initFrom(c, m, "g", "generator");
        initFrom(c, m, "d", "critic");
        return m;
    }

    /** The method without model.*.init_from: its weights come from a checkpoint next. */
    public static Method methodForCheckpoint(Config c, Dataset data) {
        return Registries.METHODS.get(c.getString("method")).create(c, data);
    }

    private static void initFrom(Config c, Method m, String who, String role) {
        String key = "model." + who + ".init_from";
        String file = c.getString(key);
        if (file.isBlank()) {
            return;
        }
        Module target = m.trainable(role).orElseThrow(() -> new BadInputException(key + "=" + file + ": method="
                + c.getString("method") + " has no " + role + " to start from given weights"));
        SafetensorsFile f = Safetensors.read(Path.of(file));
        String prefix = f.tensors().keySet().stream().anyMatch(n -> n.startsWith(role + ".")) ? role + "." : "";
        WeightsExport.load(target, f, prefix);
        m.weightsLoaded(role);
    }

    public static OptimizerSpec optimizer(Config c, String who) {
        String p = "opt." + who + ".";
        return new OptimizerSpec(c.getString(p + "name"), c.getDouble(p + "lr"), c.getDouble(p + "beta1"),
                c.getDouble(p + "beta2"), c.getDouble(p + "eps"), c.getDouble(p + "weight_decay"),
                c.getDouble(p + "momentum"), c.getDouble(p + "alpha"), c.getBool(p + "nesterov"),
                c.getBool(p + "centered"));
    }

    public static TrainSpec trainSpec(Config c) {
        return new TrainSpec(c.getLong("train.steps"), c.getInt("train.batch"), c.getLong("train.seed"),
                c.getInt("train.log_every"), c.getInt("train.eval_every"), c.getInt("train.eval_samples"),
                c.getInt("train.w1_samples"), c.getInt("train.checkpoint_every"), c.getInt("train.keep_checkpoints"),
                c.getString("train.lr_schedule"), precision(c).precision());
    }

    /**
     * train.precision resolved on this machine and the device in force ({@link Precision#choose}: auto picks bf16
     * with AMX or AVX-512-BF16), with the reason when it was auto.
     */
    public static Precision.Choice precision(Config c) {
        return Precision.choose("train.precision", c.getString("train.precision"), Engine.device());
    }

    /**
     * The evaluator of a run: the figures of train.eval_samples, train.w1_samples and eval.metrics and, for image
     * data, the image metrics of eval.features (see {@link EvalSetup}); a domain classifier that is not cached
     * yet is trained at the first evaluation, which says so on stderr.
     */
    public static Evaluator evaluator(Config c, Dataset data) {
        return new Evaluator(data, c.getInt("train.eval_samples"), c.getInt("train.w1_samples"),
                c.getLong("train.seed"), io.ganflow.metrics.MetricSuite.parseKey("eval.metrics",
                        c.getString("eval.metrics")),
                EvalSetup.imageEvaluation(c, data, msg -> System.err.println("ganflow: " + msg)));
    }
}
