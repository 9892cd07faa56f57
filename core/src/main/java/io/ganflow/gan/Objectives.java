package io.ganflow.gan;

import io.ganflow.engine.Ops;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The adversarial objectives of SPEC section A, as pure functions of the critic's raw outputs. With D the
 * critic's logit and σ the sigmoid, log σ(D) = −softplus(−D) and log(1 − σ(D)) = −softplus(D): every
 * classifier loss is written with softplus, so it stays finite for any logit.
 */
public final class Objectives {
    private Objectives() {}

    public static final List<String> NAMES = List.of("minimax", "nonsaturating", "wasserstein", "hinge",
            "least_squares", "monoflow", "fgan", "relativistic_pairing", "relativistic_average");

    /** The objectives that need no extra argument, by config name. */
    public static Objective byName(String name) {
        switch (name) {
            case "minimax":
                return MINIMAX;
            case "nonsaturating":
                return NON_SATURATING;
            case "wasserstein":
                return WASSERSTEIN;
            case "hinge":
                return HINGE;
            case "least_squares":
                return LEAST_SQUARES;
            case "relativistic_pairing":
                return RELATIVISTIC_PAIRING;
            case "relativistic_average":
                return RELATIVISTIC_AVERAGE;
            default:
                throw new IllegalArgumentException("unknown objective " + name + "; allowed: " + NAMES);
        }
    }

    /**
     * The D objective of A1 as a loss, with one-sided label smoothing (Salimans et al. 2016, §3.4): the real
     * target is {@code realLabel} (1 without smoothing, 0.9 with), the fake target stays 0.
     * Loss = E_p[t·softplus(−D) + (1 − t)·softplus(D)] + E_q softplus(D).
     */
    public static Tensor classifierLoss(Tensor realOut, Tensor fakeOut, double realLabel) {
        Tensor real = Ops.softplus(realOut.neg());
        if (realLabel != 1.0) {
            real = Ops.mul(real, realLabel).add(Ops.mul(Ops.softplus(realOut), 1 - realLabel));
        }
        return real.mean().add(Ops.softplus(fakeOut).mean());
    }

    /**
     * A1, Goodfellow et al. 2014, eq. 1. D maximises E_p log σ(D) + E_q log(1 − σ(D)); G minimises the
     * saturating E_q log(1 − σ(D)) = −E_q softplus(D).
     */
    public static Objective minimax(double realLabel) {
        return new Classifier("minimax", realLabel, fakeOut -> Ops.softplus(fakeOut).mean().neg());
    }

    /**
     * A2, Goodfellow et al. 2014, §3: G minimises −E_q log σ(D) = E_q softplus(−D), which keeps a strong
     * gradient when D confidently rejects the samples. D as in A1.
     */
    public static Objective nonSaturating(double realLabel) {
        return new Classifier("nonsaturating", realLabel, fakeOut -> Ops.softplus(fakeOut.neg()).mean());
    }

    public static final Objective MINIMAX = minimax(1.0);
    public static final Objective NON_SATURATING = nonSaturating(1.0);

    /**
     * A7, MonoFlow (seed 001): D is trained as in A1, so its logit estimates log(p/q); G minimises
     * −E_q h(D) for a monotonically increasing h. With h = log σ this is A2; with h = softplus it is A1's
     * saturating loss.
     *
     * @param name the h's name, for logs
     * @param h an increasing function applied elementwise to the logits (differentiable tensor code)
     */
    public static Objective monoFlow(String name, UnaryOperator<Tensor> h, double realLabel) {
        return new Classifier("monoflow-" + name, realLabel, fakeOut -> h.apply(fakeOut).mean().neg());
    }

    /** The built-in MonoFlow h: logit (identity), log_sigmoid, softplus, arcsinh, exp (exp(κ·d)). */
    public static UnaryOperator<Tensor> monoFlowH(String name, double kappa) {
        switch (name) {
            case "logit":
                return d -> d;
            case "log_sigmoid":
                return Ops::logSigmoid;
            case "softplus":
                return Ops::softplus;
            case "arcsinh":
                return torch::asinh;
            case "exp":
                return d -> torch.exp(Ops.mul(d, kappa));
            default:
                throw new IllegalArgumentException("unknown MonoFlow h " + name
                        + "; allowed: logit, log_sigmoid, softplus, arcsinh, exp");
        }
    }

    public static final List<String> MONOFLOW_H = List.of("logit", "log_sigmoid", "softplus", "arcsinh", "exp");

    /** A classifier objective: the A1 critic loss with a configurable real label, and a generator loss. */
    private record Classifier(String name, double realLabel, UnaryOperator<Tensor> gLoss) implements Objective {
        @Override
        public Tensor criticLoss(Tensor realOut, Tensor fakeOut) {
            return classifierLoss(realOut, fakeOut, realLabel);
        }

        @Override
        public Tensor generatorLoss(Tensor fakeOut) {
            return gLoss.apply(fakeOut);
        }
    }

