package io.ganflow.diffusion;

/**
 * A discrete variance-preserving forward process (DDPM: Ho, Jain &amp; Abbeel 2020): T steps with variances
 * β_1 … β_T, q(x_t | x_{t−1}) = N(√(1 − β_t) x_{t−1}, β_t I), hence q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I) with
 * ᾱ_t = Π_{s ≤ t} (1 − β_s) and ᾱ_0 = 1. Values are float64, indexed by t = 0 … T.
 */
public final class NoiseSchedule {
    /** The names of {@link #byName}. */
    public static final java.util.List<String> NAMES = java.util.List.of("linear", "cosine");

    private final String name;
    private final double[] beta;
    private final double[] alphaBar;

    private NoiseSchedule(String name, double[] betaFrom1) {
        int t = betaFrom1.length;
        this.name = name;
        this.beta = new double[t + 1];
        this.alphaBar = new double[t + 1];
        alphaBar[0] = 1;
        for (int s = 1; s <= t; s++) {
            beta[s] = betaFrom1[s - 1];
            alphaBar[s] = alphaBar[s - 1] * (1 - beta[s]);
        }
    }

    /** DDPM's linear schedule: β_t from {@code start} to {@code end} evenly over t = 1 … T (DDPM: 1e-4 to 0.02, T = 1000). */
    public static NoiseSchedule linear(int steps, double start, double end) {
        check(steps);
        if (!(start > 0 && end < 1 && start <= end)) {
            throw new IllegalArgumentException("need 0 < beta_start <= beta_end < 1, got " + start + ", " + end);
        }
        double[] b = new double[steps];
        for (int i = 0; i < steps; i++) {
            b[i] = steps == 1 ? start : start + (end - start) * i / (steps - 1);
        }
        return new NoiseSchedule("linear", b);
    }

    /**
     * The cosine schedule (Nichol &amp; Dhariwal 2021, eq. 17): ᾱ_t = f(t)/f(0), f(t) = cos²(((t/T + s)/(1 + s))·π/2),
     * s = 0.008, and β_t = 1 − ᾱ_t/ᾱ_{t−1} clipped to at most 0.999 (which changes only the last few ᾱ_t).
     */
    public static NoiseSchedule cosine(int steps) {
        check(steps);
        double s = 0.008;
        double f0 = f(0, steps, s);
        double[] b = new double[steps];
        for (int t = 1; t <= steps; t++) {
            b[t - 1] = Math.min(0.999, 1 - (f(t, steps, s) / f0) / (f(t - 1, steps, s) / f0));
        }
        return new NoiseSchedule("cosine", b);
    }

    private static double f(int t, int steps, double s) {
        double c = Math.cos(((double) t / steps + s) / (1 + s) * Math.PI / 2);
        return c * c;
    }

    private static void check(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("need at least one diffusion step, got " + steps);
        }
    }

    /** The schedule of a config word ({@link #NAMES}). */
    public static NoiseSchedule byName(String name, int steps, double start, double end) {
        return switch (name) {
            case "linear" -> linear(steps, start, end);
            case "cosine" -> cosine(steps);
            default -> throw new IllegalArgumentException("unknown schedule " + name + "; allowed: " + NAMES);
        };
    }

    public String name() {
        return name;
    }

    /** T, the number of steps. */
    public int steps() {
        return beta.length - 1;
    }

    /** β_t, t = 1 … T. */
    public double beta(int t) {
        return beta[t];
    }

    /** ᾱ_t, t = 0 … T (ᾱ_0 = 1). */
    public double alphaBar(int t) {
        return alphaBar[t];
    }

    /** β̃_t = (1 − ᾱ_{t−1})/(1 − ᾱ_t)·β_t, the variance of the true posterior q(x_{t−1} | x_t, x_0). */
    public double betaTilde(int t) {
        return (1 - alphaBar[t - 1]) / (1 - alphaBar[t]) * beta[t];
    }
}
