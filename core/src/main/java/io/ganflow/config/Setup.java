package io.ganflow.config;

import io.ganflow.data.Sampler;
import io.ganflow.engine.Ops;
import io.ganflow.flow.FlowMethod;
import io.ganflow.flow.ParticleGan;
import io.ganflow.flow.Solver;
import io.ganflow.flow.VelocityNet;

import io.ganflow.BadInputException;
import io.ganflow.data.Dataset;
import io.ganflow.data.Standardizer;
import io.ganflow.data.TensorDataset;
import io.ganflow.data.csv.CsvReader;
import io.ganflow.data.csv.CsvTable;
import io.ganflow.data.idx.IdxArray;
import io.ganflow.data.idx.IdxReader;
import io.ganflow.data.toy.Checkerboard;
import io.ganflow.data.toy.GaussianMixture;
import io.ganflow.data.toy.Moons;
import io.ganflow.data.toy.SwissRoll;
import io.ganflow.engine.Device;
import io.ganflow.engine.Engine;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.gan.FDivergence;
import io.ganflow.gan.FeatureMatching;
import io.ganflow.gan.GanMethod;
import io.ganflow.gan.HistoricalAveraging;
import io.ganflow.gan.InstanceNoise;
import io.ganflow.gan.Objective;
import io.ganflow.gan.PointPenalty;
import io.ganflow.gan.GradientPenalty;
import io.ganflow.gan.Objectives;
import io.ganflow.gan.WeightClipping;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Init;
import io.ganflow.nn.Mlp;
import io.ganflow.train.Evaluator;
import io.ganflow.train.Method;
import io.ganflow.train.TrainSpec;
import io.ganflow.train.optim.OptimizerSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a validated {@link Config} into the objects of a run: engine settings, data, method, loop
 * settings and evaluator. All checks that need more than one key, or the file system, happen here, before
 * any run directory exists.
 */
public final class Setup {
    private Setup() {}

    /** Applies train.threads and train.device. */
    public static void engine(Config c) {
        int t = c.getInt("train.threads");
        Engine.setThreads(t == 0 ? Engine.defaultThreads() : t);
        Engine.setDevice(Device.parse("train.device", c.getString("train.device")));
    }

    public static Dataset dataset(Config c) {
        String name = c.getString("data.name");
        switch (name) {
            case "ring8":
                return GaussianMixture.ring8();
            case "grid25":
                return GaussianMixture.grid25();
            case "swissroll":
                return new SwissRoll();
            case "moons":
                return new Moons();
            case "checkerboard":
                return new Checkerboard();
            case "csv":
                return csv(c);
            case "idx":
                return idx(c);
            default:
                throw new BadInputException("data.name=" + name + " is not allowed; allowed: " + Schema.DATASETS);
        }
    }

    private static Path requirePath(Config c, String what) {
        String p = c.getString("data.path");
        if (p.isBlank()) {
            throw new BadInputException("data.path is empty, but data.name=" + c.getString("data.name")
                    + " needs a " + what + " file: add --set data.path=FILE");
        }
        return Path.of(p);
    }

    private static Dataset csv(Config c) {
        CsvTable table = CsvReader.read(requirePath(c, "CSV"));
        if (table.rows().length < 2) {
            throw new BadInputException(table.path() + ": has " + table.rows().length
                    + " data row; training needs at least 2");
        }
        Standardizer st = c.getBool("data.standardize") ? Standardizer.fit(table.rows())
                : Standardizer.identity(table.columns());
        double[][] z = new double[table.rows().length][];
        for (int i = 0; i < z.length; i++) {
            z[i] = st.toModel(table.rows()[i]);
        }
        return new TensorDataset("csv:" + table.path().getFileName(), Ops.fromRows(z), c.getDouble("data.holdout"),
                c.getLong("train.seed"), st);
    }

