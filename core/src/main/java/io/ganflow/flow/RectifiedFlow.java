package io.ganflow.flow;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import org.bytedeco.pytorch.Tensor;

/** The maths of SPEC C1 and C4 as functions: the rectified-flow loss and the straightness of a flow. */
public final class RectifiedFlow {
    private RectifiedFlow() {}

    /** A velocity field with a per-sample time: v(x, t) for x (n, shape...) and t (n, 1). */
    @FunctionalInterface
    public interface TimedField {
        Tensor at(Tensor x, Tensor t);
    }

    /**
     * C1: E_{t~U[0,1]} ½‖v(x_t, t) − (x1 − x0)‖² with x_t = t·x1 + (1 − t)·x0, one t per pair; the mean over
     * the batch of the per-sample squared norm (summed over all non-batch dimensions: coordinates, pixels).
     * t (n, 1) is broadcast over every dimension of a sample for x_t; v receives it as (n, 1).
     */
    public static Tensor loss(TimedField v, Tensor x0, Tensor x1, Tensor t) {
        Tensor xt = x0.add(Ops.perSample(t, x0).mul(x1.sub(x0)));
        Tensor r = v.at(xt, t).sub(x1.sub(x0));
        return Ops.mul(Ops.sampleSquaredNorm(r).mean(), 0.5);
    }

    public static Tensor loss(TimedField v, Tensor x0, Tensor x1, Rng rng) {
        return loss(v, x0, x1, rng.uniform(x0.size(0), 1).to(x0.scalar_type()));
    }

    /**
     * C4: S = E ∫₀¹ ‖(X₁ − X₀) − v(X_t, t)‖² dt along the flow's own trajectories X_t from X₀ = x0, with X₁ their
     * end points: the trajectories by RK4 with {@code steps} steps, the integral over t by the trapezoid rule on
     * the same grid. S = 0 exactly when every trajectory is a straight line travelled at constant speed. The
     * squared norm runs over every non-batch dimension, so x0 may be points (n, d) or images (n, C, H, W).
     */
    public static double straightness(VectorField v, Tensor x0, int steps) {
        return Ops.noGrad(() -> {
            Solver.Result r = Solver.RK4.solve(v, x0, 0, 1, Solver.Options.steps(steps).withTrajectory());
            Tensor chord = r.x().sub(x0);
            double total = 0;
            int m = r.times().size();
            for (int i = 0; i < m; i++) {
                double w = (i == 0 || i == m - 1) ? 0.5 : 1.0;
                Tensor xi = r.states().get(i);
                double ti = r.times().get(i);
                total += w * Ops.item(Scope.isolated(() -> Ops.sampleSquaredNorm(chord.sub(v.at(xi, ti))).mean()));
            }
            return total / (m - 1);
        });
    }
}
