package io.ganflow.gan;

import io.ganflow.engine.Ops;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * The adversarial objectives of SPEC section A. With D the critic's logit and σ the sigmoid,
 * log σ(D) = −softplus(−D) and log(1 − σ(D)) = −softplus(D); writing the losses with softplus keeps them
 * finite for any logit.
 */
public final class Objectives {
    private Objectives() {}

    public static final List<String> NAMES = List.of("minimax", "nonsaturating", "wasserstein");

    public static Objective byName(String name) {
        switch (name) {
            case "minimax":
                return MINIMAX;
            case "nonsaturating":
                return NON_SATURATING;
            case "wasserstein":
                return WASSERSTEIN;
            default:
                throw new IllegalArgumentException("unknown objective " + name + "; allowed: " + NAMES);
        }
    }

    /** E_p softplus(−D) + E_q softplus(D) = −[E_p log σ(D) + E_q log(1 − σ(D))]: the negated A1 D objective. */
    static Tensor classifierLoss(Tensor realOut, Tensor fakeOut) {
        return Ops.softplus(realOut.neg()).mean().add(Ops.softplus(fakeOut).mean());
    }

    /**
     * A1, Goodfellow et al. 2014, eq. 1. D maximises E_p log σ(D) + E_q log(1 − σ(D)); G minimises the
     * saturating E_q log(1 − σ(D)) = −E_q softplus(D).
     */
    public static final Objective MINIMAX = new Objective() {
        @Override
        public String name() {
            return "minimax";
        }

        @Override
        public Tensor criticLoss(Tensor realOut, Tensor fakeOut) {
            return classifierLoss(realOut, fakeOut);
        }

        @Override
        public Tensor generatorLoss(Tensor fakeOut) {
            return Ops.softplus(fakeOut).mean().neg();
        }
    };

    /**
     * A2, Goodfellow et al. 2014, section 3: G minimises −E_q log σ(D) = E_q softplus(−D), which keeps a
     * strong gradient when D confidently rejects the samples. D as in A1.
     */
    public static final Objective NON_SATURATING = new Objective() {
        @Override
        public String name() {
            return "nonsaturating";
        }

        @Override
        public Tensor criticLoss(Tensor realOut, Tensor fakeOut) {
            return classifierLoss(realOut, fakeOut);
        }

        @Override
        public Tensor generatorLoss(Tensor fakeOut) {
            return Ops.softplus(fakeOut.neg()).mean();
        }
    };

    /**
     * A4, Arjovsky et al. 2017, eq. 3: the critic f maximises E_p f − E_q f, so it minimises
     * E_q f − E_p f; G minimises −E_q f. The negated critic loss estimates W1 up to f's Lipschitz constant.
     */
    public static final Objective WASSERSTEIN = new Objective() {
        @Override
        public String name() {
            return "wasserstein";
        }

        @Override
        public Tensor criticLoss(Tensor realOut, Tensor fakeOut) {
            return fakeOut.mean().sub(realOut.mean());
        }

        @Override
        public Tensor generatorLoss(Tensor fakeOut) {
            return fakeOut.mean().neg();
        }

        @Override
        public boolean isClassifier() {
            return false;
        }
    };
}
