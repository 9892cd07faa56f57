package io.ganflow.diffusion;

import java.util.List;

/**
 * A continuous-time forward process (Song et al. 2021, "Score-based generative modeling through stochastic
 * differential equations"): the linear SDE dx = f(t) x dt + g(t) dw, whose marginal given the data is
 * x_t = α(t) x_0 + σ(t) ε with ε ~ N(0, I), for t in [{@link #tMin}, {@link #tMax}]. Everything a sampler or a
 * loss needs is here, once: α, σ, f, g², the prior at t_max, the scalar the net's time embedding receives, and the
 * inverse of the noise-to-signal ratio σ/α (k-diffusion's σ, through which every σ-space sampler drives any
 * process).
 *
 * <ul>
 *   <li>{@link #vp} (DDPM's limit): β(t) = β_min + t(β_max − β_min), α = exp(−¼t²(β_max − β_min) − ½tβ_min),
 *       σ² = 1 − α², f = −½β, g² = β;</li>
 *   <li>{@link #subVp}: the same α, σ = 1 − α², g² = β(1 − α⁴) (Song et al. 2021, eq. 34): its variance stays
 *       below VP's;</li>
 *   <li>{@link #ve} (NCSN's geometric noise): α = 1, σ(t) = σ_min (σ_max/σ_min)^t, f = 0,
 *       g² = dσ²/dt = 2σ² ln(σ_max/σ_min);</li>
 *   <li>{@link #edm} (Karras et al. 2022): α = 1, σ(t) = t, f = 0, g² = 2t, t from σ_min to σ_max; the net sees
 *       c_noise = ¼ ln σ, and any σ &gt; 0 is a time (EDM's churn visits σ above σ_max).</li>
 * </ul>
 */
public abstract class Process {
    /** The names of {@link #byName}. */
    public static final List<String> NAMES = List.of("vp", "subvp", "ve", "edm");

    /**
     * The continuous cosine schedule (Nichol &amp; Dhariwal 2021, eq. 17, in continuous time): ᾱ(t) = f(t)/f(0) with
     * f(t) = cos²(((t + s)/(1 + s))·π/2), s = 0.008; α = √ᾱ, σ = √(1 − ᾱ), f(t) = −½β(t) and g² = β(t) with
     * β(t) = −d ln ᾱ/dt = π/(1 + s)·tan(((t + s)/(1 + s))·π/2). ᾱ reaches 0 at t = 1, so the process ends at
     * {@code tMax} &lt; 1 (DDPM's view: 1 − 1/T, where the discrete schedule's ᾱ_{T−1} is).
     */
    public static Process cosine(double tMin, double tMax) {
        if (!(tMax < 1 && tMax > tMin)) {
            throw new IllegalArgumentException("the cosine process needs t_min < t_max < 1, got " + tMin + ", " + tMax);
        }
        double s = 0.008;
        double f0 = Math.cos(s / (1 + s) * Math.PI / 2);
        return new Process("cosine", tMin, tMax) {
            private double angle(double t) {
                return (t + s) / (1 + s) * Math.PI / 2;
            }

            @Override
            public double alpha(double t) {
                return Math.cos(angle(t)) / f0;
            }

            @Override
            public double sigma(double t) {
                double a = alpha(t);
                return Math.sqrt(Math.max(0, 1 - a * a));
            }

            @Override
            public double f(double t) {
                return -0.5 * beta(t);
            }

            @Override
            public double g2(double t) {
                return beta(t);
            }

            private double beta(double t) {
                return Math.PI / (1 + s) * Math.tan(angle(t));
            }

            @Override
            public double priorStd() {
                return 1;
            }
        };
    }

    private final String name;
    private final double tMin;
    private final double tMax;

    Process(String name, double tMin, double tMax) {
        this.name = name;
        this.tMin = tMin;
        this.tMax = tMax;
    }

    public final String name() {
        return name;
    }

    /** Where sampling stops and training starts: t = ε (Song et al.: 1e-3 for VP sampling, 1e-5 for likelihood). */
    public final double tMin() {
        return tMin;
    }

    public final double tMax() {
        return tMax;
    }

    /** The data's scale at time t: E[x_t | x_0] = α(t) x_0. */
    public abstract double alpha(double t);

    /** The noise's scale at time t. */
    public abstract double sigma(double t);

    /** The drift coefficient: dx = f(t) x dt + g(t) dw. */
    public abstract double f(double t);

    /** The squared diffusion coefficient g(t)². */
    public abstract double g2(double t);

    /** The prior's standard deviation at t_max, per coordinate (the prior is N(0, std² I)). */
    public abstract double priorStd();

    /** The scalar the net's time embedding receives at time t: t itself, or EDM's c_noise = ¼ ln σ. */
    public double netTime(double t) {
        return t;
    }

    /** The noise-to-signal ratio σ(t)/α(t): k-diffusion's σ of the rescaled state x/α. Increasing in t. */
    public final double ratio(double t) {
        return sigma(t) / alpha(t);
    }

