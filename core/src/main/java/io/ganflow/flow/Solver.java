package io.ganflow.flow;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * ODE solvers for dx/dt = f(x, t) from t0 to t1 (SPEC C3). Fixed-step Euler (order 1, 1 evaluation per
 * step), Heun (order 2, 2), classical RK4 (order 4, 4), and adaptive Dormand–Prince 5(4) with absolute and
 * relative tolerances (Dormand &amp; Prince 1980; first-same-as-last, so 6 new evaluations per accepted or
 * rejected step after the first). Every result carries its number of function evaluations (NFE).
 *
 * <p>States are batches of any shape, (n, d) points or (n, C, H, W) images; every operation is elementwise. The
 * whole batch is one system: Dormand–Prince's error is the RMS over every coordinate of every sample (all
 * non-batch dimensions, every pixel) of (y₅ − y₄)/(atol + rtol·max(|y|, |y_new|)), as in torchdiffeq and
 * SciPy's RK45.
 */
public enum Solver {
    EULER("euler", 1), HEUN("heun", 2), RK4("rk4", 4), DOPRI5("dopri5", 6);

    public static final List<String> NAMES = List.of("euler", "heun", "rk4", "dopri5");
    private final String key;
    private final int stages;

    Solver(String key, int stages) {
        this.key = key;
        this.stages = stages;
    }

    public String key() {
        return key;
    }

    /** Evaluations per step for the fixed-step solvers. */
    public int stages() {
        return stages;
    }

