package io.ganflow.examples;

import io.ganflow.config.Registries;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Init;
import io.ganflow.nn.Module;
import io.ganflow.nn.Parameter;
import io.ganflow.run.TrainingRun;
import io.ganflow.train.TrainResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.pytorch.Tensor;

/**
 * Plugs a generator of our own into ganflow: a residual MLP, h ← h + relu(W h + b), registered as the
 * net kind "resmlp" and chosen with {@code model.g.kind=resmlp}. Everything else (the WGAN-GP critic,
 * the objective, the penalty, checkpoints, evaluation) stays ganflow's.
 *
 * <p>Run: {@code java io.ganflow.examples.CustomGenerator [steps]}
 */
public final class CustomGenerator {
    private CustomGenerator() {}

    /** A residual MLP: an input layer, {@code blocks} residual blocks of one linear layer each, an output layer. */
    public static final class ResMlp implements Module {
        private final List<Parameter> params = new ArrayList<>();

        public ResMlp(int in, int out, int width, int blocks, Rng rng) {
            add("in", width, in, rng);
            for (int i = 0; i < blocks; i++) {
                add("block" + i, width, width, rng);
            }
            add("out", out, width, rng);
        }

        private void add(String name, int out, int in, Rng rng) {
            params.add(new Parameter(name + ".weight", Ops.requiringGrad(Init.TORCH.weight(out, in, rng))));
            params.add(new Parameter(name + ".bias", Ops.requiringGrad(Init.TORCH.bias(out, in, rng))));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = Ops.linear(x, params.get(0).value(), params.get(1).value());
            int last = params.size() - 2;
            for (int i = 2; i < last; i += 2) {
                h = h.add(Activation.RELU.apply(Ops.linear(h, params.get(i).value(), params.get(i + 1).value())));
            }
            return Ops.linear(Activation.RELU.apply(h), params.get(last).value(), params.get(last + 1).value());
        }

        @Override
        public List<Parameter> parameters() {
            return params;
        }
    }

    /** Registers "resmlp" (once), trains ring8 WGAN-GP with it as the generator, and returns the trained run. */
    public static TrainingRun run(long steps) {
        if (Registries.NETS.find("resmlp").isEmpty()) {
            Registries.NETS.register("resmlp", "residual MLP (examples/CustomGenerator)",
                    (c, spec, rng) -> new ResMlp(spec.inDim(), spec.outDim(), c.getInt("model." + spec.role() + ".width"),
                            c.getInt("model." + spec.role() + ".depth"), rng));
        }
        TrainingRun run = TrainingRun.builder()
                .preset("ring8-wgan-gp")
                .set("model.g.kind", "resmlp")
                .set("train.steps", Long.toString(steps))
                .set("train.eval_every", "0")
                .build();
        run.train();
        return run;
    }

    public static void main(String[] args) {
        long steps = args.length > 0 ? Long.parseLong(args[0]) : 3000;
        TrainResult r = run(steps).result();
        System.out.printf(Locale.ROOT, "resmlp generator on ring8: %d steps, modes %.0f/8, high quality %.3f, W1 %.4f%n",
                r.steps(), r.finalMetrics().get("modes_covered"), r.finalMetrics().get("high_quality_fraction"),
                r.finalMetrics().get("w1"));
    }
}
