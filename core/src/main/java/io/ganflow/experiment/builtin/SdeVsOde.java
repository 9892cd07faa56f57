package io.ganflow.experiment.builtin;

import io.ganflow.diffusion.Denoiser;
import io.ganflow.diffusion.ScoreSamplers;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.experiment.Context;
import io.ganflow.experiment.Experiment;
import io.ganflow.experiment.Figure;
import io.ganflow.experiment.ResultTable;
import io.ganflow.experiment.Scale;
import io.ganflow.experiment.Trial;
import io.ganflow.experiment.Verdict;
import io.ganflow.flow.Solver;
import io.ganflow.metrics.Transport;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/** One trained model's reverse SDE and probability-flow ODE sample the same distribution; the ODE inverts. */
final class SdeVsOde implements Experiment {
    static final int N = 2000;

    @Override
    public String claim() {
        return "The reverse SDE and the probability-flow ODE of one score model have the same marginals, so they sample"
                + " the same distribution; the ODE is deterministic and invertible: it encodes data to noise and decodes"
                + " it back.";
    }

    @Override
    public String source() {
        return "docs/spec.md L3 (Song et al. 2021, section 4.3 and appendix D.1)";
    }

    @Override
    public String threshold() {
        return "Exact W1 between 2,000 SDE and 2,000 ODE samples at most 1.5 times the sampling floor (the mean of W1"
                + " between two independent draws of each sampler), means over seeds; the ODE round trip (data → t_max"
                + " → t_min, Dormand–Prince at 1e-6) returns the data within a mean distance of 1e-3 and a largest of"
                + " 1e-2 (the ring has radius 2).";
    }

    @Override
    public String protocol(Scale s) {
        return "The preset ring8-edm " + (s == Scale.QUICK ? "cut to 400 steps" : "as shipped (10,000 steps)") + ";"
                + " samplers sde (Euler–Maruyama, " + (s == Scale.QUICK ? "200" : "1,000") + " steps on Karras's"
                + " schedule) and ode (Dormand–Prince, atol = rtol = 1e-5), two seeds each, " + (s == Scale.QUICK
                        ? "500" : "2,000") + " points a draw, exact W1 by optimal assignment; round trip on "
                + (s == Scale.QUICK ? "200" : "1,000") + " data points.";
    }

    @Override
    public long units(Scale s) {
        return s == Scale.QUICK ? 400 : 10000;
    }

    @Override
    public List<Figure> figures() {
        return List.of(Figure.points("samples-sde", "ring8-edm: data and 2,000 reverse-SDE samples (first seed)"),
                Figure.points("samples-ode", "ring8-edm: data and 2,000 probability-flow ODE samples (first seed)"));
    }

    @Override
    public void run(Context ctx, Trial trial) {
        ctx.status("ring8-edm");
        Runs.Done d = ctx.quick()
                ? Runs.train(ctx, trial, "ring8-edm", "edm", "eval", List.of(), "train.steps", "400",
                        "train.eval_every", "0")
                : Runs.train(ctx, trial, "ring8-edm", "edm", "eval", List.of(), "train.eval_every", "0");
        ctx.status("sampling");
        long s0 = ctx.seed(1);
        int n = ctx.quick() ? 500 : N;
        String sdeSteps = ctx.quick() ? "200" : "1000";
        double[][] sdeA = Scores.sample(d.run(), "sde", n, s0, "nfe", sdeSteps);
        double[][] sdeB = Scores.sample(d.run(), "sde", n, s0 + 1, "nfe", sdeSteps);
        double[][] odeA = Scores.sample(d.run(), "ode", n, s0 + 2, "solver", "dopri5");
        double[][] odeB = Scores.sample(d.run(), "ode", n, s0 + 3, "solver", "dopri5");
        double between = Transport.exactW1(sdeA, odeA);
        double floorSde = Transport.exactW1(sdeA, sdeB);
        double floorOde = Transport.exactW1(odeA, odeB);
        double[][] data = Runs.data(d.run(), n, ctx.seed(2));
        trial.row("measure", "samples").put("w1_sde_ode", between).put("w1_sde_sde", floorSde)
                .put("w1_ode_ode", floorOde).put("w1_sde_data", Transport.exactW1(sdeA, data))
                .put("w1_ode_data", Transport.exactW1(odeA, data));
        trial.cloud("samples-sde", "data", data).cloud("samples-sde", "reverse SDE", sdeA);
        trial.cloud("samples-ode", "data", data).cloud("samples-ode", "probability-flow ODE", odeA);
        ctx.status("round trip");
        Denoiser den = Scores.denoiser(d.run());
        try (Scope s = Scope.open()) {
            Tensor x = d.run().data().sample(ctx.quick() ? 200 : 1000, new Rng(ctx.seed(3)));
            Solver.Options o = Solver.Options.tolerances(1e-6, 1e-6);
            io.ganflow.flow.VectorField f = ScoreSamplers.solverTime(den.probabilityFlow(), den.process());
            Solver.Result enc = Solver.DOPRI5.solve(f, x, 1, 0, o);
            Solver.Result dec = Solver.DOPRI5.solve(f, enc.x(), 0, 1, o);
            Tensor err = Ops.sampleNorm(dec.x().sub(x));
            trial.row("measure", "round trip").put("mean_error", Ops.item(err.mean()))
                    .put("max_error", Ops.item(err.max())).put("nfe", enc.nfe() + dec.nfe());
        }
    }

    @Override
    public Verdict judge(ResultTable t, Scale scale) {
        ResultTable.Condition s = t.get("measure", "samples");
        ResultTable.Condition r = t.get("measure", "round trip");
        double between = s.mean("w1_sde_ode");
        double floor = 0.5 * (s.mean("w1_sde_sde") + s.mean("w1_ode_ode"));
        double mean = r.mean("mean_error");
        double max = r.mean("max_error");
        Verdict.Builder v = Verdict.builder().number("w1_sde_ode", between).number("floor", floor)
                .number("round_trip_mean_error", mean).number("round_trip_max_error", max);
        v.check(between <= 1.5 * floor, "W1(SDE, ODE) ≤ 1.5 × the sampling floor");
        v.check(mean <= 1e-3, "round trip: mean error ≤ 1e-3");
        v.check(max <= 1e-2, "round trip: largest error ≤ 1e-2");
        return v.build("W1(SDE, ODE) " + Toys.num(between) + " against a floor of " + Toys.num(floor) + " (SDE–SDE "
                + Toys.num(s.mean("w1_sde_sde")) + ", ODE–ODE " + Toys.num(s.mean("w1_ode_ode")) + "; to the data: SDE "
                + Toys.num(s.mean("w1_sde_data")) + ", ODE " + Toys.num(s.mean("w1_ode_data")) + "); ODE round trip"
                + " error mean " + Toys.num(mean) + ", max " + Toys.num(max));
    }
}
