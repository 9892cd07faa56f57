package io.ganflow.diffusion;

import java.util.List;

/**
 * What a diffusion net predicts, and the conversions between its output and the data, written once. With
 * x = α x_0 + σ ε, every parameterisation is linear: the net F sees c_in·x, its regression target is
 * t_x·x_0 + t_ε·ε, and the denoised estimate is D = c_x·x + c_o·F. Then D − x_0 = c_o·(F − target), so an error
 * in the target's space is 1/|c_o| times the error in x_0.
 *
 * <table>
 *   <caption>parameterisations</caption>
 *   <tr><th>target</th><th>F regresses</th><th>D(x) from F</th><th>source</th></tr>
 *   <tr><td>{@code eps}</td><td>ε</td><td>(x − σF)/α</td><td>DDPM (Ho et al. 2020)</td></tr>
 *   <tr><td>{@code x0}</td><td>x_0</td><td>F</td><td>Ramesh et al. 2022; Karras et al. 2022 (table 1)</td></tr>
 *   <tr><td>{@code v}</td><td>αε − σx_0</td><td>(αx − σF)/(α² + σ²)</td><td>Salimans &amp; Ho 2022</td></tr>
 *   <tr><td>{@code score}</td><td>∇ log p(x_t | x_0) = −ε/σ</td><td>(x + σ²F)/α</td><td>NCSN, Song &amp; Ermon 2019</td></tr>
 *   <tr><td>{@code edm}</td><td>(x_0 − c_skip x̃)/c_out</td><td>c_skip x̃ + c_out F</td><td>Karras et al. 2022, eq. 7</td></tr>
 * </table>
 * EDM's preconditioning is written for α = 1; for another process it is applied to x̃ = x/α, whose noise level is
 * σ̃ = σ/α: c_skip = σ_d²/(σ̃² + σ_d²), c_out = σ̃σ_d/√(σ̃² + σ_d²), c_in = 1/(α√(σ̃² + σ_d²)) on x.
 */
public enum Target {
    EPS("eps"), X0("x0"), V("v"), SCORE("score"), EDM("edm");

    /** The config words, in order. */
    public static final List<String> NAMES = List.of("eps", "x0", "v", "score", "edm");

    private final String key;

    Target(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Target byKey(String key) {
        for (Target t : values()) {
            if (t.key.equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown target " + key + "; allowed: " + NAMES);
    }

    /**
     * The linear maps of one noise level.
     *
     * @param cin the net's input scale: F sees cin·x
     * @param cx D's weight on x
     * @param co D's weight on F
     * @param tx the target's weight on x_0
     * @param te the target's weight on ε
     */
    public record Coefficients(double cin, double cx, double co, double tx, double te) {
        /** |target error| / |x_0 error|: 1/|c_o|. */
        public double errorScale() {
            return 1 / Math.abs(co);
        }
    }

    /** The coefficients at scale α and noise σ; σ_d (the data's std) is used by {@code edm} only. */
    public Coefficients coefficients(double alpha, double sigma, double sigmaData) {
        switch (this) {
            case EPS:
                return new Coefficients(1, 1 / alpha, -sigma / alpha, 0, 1);
            case X0:
                return new Coefficients(1, 0, 1, 1, 0);
            case V: {
                double n = alpha * alpha + sigma * sigma;
                return new Coefficients(1, alpha / n, -sigma / n, -sigma, alpha);
            }
            case SCORE:
                return new Coefficients(1, 1 / alpha, sigma * sigma / alpha, 0, -1 / sigma);
            default: {
                double s = sigma / alpha;
                double d2 = sigmaData * sigmaData;
                double skip = d2 / (s * s + d2);
                double out = s * sigmaData / Math.sqrt(s * s + d2);
                return new Coefficients(1 / (alpha * Math.sqrt(s * s + d2)), skip / alpha, out, (1 - skip) / out,
                        -skip * s / out);
            }
        }
    }

    /**
     * How the loss weighs noise levels, as a weight λ on ‖D − x_0‖² (the target's own squared error is then
     * weighted λ·c_o²).
     */
    public enum Weighting {
        /** Unit weight in the target's own space: DDPM's simple loss for {@code eps}, EDM's for {@code edm}. */
        SIMPLE("simple"),
        /** g(t)² on the score's error (Song, Durkan, Murray &amp; Ermon 2021): λ = g²α²/σ⁴; bounds the NLL. */
        LIKELIHOOD("likelihood"),
        /** σ² on the score's error (NCSN, Song &amp; Ermon 2019): λ = α²/σ², the ε loss. */
        SIGMA2("sigma2"),
        /** EDM's λ(σ) = (σ̃² + σ_d²)/(σ̃σ_d)² (Karras et al. 2022, eq. 8; unit weight on F under {@code edm}). */
        EDM("edm");

        public static final List<String> NAMES = List.of("simple", "likelihood", "sigma2", "edm");

        private final String key;

        Weighting(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public static Weighting byKey(String key) {
            for (Weighting w : values()) {
                if (w.key.equals(key)) {
                    return w;
                }
            }
            throw new IllegalArgumentException("unknown weighting " + key + "; allowed: " + NAMES);
        }

        /** The weight on the target's squared error at time t of process p. */
        public double targetWeight(Target target, Process p, double t, double sigmaData) {
            double a = p.alpha(t);
            double s = p.sigma(t);
            Coefficients c = target.coefficients(a, s, sigmaData);
            double lambda = switch (this) {
                case SIMPLE -> c.errorScale() * c.errorScale();
                case LIKELIHOOD -> p.g2(t) * a * a / (s * s * s * s);
                case SIGMA2 -> a * a / (s * s);
                case EDM -> {
                    double r = s / a;
                    yield (r * r + sigmaData * sigmaData) / (r * r * sigmaData * sigmaData);
                }
            };
            return lambda * c.co() * c.co();
        }
    }
}