    /** The t whose {@link #ratio} is r, clamped to [t_min, t_max]; bisection (60 halvings) unless closed. */
    public double timeOfRatio(double r) {
        double lo = tMin;
        double hi = tMax;
        if (r <= ratio(lo)) {
            return lo;
        }
        if (r >= ratio(hi)) {
            return hi;
        }
        for (int i = 0; i < 60; i++) {
            double mid = 0.5 * (lo + hi);
            if (ratio(mid) < r) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** VP with β(t) from {@code betaMin} to {@code betaMax} (Song et al.: 0.1 to 20; DDPM's linear schedule is T·β). */
    public static Process vp(double betaMin, double betaMax, double tMin) {
        return new Vp("vp", betaMin, betaMax, tMin, false);
    }

    /** sub-VP with the same β(t). */
    public static Process subVp(double betaMin, double betaMax, double tMin) {
        return new Vp("subvp", betaMin, betaMax, tMin, true);
    }

    /** VE with σ from {@code sigmaMin} to {@code sigmaMax} over t in [tMin, 1] (NCSN++: 0.01 to 50 or 378). */
    public static Process ve(double sigmaMin, double sigmaMax, double tMin) {
        if (!(sigmaMin > 0 && sigmaMax > sigmaMin)) {
            throw new IllegalArgumentException("need 0 < sigma_min < sigma_max, got " + sigmaMin + ", " + sigmaMax);
        }
        return new Process("ve", tMin, 1) {
            private final double log = Math.log(sigmaMax / sigmaMin);

            @Override
            public double alpha(double t) {
                return 1;
            }

            @Override
            public double sigma(double t) {
                return sigmaMin * Math.exp(t * log);
            }

            @Override
            public double f(double t) {
                return 0;
            }

            @Override
            public double g2(double t) {
                double s = sigma(t);
                return 2 * s * s * log;
            }

            @Override
            public double priorStd() {
                return sigmaMax;
            }

            @Override
            public double timeOfRatio(double r) {
                return Math.min(1, Math.max(tMin(), Math.log(r / sigmaMin) / log));
            }
        };
    }

    /** EDM: σ(t) = t from {@code sigmaMin} to {@code sigmaMax} (EDM: 0.002 to 80). */
    public static Process edm(double sigmaMin, double sigmaMax) {
        if (!(sigmaMin > 0 && sigmaMax > sigmaMin)) {
            throw new IllegalArgumentException("need 0 < sigma_min < sigma_max, got " + sigmaMin + ", " + sigmaMax);
        }
        return new Process("edm", sigmaMin, sigmaMax) {
            @Override
            public double alpha(double t) {
                return 1;
            }

            @Override
            public double sigma(double t) {
                return t;
            }

            @Override
            public double f(double t) {
                return 0;
            }

            @Override
            public double g2(double t) {
                return 2 * t;
            }

            @Override
            public double priorStd() {
                return sigmaMax;
            }

            @Override
            public double netTime(double t) {
                return 0.25 * Math.log(t);
            }

            @Override
            public double timeOfRatio(double r) {
                // EDM's net takes any σ > 0 (the churn of its sampler visits σ above σ_max): no clamping
                return r;
            }
        };
    }

    /**
     * The process of a config word: {@code vp}/{@code subvp} with β from {@code a} to {@code b}, {@code ve}/{@code edm}
     * with σ from {@code a} to {@code b}.
     */
    public static Process byName(String name, double a, double b, double tMin) {
        return switch (name) {
            case "vp" -> vp(a, b, tMin);
            case "subvp" -> subVp(a, b, tMin);
            case "ve" -> ve(a, b, tMin);
            case "edm" -> edm(a, b);
            default -> throw new IllegalArgumentException("unknown process " + name + "; allowed: " + NAMES);
        };
    }

    private static final class Vp extends Process {
        private final double betaMin;
        private final double betaMax;
        private final boolean sub;

        Vp(String name, double betaMin, double betaMax, double tMin, boolean sub) {
            super(name, tMin, 1);
            if (!(betaMin > 0 && betaMax >= betaMin)) {
                throw new IllegalArgumentException("need 0 < beta_min <= beta_max, got " + betaMin + ", " + betaMax);
            }
            this.betaMin = betaMin;
            this.betaMax = betaMax;
            this.sub = sub;
        }

        private double beta(double t) {
            return betaMin + t * (betaMax - betaMin);
        }

        @Override
        public double alpha(double t) {
            return Math.exp(-0.25 * t * t * (betaMax - betaMin) - 0.5 * t * betaMin);
        }

        @Override
        public double sigma(double t) {
            // 1 − α² without cancellation at small t
            double oneMinusA2 = -Math.expm1(-0.5 * t * t * (betaMax - betaMin) - t * betaMin);
            return sub ? oneMinusA2 : Math.sqrt(oneMinusA2);
        }

        @Override
        public double f(double t) {
            return -0.5 * beta(t);
        }

        @Override
        public double g2(double t) {
            if (!sub) {
                return beta(t);
            }
            double a = alpha(t);
            return beta(t) * (1 - a * a * a * a);
        }

        @Override
        public double priorStd() {
            return 1;
        }
    }
}
