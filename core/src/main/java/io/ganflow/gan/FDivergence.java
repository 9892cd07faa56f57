package io.ganflow.gan;

import io.ganflow.engine.Ops;
import io.ganflow.metrics.exact.FFunction;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The f-divergences of the f-GAN objective (A8; Nowozin et al. 2016, Table 2 and §2.4), in the documents'
 * convention D_f(p‖q) = E_q f(p/q) with JS in [0, ln 2] (so JS's f is half of Nowozin's). Each has the
 * generator f, its Fenchel conjugate f*(t) = sup_u (t·u − f(u)), the output activation g_f that maps the
 * critic's raw output into the domain of f*, and f′ (the optimal T is f′(p/q)). Every conjugate is checked
 * numerically against the supremum in the tests.
 */
public enum FDivergence {
    /** f(u) = u log u; f*(t) = e^(t−1); g_f(v) = v; f′(u) = 1 + log u. */
    KL("kl", FFunction.KL, t -> Math.exp(t - 1), v -> v, u -> 1 + Math.log(u)),
    /** f(u) = −log u; f*(t) = −1 − log(−t), t &lt; 0; g_f(v) = −e^(−v); f′(u) = −1/u. */
    REVERSE_KL("reverse_kl", FFunction.REVERSE_KL, t -> t < 0 ? -1 - Math.log(-t) : Double.POSITIVE_INFINITY,
            v -> -Math.exp(-v), u -> -1 / u),
    /** f(u) = ½[u log(2u/(1+u)) + log(2/(1+u))]; f*(t) = −½ log(2 − e^(2t)), t &lt; ½ log 2;
     *  g_f(v) = ½(log 2 + log σ(v)); f′(u) = ½ log(2u/(1+u)). */
    JS("js", FFunction.JS, t -> t < 0.5 * Math.log(2) ? -0.5 * Math.log(2 - Math.exp(2 * t)) : Double.POSITIVE_INFINITY,
            v -> 0.5 * (Math.log(2) - Math.log1p(Math.exp(-v))), u -> 0.5 * Math.log(2 * u / (1 + u))),
    /** f(u) = ½|u − 1|; f*(t) = t for |t| ≤ ½; g_f(v) = ½ tanh(v); f′(u) = ½ sign(u − 1). */
    TV("tv", FFunction.TV, t -> Math.abs(t) <= 0.5 ? t : Double.POSITIVE_INFINITY, v -> 0.5 * Math.tanh(v),
            u -> 0.5 * Math.signum(u - 1)),
    /**
     * f(u) = (u − 1)² on u ≥ 0; f*(t) = t²/4 + t for t ≥ −2 and −1 below (the supremum over u ≥ 0 sits at
     * u = 0 there; Nowozin et al. use t²/4 + t everywhere, the conjugate of f extended to u &lt; 0, which is a
     * looser bound); g_f(v) = v; f′(u) = 2(u − 1).
     */
    PEARSON("pearson", FFunction.PEARSON, t -> t >= -2 ? t * t / 4 + t : -1, v -> v, u -> 2 * (u - 1)),
    /** f(u) = (√u − 1)²; f*(t) = t/(1 − t), t &lt; 1; g_f(v) = 1 − e^(−v); f′(u) = 1 − 1/√u. */
    HELLINGER("hellinger", FFunction.HELLINGER, t -> t < 1 ? t / (1 - t) : Double.POSITIVE_INFINITY,
            v -> 1 - Math.exp(-v), u -> 1 - 1 / Math.sqrt(u));

    private final String key;
    private final FFunction f;
    private final DoubleUnaryOperator conjugate;
    private final DoubleUnaryOperator activation;
    private final DoubleUnaryOperator derivative;

    FDivergence(String key, FFunction f, DoubleUnaryOperator conjugate, DoubleUnaryOperator activation,
            DoubleUnaryOperator derivative) {
        this.key = key;
        this.f = f;
        this.conjugate = conjugate;
        this.activation = activation;
        this.derivative = derivative;
    }

    public String key() {
        return key;
    }

    public FFunction f() {
        return f;
    }

    /** f*(t) on a number. */
    public double conjugate(double t) {
        return conjugate.applyAsDouble(t);
    }