    /**
     * The relativistic pairing GAN (RpGAN: Jolicoeur-Martineau 2019; R3GAN, Huang, Gokaslan, Kuleshov &amp; Tompkin
     * 2024, eq. 2): with f(t) = softplus(−t) = −log σ(t) and real and generated rows paired in order,
     * L_D = E f(D(x_r) − D(x_f)) and L_G = E f(D(x_f) − D(x_r)). The critic judges a real sample against a generated
     * one, not each alone; R3GAN shows that with the zero-centred penalties R1 and R2 together it converges locally.
     * The batches must have equal sizes.
     */
    public static final Objective RELATIVISTIC_PAIRING = new Relativistic("relativistic_pairing") {
        @Override
        public Tensor criticLoss(Tensor realOut, Tensor fakeOut) {
            return Ops.softplus(fakeOut.sub(paired(realOut, fakeOut))).mean();
        }

        @Override
        public Tensor generatorLoss(Tensor fakeOut, Tensor realOut) {
            return Ops.softplus(paired(realOut, fakeOut).sub(fakeOut)).mean();
        }
    };

    /**
     * The relativistic average GAN (RaGAN: Jolicoeur-Martineau 2018, eq. for RaSGAN): each sample is judged against
     * the other side's mean critic output, with f(t) = softplus(−t):
     * L_D = E_r f(D(x_r) − E_f D) + E_f f(E_r D − D(x_f)), L_G = E_f f(D(x_f) − E_r D) + E_r f(E_f D − D(x_r)).
     */
    public static final Objective RELATIVISTIC_AVERAGE = new Relativistic("relativistic_average") {
        @Override
        public Tensor criticLoss(Tensor realOut, Tensor fakeOut) {
            return Ops.softplus(fakeOut.mean().sub(realOut)).mean()
                    .add(Ops.softplus(fakeOut.sub(realOut.mean())).mean());
        }

        @Override
        public Tensor generatorLoss(Tensor fakeOut, Tensor realOut) {
            return Ops.softplus(realOut.mean().sub(fakeOut)).mean()
                    .add(Ops.softplus(realOut.sub(fakeOut.mean())).mean());
        }
    };

    /**
     * What the relativistic objectives share: the generator's loss reads the critic's outputs on real data, the
     * logged estimate is the mean gap E_p D − E_q D, and the critic's output is no classifier's logit.
     */
    private abstract static class Relativistic implements Objective {
        private final String name;

        Relativistic(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Tensor generatorLoss(Tensor fakeOut) {
            throw new IllegalStateException("the " + name + " loss needs the critic's outputs on real data");
        }

        @Override
        public boolean generatorNeedsReal() {
            return true;
        }

        @Override
        public Tensor estimate(Tensor realOut, Tensor fakeOut) {
            return realOut.mean().sub(fakeOut.mean());
        }

        @Override
        public String estimateName() {
            return "d_gap";
        }

        @Override
        public boolean isClassifier() {
            return false;
        }
    }

    /** The real outputs paired row by row with the generated ones: the batches must have one size. */
    private static Tensor paired(Tensor realOut, Tensor fakeOut) {
        if (realOut.size(0) != fakeOut.size(0)) {
            throw new IllegalArgumentException("the relativistic pairing loss pairs real and generated rows: got "
                    + realOut.size(0) + " and " + fakeOut.size(0));
        }
        return realOut;
    }

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

    /**
     * A9, hinge loss (Lim &amp; Ye 2017; Miyato et al. 2018, eq. 16–17): the critic minimises
     * E_p max(0, 1 − D) + E_q max(0, 1 + D); G minimises −E_q D.
     */
    public static final Objective HINGE = new Objective() {
        @Override
        public String name() {
            return "hinge";
        }

        @Override
        public Tensor criticLoss(Tensor realOut, Tensor fakeOut) {
            return torch.relu(Ops.rsub(1.0, realOut)).mean().add(torch.relu(Ops.add(fakeOut, 1.0)).mean());
        }

        @Override
        public Tensor generatorLoss(Tensor fakeOut) {
            return fakeOut.mean().neg();
        }

        @Override
        public String estimateName() {
            return "critic_gap";
        }

        @Override
        public boolean isClassifier() {
            return false;
        }
    };

    /**
     * A9, least squares (Mao et al. 2017, eq. 2 with a = 0, b = c = 1): the critic minimises
     * ½E_p (D − 1)² + ½E_q D²; G minimises ½E_q (D − 1)².
     */
    public static final Objective LEAST_SQUARES = new Objective() {
        @Override
        public String name() {
            return "least_squares";
        }

        @Override
        public Tensor criticLoss(Tensor realOut, Tensor fakeOut) {
            return Ops.mul(Ops.add(realOut, -1.0).square().mean().add(fakeOut.square().mean()), 0.5);
        }

        @Override
        public Tensor generatorLoss(Tensor fakeOut) {
            return Ops.mul(Ops.add(fakeOut, -1.0).square().mean(), 0.5);
        }

        @Override
        public String estimateName() {
            return "critic_gap";
        }

        @Override
        public boolean isClassifier() {
            return false;
        }
    };
}
