package io.ganflow.cli.toyfamily;

import io.ganflow.BadInputException;
import io.ganflow.config.Family;
import io.ganflow.config.KeyType;
import io.ganflow.config.Keys;
import io.ganflow.config.Plugin;
import io.ganflow.config.Registries;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.nn.StateDict;
import io.ganflow.optim.Optimizer;
import io.ganflow.train.Method;
import io.ganflow.train.SampleRequest;
import io.ganflow.train.Samples;
import io.ganflow.train.SamplingProcedure;
import io.ganflow.train.StepContext;
import io.ganflow.train.StepStats;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * A third model family brought whole by a {@link Plugin} (META-INF/services of the test class path), as a new
 * family would come: its own keys ({@code moment.rate}, {@code moment.spread}), its own method
 * ({@code moment}) and its own sampling procedure ({@code gaussian}, with an option {@code scale}). The method
 * tracks the data's mean by an exponential average and samples N(mean, (spread * scale)^2 I).
 */
public final class MomentFamily implements Family {
    /** The plug-in that brings the family: the class META-INF/services names. */
    public static final class Load implements Plugin {
        @Override
        public void register(Registries r) {
            r.family(new MomentFamily());
        }
    }

    @Override
    public void register(Registries r) {
        r.methods().register("moment", "moment matching: a running mean, Gaussian samples around it (test plug-in)",
                MomentFamily::create);
    }

    @Override
    public String name() {
        return "moment";
    }

    @Override
    public void keys(Keys k) {
        k.number("moment.rate", KeyType.DOUBLE, "0.1", 0.0, true, 1.0, false,
                "moment: weight of each batch's mean in the running mean");
        k.number("moment.spread", KeyType.DOUBLE, "0.5", 0.0, true, null, false, "moment: std of the samples around it");
    }

    static Method create(io.ganflow.config.Config c, io.ganflow.data.Dataset d) {
        return new Moment(d.dim(), c.getDouble("moment.rate"), c.getDouble("moment.spread"));
    }

    /** The family's one method. */
    static final class Moment implements Method {
        static final SamplingProcedure GAUSSIAN = new SamplingProcedure("gaussian",
                "N(mean, (spread * scale)^2 I)", List.of("scale"), false);
        private final double[] mean;
        private final double rate;
        private final double spread;

        Moment(int dim, double rate, double spread) {
            this.mean = new double[dim];
            this.rate = rate;
            this.spread = spread;
        }

        @Override
        public String name() {
            return "moment";
        }

        @Override
        public StepStats step(StepContext ctx) {
            double[][] x = Ops.toRows(ctx.data().sample(ctx.batch(), ctx.rng()));
            double moved = 0;
            for (int j = 0; j < mean.length; j++) {
                double m = 0;
                for (double[] row : x) {
                    m += row[j] / x.length;
                }
                double next = (1 - rate) * mean[j] + rate * m;
                moved += Math.abs(next - mean[j]);
                mean[j] = next;
            }
            return new StepStats().put("moved", moved);
        }

        @Override
        public Tensor sample(int n, Rng rng) {
            return draw(n, rng, 1.0);
        }

        private Tensor draw(int n, Rng rng, double scale) {
            double[][] m = new double[n][];
            for (int i = 0; i < n; i++) {
                m[i] = mean.clone();
            }
            return Ops.mul(rng.normal(n, mean.length), spread * scale).add(Ops.fromRows(m));
        }

        @Override
        public List<SamplingProcedure> samplingProcedures() {
            return List.of(GAUSSIAN);
        }

        @Override
        public Samples sample(SampleRequest r) {
            r.procedureIn(name(), samplingProcedures());
            double scale = r.option("scale").map(Double::parseDouble).orElse(1.0);
            if (!(scale >= 0)) {
                throw new BadInputException("--option scale=" + scale + " is out of range; allowed: >= 0");
            }
            return new Samples(draw(r.n(), r.rng(), scale), 0, List.of(), List.of(), "gaussian (scale " + scale + ")");
        }

        @Override
        public Map<String, Optimizer> optimizers() {
            return Map.of();
        }

        @Override
        public void saveState(StateDict into) {
            for (int j = 0; j < mean.length; j++) {
                into.putValue("moment.mean." + j, mean[j]);
            }
        }

        @Override
        public void loadState(StateDict from) {
            for (int j = 0; j < mean.length; j++) {
                mean[j] = from.getDouble("moment.mean." + j);
            }
        }
    }
}