    public static Solver byKey(String key) {
        for (Solver s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown solver " + key + "; allowed: " + NAMES);
    }

    /** The solution, the NFE spent, and (when asked) the accepted (t, x) points including both ends. */
    public record Result(Tensor x, int nfe, List<Double> times, List<Tensor> states) {}

    /** Settings: steps for fixed-step solvers; tolerances for Dormand–Prince. */
    public record Options(int steps, double atol, double rtol, boolean keepTrajectory) {
        public static Options steps(int n) {
            return new Options(n, 1e-5, 1e-5, false);
        }

        public static Options tolerances(double atol, double rtol) {
            return new Options(0, atol, rtol, false);
        }

        public Options withTrajectory() {
            return new Options(steps, atol, rtol, true);
        }
    }

    /** Integrates from t0 to t1 without recording gradients. */
    public Result solve(VectorField f, Tensor x0, double t0, double t1, Options o) {
        return Ops.noGrad(() -> this == DOPRI5 ? dopri5(f, x0, t0, t1, o) : fixed(f, x0, t0, t1, o));
    }

    private Result fixed(VectorField f, Tensor x0, double t0, double t1, Options o) {
        if (o.steps() < 1) {
            throw new IllegalArgumentException(key + " needs at least one step, got " + o.steps());
        }
        List<Double> ts = new ArrayList<>();
        List<Tensor> xs = new ArrayList<>();
        Tensor x = x0;
        double h = (t1 - t0) / o.steps();
        int nfe = 0;
        if (o.keepTrajectory()) {
            ts.add(t0);
            xs.add(x);
        }
        for (int i = 0; i < o.steps(); i++) {
            double t = t0 + i * h;
            Tensor xi = x;
            x = Scope.isolated(() -> step(f, xi, t, h));
            nfe += stages;
            if (o.keepTrajectory()) {
                ts.add(t + h);
                xs.add(x);
            }
        }
        return new Result(x, nfe, ts, xs);
    }

    private Tensor step(VectorField f, Tensor x, double t, double h) {
            switch (this) {
                case EULER:
                    return x.add(Ops.mul(f.at(x, t), h));
                case HEUN: {
                    Tensor k1 = f.at(x, t);
                    Tensor k2 = f.at(x.add(Ops.mul(k1, h)), t + h);
                    return x.add(Ops.mul(k1.add(k2), h / 2));
                }
                default: {
                    Tensor k1 = f.at(x, t);
                    Tensor k2 = f.at(x.add(Ops.mul(k1, h / 2)), t + h / 2);
                    Tensor k3 = f.at(x.add(Ops.mul(k2, h / 2)), t + h / 2);
                    Tensor k4 = f.at(x.add(Ops.mul(k3, h)), t + h);
                    return x.add(Ops.mul(k1.add(Ops.mul(k2, 2)).add(Ops.mul(k3, 2)).add(k4), h / 6));
                }
            }
    }

    // Dormand–Prince 5(4) tableau
    private static final double[] C = {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1};
    private static final double[][] A = {
        {},
        {1.0 / 5},
        {3.0 / 40, 9.0 / 40},
        {44.0 / 45, -56.0 / 15, 32.0 / 9},
        {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
        {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
        {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}};
    /** 5th-order weights (= the last row of A) minus the 4th-order ones: the error estimate's weights. */
    private static final double[] E = {35.0 / 384 - 5179.0 / 57600, 0, 500.0 / 1113 - 7571.0 / 16695,
        125.0 / 192 - 393.0 / 640, -2187.0 / 6784 + 92097.0 / 339200, 11.0 / 84 - 187.0 / 2100, -1.0 / 40};

    private Result dopri5(VectorField f, Tensor x0, double t0, double t1, Options o) {
        if (!(o.atol() > 0 && o.rtol() > 0)) {
            throw new IllegalArgumentException("dopri5 needs atol > 0 and rtol > 0, got " + o.atol() + ", " + o.rtol());
        }
        List<Double> ts = new ArrayList<>();
        List<Tensor> xs = new ArrayList<>();
        if (o.keepTrajectory()) {
            ts.add(t0);
            xs.add(x0);
        }
        double span = t1 - t0;
        double dir = Math.signum(span);
        Tensor x = x0;
        double t = t0;
        Tensor k1 = f.at(x, t);
        int nfe = 1;
        // initial step (Hairer, Nørsett &amp; Wanner, II.4), simplified: h = 0.01·‖x‖/‖f‖ scaled, capped by the span
        Tensor scale0 = Ops.add(Ops.mul(x.abs(), o.rtol()), o.atol());
        double d0 = rms(x.div(scale0));
        double d1 = rms(k1.div(scale0));
        double h = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
        h = Math.min(Math.abs(span), h);
        Tensor[] k = new Tensor[7];
        int guard = 0;
        while (dir * (t1 - t) > 1e-12 * Math.abs(span)) {
            if (++guard > 100_000) {
                throw new IllegalStateException("dopri5: more than 100,000 steps; the field is too stiff for RK45");
            }
            double hh = dir * Math.min(h, Math.abs(t1 - t));
            k[0] = k1;
            for (int s = 1; s < 6; s++) {
                Tensor ys = stage(x, k, s, hh);
                double ts_ = t + C[s] * hh;
                k[s] = Scope.isolated(() -> f.at(ys, ts_));
            }
            // the 5th-order solution; k7 = f(y, t + h) is the next step's k1 (first same as last)
            Tensor y = stage(x, k, 6, hh);
            double tEnd = t + hh;
            k[6] = Scope.isolated(() -> f.at(y, tEnd));
            nfe += 6;
            Tensor errT = Ops.mul(k[0], E[0]);
            for (int j = 1; j < 7; j++) {
                if (E[j] != 0) {
                    errT = errT.add(Ops.mul(k[j], E[j]));
                }
            }
            errT = Ops.mul(errT, hh);
            Tensor scale = Ops.add(Ops.mul(torch_max(x.abs(), y.abs()), o.rtol()), o.atol());
            double err = rms(errT.div(scale));
            if (err <= 1) {
                t += hh;
                x = y;
                k1 = k[6];
                if (o.keepTrajectory()) {
                    ts.add(t);
                    xs.add(x);
                }
            }
            double factor = err == 0 ? 5 : 0.9 * Math.pow(err, -0.2);
            h = Math.abs(hh) * Math.min(5, Math.max(0.2, factor));
        }
        return new Result(x, nfe, ts, xs);
    }

    /** x + h Σ_j A[s][j] k_j: the state at which stage s is evaluated (s = 6: the 5th-order solution). */
    private static Tensor stage(Tensor x, Tensor[] k, int s, double h) {
        Tensor y = x;
        for (int j = 0; j < s; j++) {
            if (A[s][j] != 0) {
                y = y.add(Ops.mul(k[j], h * A[s][j]));
            }
        }
        return y;
    }

    private static Tensor torch_max(Tensor a, Tensor b) {
        return org.bytedeco.pytorch.global.torch.maximum(a, b);
    }

    private static double rms(Tensor t) {
        return Math.sqrt(Ops.item(t.square().mean()));
    }
}