    /** g_f(v) on a number. */
    public double activation(double v) {
        return activation.applyAsDouble(v);
    }

    /** f′(u), the optimal critic value T*(x) = f′(p(x)/q(x)). */
    public double derivative(double u) {
        return derivative.applyAsDouble(u);
    }

    /** g_f on a tensor (differentiable). */
    public Tensor activation(Tensor v) {
        switch (this) {
            case KL:
            case PEARSON:
                return v;
            case REVERSE_KL:
                return torch.exp(v.neg()).neg();
            case JS:
                return Ops.mul(Ops.add(Ops.logSigmoid(v), Math.log(2)), 0.5);
            case TV:
                return Ops.mul(torch.tanh(v), 0.5);
            default: // HELLINGER
                return Ops.rsub(1.0, torch.exp(v.neg()));
        }
    }

    /** f* on a tensor whose values lie in the domain (as g_f guarantees). */
    public Tensor conjugate(Tensor t) {
        switch (this) {
            case KL:
                return torch.exp(Ops.add(t, -1.0));
            case REVERSE_KL:
                return Ops.rsub(-1.0, torch.log(t.neg()));
            case JS:
                return Ops.mul(torch.log(Ops.rsub(2.0, torch.exp(Ops.mul(t, 2.0)))), -0.5);
            case TV:
                return t;
            case PEARSON:
                // (t/2 + 1)² − 1, with t clamped at −2 so that the value is −1 below it
                return Ops.add(Ops.add(Ops.mul(torch.clamp_min(t, Ops.s(-2.0)), 0.5), 1.0).square(), -1.0);
            default: // HELLINGER
                return t.div(Ops.rsub(1.0, t));
        }
    }

    /** f* ∘ g_f on raw critic outputs, written stably where the composition simplifies. */
    public Tensor conjugateOfActivation(Tensor v) {
        switch (this) {
            case JS:
                // f*(½(log 2 + log σ(v))) = −½ log(2 − 2σ(v)) = −½(log 2 + log σ(−v))
                return Ops.mul(Ops.add(Ops.logSigmoid(v.neg()), Math.log(2)), -0.5);
            case REVERSE_KL:
                // f*(−e^(−v)) = −1 + v
                return Ops.add(v, -1.0);
            case HELLINGER:
                // f*(1 − e^(−v)) = e^v − 1
                return Ops.add(torch.exp(v), -1.0);
            default:
                return conjugate(activation(v));
        }
    }

    public static FDivergence byKey(String key) {
        for (FDivergence d : values()) {
            if (d.key.equals(key)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown f-divergence " + key + "; allowed: kl, reverse_kl, js, tv, pearson,"
                + " hellinger");
    }

    public static String[] keys() {
        String[] k = new String[values().length];
        for (int i = 0; i < k.length; i++) {
            k[i] = values()[i].key;
        }
        return k;
    }

    /**
     * The f-GAN objective: T = g_f(V) with V the critic's raw output. The critic maximises the variational
     * bound E_p T − E_q f*(T) ≤ D_f(p‖q), so its loss is the negated bound; the generator uses Nowozin et
     * al.'s alternative update (§3.2), minimising −E_q T.
     */
    public Objective objective() {
        FDivergence d = this;
        return new Objective() {
            @Override
            public String name() {
                return "fgan-" + key;
            }

            @Override
            public Tensor criticLoss(Tensor realOut, Tensor fakeOut) {
                return bound(realOut, fakeOut).neg();
            }

            @Override
            public Tensor generatorLoss(Tensor fakeOut) {
                return d.activation(fakeOut).mean().neg();
            }

            @Override
            public Tensor estimate(Tensor realOut, Tensor fakeOut) {
                return bound(realOut, fakeOut);
            }

            @Override
            public String estimateName() {
                return key + "_estimate";
            }

            @Override
            public boolean isClassifier() {
                return false;
            }
        };
    }

    /** E_p g_f(V) − E_q f*(g_f(V)): a lower bound on D_f(p‖q) for any critic. */
    public Tensor bound(Tensor realOut, Tensor fakeOut) {
        return activation(realOut).mean().sub(conjugateOfActivation(fakeOut).mean());
    }

    @Override
    public String toString() {
        return key.toUpperCase(Locale.ROOT);
    }
}