    private static Dataset idx(Config c) {
        Path path = requirePath(c, "IDX");
        IdxArray images = IdxReader.read(path);
        int n = images.count();
        int d = images.itemSize();
        float[] data = images.data();
        int label = c.getInt("data.label");
        boolean[] keep = null;
        if (label >= 0) {
            String lp = c.getString("data.labels");
            if (lp.isBlank()) {
                throw new BadInputException("data.label=" + label + " needs data.labels=FILE (the IDX labels file)");
            }
            IdxArray labels = IdxReader.read(Path.of(lp));
            if (labels.count() != n || labels.itemSize() != 1) {
                throw new BadInputException(lp + ": holds " + labels.count() + " labels of size " + labels.itemSize()
                        + ", but " + path + " holds " + n + " items");
            }
            keep = new boolean[n];
            for (int i = 0; i < n; i++) {
                keep[i] = (int) labels.data()[i] == label;
            }
        }
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (keep == null || keep[i]) {
                m++;
            }
        }
        if (m < 2) {
            throw new BadInputException(path + ": " + m + " items" + (label >= 0 ? " with label " + label : "")
                    + "; training needs at least 2");
        }
        float[] rows = new float[m * d];
        int r = 0;
        for (int i = 0; i < n; i++) {
            if (keep == null || keep[i]) {
                for (int j = 0; j < d; j++) {
                    rows[r * d + j] = data[i * d + j] / 127.5f - 1f;
                }
                r++;
            }
        }
        double[] mean = new double[d];
        double[] scale = new double[d];
        java.util.Arrays.fill(mean, 127.5);
        java.util.Arrays.fill(scale, 127.5);
        return new TensorDataset("idx:" + path.getFileName(), Ops.fromFloats(rows, m, d), c.getDouble("data.holdout"),
                c.getLong("train.seed"), new Standardizer(mean, scale));
    }

    public static OptimizerSpec optimizer(Config c, String who) {
        String p = "opt." + who + ".";
        return new OptimizerSpec(c.getString(p + "name"), c.getDouble(p + "lr"), c.getDouble(p + "beta1"),
                c.getDouble(p + "beta2"), c.getDouble(p + "eps"), c.getDouble(p + "weight_decay"),
                c.getDouble(p + "momentum"), c.getDouble(p + "alpha"), c.getBool(p + "nesterov"),
                c.getBool(p + "centered"));
    }

    static Mlp mlp(Config c, String who, int in, int out, Rng rng) {
        String p = "model." + who + ".";
        int depth = c.getInt(p + "depth");
        Mlp.Builder b = Mlp.builder().in(in).out(out).width(c.getInt(p + "width")).depth(depth)
                .activation(Activation.byKey(c.getString(p + "activation")))
                .init(Init.byKey(c.getString(p + "init")))
                .spectralNorm(layers(p + "spectral_norm", c.getString(p + "spectral_norm"), depth));
        if (who.equals("d") && c.getInt("model.d.minibatch.kernels") > 0) {
            if (depth < 1) {
                throw new BadInputException("model.d.minibatch.kernels=" + c.getInt("model.d.minibatch.kernels")
                        + " needs a critic with a hidden layer; model.d.depth=0");
            }
            b.minibatchDiscrimination(c.getInt("model.d.minibatch.kernels"), c.getInt("model.d.minibatch.dim"));
        }
        if (who.equals("g") && c.getInt("model.g.vbn") > 0) {
            b.virtualBatchNorm(c.getInt("model.g.vbn"));
        }
        return b.build(rng);
    }

    /** Parses none / all / a comma list of layer indices in 0..depth. */
    static Set<Integer> layers(String key, String value, int depth) {
        String v = value.trim();
        if (v.equals("none") || v.isEmpty()) {
            return Set.of();
        }
        Set<Integer> out = new TreeSet<>();
        if (v.equals("all")) {
            for (int i = 0; i <= depth; i++) {
                out.add(i);
            }
            return out;
        }
        for (String part : v.split(",")) {
            try {
                int i = Integer.parseInt(part.trim());
                if (i < 0 || i > depth) {
                    throw new NumberFormatException();
                }
                out.add(i);
            } catch (NumberFormatException e) {
                throw new BadInputException(key + "=" + value + " is not allowed; allowed: none, all, or layer indices"
                        + " from 0 to " + depth + " (the output layer) separated by commas");
            }
        }
        return out;
    }

    /** The objective the config names, with its arguments. */
    public static Objective objective(Config c) {
        String name = c.getString("gan.objective");
        double realLabel = c.getDouble("gan.real_label");
        boolean classifier = name.equals("minimax") || name.equals("nonsaturating") || name.equals("monoflow");
        if (realLabel != 1.0 && !classifier) {
            throw new BadInputException("gan.real_label=" + c.asText().get("gan.real_label") + " (label smoothing) needs"
                    + " a classifier objective; allowed with gan.objective=minimax, nonsaturating or monoflow, not " + name);
        }
        switch (name) {
            case "minimax":
                return Objectives.minimax(realLabel);
            case "nonsaturating":
                return Objectives.nonSaturating(realLabel);
            case "monoflow": {
                String h = c.getString("gan.monoflow.h");
                return Objectives.monoFlow(h, Objectives.monoFlowH(h, c.getDouble("gan.monoflow.kappa")), realLabel);
            }
            case "fgan":
                return FDivergence.byKey(c.getString("gan.fgan.divergence")).objective();
            default:
                return Objectives.byName(name);
        }
    }

    /** Builds the method with freshly initialised weights (seeded from train.seed). */
    public static Method method(Config c, Dataset data) {
        String m = c.getString("method");
        if (m.equals("rf")) {
            return flow(c, data);
        }
        if (!m.equals("gan")) {
            return particle(c, data, m);
        }
        Rng init = Rng.derived(c.getLong("train.seed"), "init");
        int zDim = c.getInt("model.z_dim");
        Mlp g = mlp(c, "g", zDim, data.dim(), init);
        Mlp d = mlp(c, "d", data.dim(), 1, init);
        GanMethod.Builder b = GanMethod.builder(g, d, zDim, objective(c)).nCritic(c.getInt("gan.n_critic"))
                .optimizers(optimizer(c, "g").create(g.parameters()), optimizer(c, "d").create(d.parameters()));
        double gp = c.getDouble("gan.gp.weight");
        if (gp > 0) {
            b.regularizer(new GradientPenalty(gp, Integer.parseInt(c.getString("gan.gp.center"))));
        }
        if (c.getDouble("gan.r1.weight") > 0) {
            b.regularizer(PointPenalty.r1(c.getDouble("gan.r1.weight")));
        }
        if (c.getDouble("gan.r2.weight") > 0) {
            b.regularizer(PointPenalty.r2(c.getDouble("gan.r2.weight")));
        }
        double clip = c.getDouble("gan.clip");
        if (clip > 0) {
            b.regularizer(new WeightClipping(clip));
        }
        double fm = c.getDouble("gan.feature_matching.weight");
        if (fm > 0) {
            int layer = c.getInt("gan.feature_matching.layer");
            int depth = d.depth();
            if (depth < 1 || layer >= depth || layer < -depth) {
                throw new BadInputException("gan.feature_matching.layer=" + layer + " is not a hidden layer of the critic;"
                        + " allowed: " + (depth < 1 ? "none (model.d.depth=0)" : -depth + " to " + (depth - 1)));
            }
            b.regularizer(new FeatureMatching(fm, layer));
        }
        double ha = c.getDouble("gan.historical_averaging.weight");
        if (ha > 0) {
            String on = c.getString("gan.historical_averaging.on");
            if (!on.equals("d")) {
                b.regularizer(new HistoricalAveraging(ha, g, true));
            }
            if (!on.equals("g")) {
                b.regularizer(new HistoricalAveraging(ha, d, false));
            }
        }
        if (c.getDouble("gan.instance_noise.std") > 0) {
            b.instanceNoise(new InstanceNoise(c.getDouble("gan.instance_noise.std"),
                    c.getString("gan.instance_noise.schedule")));
        }
        if (c.getDouble("gan.ema") > 0) {
            b.ema(mlp(c, "g", zDim, data.dim(), Rng.derived(c.getLong("train.seed"), "ema")), c.getDouble("gan.ema"));
        }
        return b.build();
    }

    static VelocityNet velocityNet(Config c, int dim, Rng rng) {
        int e = c.getInt("model.v.time_dim");
        if (e % 2 != 0) {
            throw new BadInputException("model.v.time_dim=" + e + " is not allowed; allowed: an even number >= 2");
        }
        return new VelocityNet(dim, c.getInt("model.v.width"), c.getInt("model.v.depth"),
                Activation.byKey(c.getString("model.v.activation")), c.getString("model.v.time_embedding"), e, rng);
    }

    static Solver.Options solverOptions(Config c, Solver s) {
        return s == Solver.DOPRI5 ? Solver.Options.tolerances(c.getDouble("flow.atol"), c.getDouble("flow.rtol"))
                : Solver.Options.steps(c.getInt("flow.steps"));
    }

    /** SPEC C: rectified flow, with reflow rounds and distillation as configured; opt.d trains v. */
    static FlowMethod flow(Config c, Dataset data) {
        Rng init = Rng.derived(c.getLong("train.seed"), "init");
        int d = data.dim();
        VelocityNet v = velocityNet(c, d, init);
        VelocityNet distilled = velocityNet(c, d, Rng.derived(c.getLong("train.seed"), "distill"));
        Sampler prior;
        if (c.getString("flow.prior").equals("generator")) {
            int zDim = c.getInt("model.z_dim");
            Mlp g = mlp(c, "g", zDim, d, Rng.derived(c.getLong("train.seed"), "prior"));
            prior = (n, rng) -> Ops.noGrad(() -> g.forward(rng.normal(n, zDim)));
        } else {
            prior = (n, rng) -> rng.normal(n, d);
        }
        Solver s = Solver.byKey(c.getString("flow.solver"));
        Solver rs = Solver.byKey(c.getString("flow.reflow.solver"));
        long stages = 1 + c.getInt("flow.reflow.rounds") + (c.getBool("flow.distill") ? 1 : 0);
        if (c.getLong("train.steps") < stages) {
            throw new BadInputException("train.steps=" + c.getLong("train.steps") + " is too small for " + stages
                    + " flow stages; allowed: at least " + stages);
        }
        return new FlowMethod(v, distilled, optimizer(c, "d").create(v.parameters()),
                optimizer(c, "d").create(distilled.parameters()), prior, s, solverOptions(c, s), rs,
                solverOptions(c, rs), c.getInt("flow.reflow.rounds"), c.getInt("flow.reflow.pairs"),
                c.getBool("flow.distill"));
    }

    /** SPEC D: a generator trained as a particle flow; opt.d trains the field's network. */
    static ParticleGan particle(Config c, Dataset data, String m) {
        Rng init = Rng.derived(c.getLong("train.seed"), "init");
        int zDim = c.getInt("model.z_dim");
        Mlp g = mlp(c, "g", zDim, data.dim(), init);
        ParticleGan.Form form;
        io.ganflow.nn.Module field;
        switch (m) {
            case "particle":
                form = ParticleGan.Form.PARTICLE;
                field = mlp(c, "d", data.dim(), 1, init);
                break;
            case "reflow_gan":
                form = ParticleGan.Form.REFLOW_GAN;
                field = velocityNet(c, data.dim(), init);
                break;
            case "gradient_field":
                form = c.getString("particle.form").equals("exact") ? ParticleGan.Form.GRADIENT_FIELD
                        : ParticleGan.Form.GRADIENT_FIELD_APPROX;
                field = mlp(c, "d", data.dim(), 1, init);
                break;
            default:
                throw new BadInputException("method=" + m + " is not allowed; allowed: " + Schema.METHODS);
        }
        return new ParticleGan(form, g, field, optimizer(c, "g").create(g.parameters()),
                optimizer(c, "d").create(field.parameters()), zDim, c.getInt("gan.n_critic"), c.getInt("particle.k"),
                c.getDouble("particle.eps"),
                Objectives.monoFlowH(c.getString("gan.monoflow.h"), c.getDouble("gan.monoflow.kappa")),
                c.getDouble("gan.r1.weight")).chordSteps(c.getInt("particle.chord_steps"));
    }

    public static TrainSpec trainSpec(Config c) {
        return new TrainSpec(c.getLong("train.steps"), c.getInt("train.batch"), c.getLong("train.seed"),
                c.getInt("train.log_every"), c.getInt("train.eval_every"), c.getInt("train.eval_samples"),
                c.getInt("train.w1_samples"), c.getInt("train.checkpoint_every"), c.getInt("train.keep_checkpoints"),
                c.getString("train.lr_schedule"));
    }

    public static Evaluator evaluator(Config c, Dataset data) {
        return new Evaluator(data, c.getInt("train.eval_samples"), c.getInt("train.w1_samples"),
                c.getLong("train.seed"));
    }
}
