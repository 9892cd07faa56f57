package io.ganflow.config;

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
import io.ganflow.gan.GanMethod;
import io.ganflow.gan.GradientPenalty;
import io.ganflow.gan.Objectives;
import io.ganflow.gan.Regularizer;
import io.ganflow.gan.WeightClipping;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Init;
import io.ganflow.nn.Mlp;
import io.ganflow.train.Evaluator;
import io.ganflow.train.Method;
import io.ganflow.train.TrainSpec;
import io.ganflow.train.optim.OptimizerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        return Mlp.builder().in(in).out(out).width(c.getInt(p + "width")).depth(c.getInt(p + "depth"))
                .activation(Activation.byKey(c.getString(p + "activation")))
                .init(Init.byKey(c.getString(p + "init"))).build(rng);
    }

    /** Builds the method with freshly initialised weights (seeded from train.seed). */
    public static Method method(Config c, Dataset data) {
        String m = c.getString("method");
        if (!m.equals("gan")) {
            throw new BadInputException("method=" + m + " is not allowed; allowed: gan");
        }
        Rng init = Rng.derived(c.getLong("train.seed"), "init");
        int zDim = c.getInt("model.z_dim");
        Mlp g = mlp(c, "g", zDim, data.dim(), init);
        Mlp d = mlp(c, "d", data.dim(), 1, init);
        List<Regularizer> regs = new ArrayList<>();
        double gp = c.getDouble("gan.gp.weight");
        if (gp > 0) {
            regs.add(new GradientPenalty(gp, Integer.parseInt(c.getString("gan.gp.center"))));
        }
        double clip = c.getDouble("gan.clip");
        if (clip > 0) {
            regs.add(new WeightClipping(clip));
        }
        return new GanMethod(g, d, zDim, Objectives.byName(c.getString("gan.objective")), regs,
                c.getInt("gan.n_critic"), optimizer(c, "g").create(g.parameters()),
                optimizer(c, "d").create(d.parameters()));
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
