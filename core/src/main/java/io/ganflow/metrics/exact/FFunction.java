package io.ganflow.metrics.exact;

/**
 * The generator f of an f-divergence D_f(p‖q) = E_q f(p/q) (convex, f(1) = 0), with the two limits the
 * integral needs where one density vanishes: f(0) (where p = 0 &lt; q) and f′(∞) = lim f(t)/t (where
 * q = 0 &lt; p). Either may be +∞.
 */
public interface FFunction {
    String name();

    double f(double t);

    /** f(0), the contribution per unit of q-mass where p = 0. */
    double atZero();

    /** lim_{t→∞} f(t)/t, the contribution per unit of p-mass where q = 0. */
    double slopeAtInfinity();

    /** f(t) from log t, for t ≤ 1; exact where t itself would underflow. */
    default double fFromLog(double logT) {
        return f(Math.exp(logT));
    }

    /** f(t)/t from log t, for t &gt; 1; exact where t itself would overflow. */
    default double fOverT(double logT) {
        double t = Math.exp(logT);
        return Double.isFinite(t) ? f(t) / t : slopeAtInfinity();
    }

    /** KL(p‖q): f(t) = t log t. */
    FFunction KL = new FFunction() {
        @Override
        public String name() {
            return "kl";
        }

        @Override
        public double f(double t) {
            return t == 0 ? 0 : t * Math.log(t);
        }

        @Override
        public double fOverT(double logT) {
            return logT;
        }

        @Override
        public double atZero() {
            return 0;
        }

        @Override
        public double slopeAtInfinity() {
            return Double.POSITIVE_INFINITY;
        }
    };
    /** KL(q‖p): f(t) = −log t. */
    FFunction REVERSE_KL = new FFunction() {
        @Override
        public String name() {
            return "reverse_kl";
        }

        @Override
        public double f(double t) {
            return -Math.log(t);
        }

        @Override
        public double fFromLog(double logT) {
            return -logT;
        }

        @Override
        public double atZero() {
            return Double.POSITIVE_INFINITY;
        }

        @Override
        public double slopeAtInfinity() {
            return 0;
        }
    };
    /**
     * Jensen–Shannon in the documents' convention, JS = ½KL(p‖m) + ½KL(q‖m) with m = (p + q)/2, in
     * [0, ln 2]: f(t) = ½[t log(2t/(1 + t)) + log(2/(1 + t))].
     */
    FFunction JS = of("js", t -> 0.5 * ((t == 0 ? 0 : t * Math.log(2 * t / (1 + t))) + Math.log(2 / (1 + t))),
            0.5 * Math.log(2), 0.5 * Math.log(2));
    /** Total variation ½∫|p − q|: f(t) = ½|t − 1|. */
    FFunction TV = of("tv", t -> 0.5 * Math.abs(t - 1), 0.5, 0.5);
    /** Pearson χ²: f(t) = (t − 1)². */
    FFunction PEARSON = of("pearson", t -> (t - 1) * (t - 1), 1, Double.POSITIVE_INFINITY);
    /** Squared Hellinger ∫(√p − √q)²: f(t) = (√t − 1)². */
    FFunction HELLINGER = of("hellinger", t -> (Math.sqrt(t) - 1) * (Math.sqrt(t) - 1), 1, 1);

    static FFunction of(String name, java.util.function.DoubleUnaryOperator f, double atZero, double slopeAtInfinity) {
        return new FFunction() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public double f(double t) {
                return f.applyAsDouble(t);
            }

            @Override
            public double atZero() {
                return atZero;
            }

            @Override
            public double slopeAtInfinity() {
                return slopeAtInfinity;
            }
        };
    }
}
