package io.ganflow.flow;

import io.ganflow.BadInputException;
import io.ganflow.train.SampleRequest;
import java.util.Optional;

/**
 * A sample request's ODE solver and its settings ({@code solver}, {@code nfe}, {@code atol}, {@code rtol}), checked
 * once for every method that solves an ODE: the flows and the diffusion models' probability-flow ODE.
 */
public final class SolverRequest {
    private SolverRequest() {}

    /** The solver the request names, else {@code fallback}. */
    public static Solver solver(SampleRequest r, Solver fallback) {
        String key = r.option("solver").orElse(fallback.key());
        if (!Solver.NAMES.contains(key)) {
            throw new BadInputException("--solver " + key + " is not allowed; allowed: " + String.join(", ", Solver.NAMES));
        }
        return Solver.byKey(key);
    }

    /**
     * The request's settings for solver s, falling back on {@code defaultSteps} steps (fixed-step solvers) or the
     * tolerances (dopri5); --nfe with dopri5, --atol/--rtol with a fixed-step solver and values out of range are
     * refused by name.
     */
    public static Solver.Options options(SampleRequest r, Solver s, int defaultSteps, double defaultAtol,
            double defaultRtol) {
        Optional<Integer> nfe = r.intOption("nfe", "--nfe");
        if (s == Solver.DOPRI5) {
            if (nfe.isPresent()) {
                throw new BadInputException("--nfe " + nfe.get() + " does not apply to dopri5, which is adaptive;"
                        + " allowed: --atol, --rtol");
            }
            double a = r.doubleOption("atol", "--atol").orElse(defaultAtol);
            double t = r.doubleOption("rtol", "--rtol").orElse(defaultRtol);
            if (!(a > 0 && a < 1) || !(t > 0 && t < 1)) {
                throw new BadInputException("--atol " + a + " / --rtol " + t + " out of range; allowed: 0 < value < 1");
            }
            return Solver.Options.tolerances(a, t);
        }
        if (r.option("atol").isPresent() || r.option("rtol").isPresent()) {
            throw new BadInputException("--atol/--rtol apply only to --solver dopri5; " + s.key() + " takes --nfe");
        }
        if (nfe.isEmpty()) {
            return Solver.Options.steps(defaultSteps);
        }
        if (nfe.get() < s.stages() || nfe.get() > 1_000_000) {
            throw new BadInputException("--nfe " + nfe.get() + " is out of range for " + s.key() + "; allowed: "
                    + s.stages() + " to 1000000 (" + s.stages() + " evaluations per step)");
        }
        return Solver.Options.steps(nfe.get() / s.stages());
    }
}
