package io.ganflow.nn;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The one time embedding of ganflow's velocity, score and ε nets: e(t) = [sin(t·ω), cos(t·ω)] for t of shape
 * (n, 1), with E/2 frequencies ω kept as the net's buffer {@code time.freqs} (shape (1, E/2)), so a checkpoint and
 * an export carry them.
 * <ul>
 *   <li>{@link #sinusoidal}: ω_k geometric from 1 to a maximum (Vaswani et al. 2017, as DDPM uses it): 100 for the
 *       toy {@link VelocityNet}, 1000 for the {@link UNet};</li>
 *   <li>{@link #fourier}: random Fourier features, ω_k ~ N(0, σ²) drawn once (Tancik et al. 2020).</li>
 * </ul>
 * Anything else a net is conditioned on (a noise level σ through c_noise, a class label's embedding) enters by
 * addition to what the net makes of e(t), so the nets keep one conditioning input.
 */
public final class TimeEmbedding {
    private final Tensor freqs;

    private TimeEmbedding(Tensor freqs) {
        this.freqs = freqs;
    }

    /** ω_k = max^(k / (E/2 − 1)), k &lt; E/2 (ω = 1 when E = 2), in float32. */
    public static TimeEmbedding sinusoidal(int dim, double maxFrequency) {
        int half = half(dim);
        float[] f = new float[half];
        for (int k = 0; k < half; k++) {
            f[k] = (float) (half == 1 ? 1 : Math.pow(maxFrequency, (double) k / (half - 1)));
        }
        return new TimeEmbedding(Ops.fromFloats(f, 1, half));
    }

    /** ω_k = σ·g_k with g ~ N(0, 1) drawn from {@code rng}, in float32. */
    public static TimeEmbedding fourier(int dim, double sigma, Rng rng) {
        int half = half(dim);
        double[] g = Ops.toDoubles(rng.normal(half));
        float[] f = new float[half];
        for (int k = 0; k < half; k++) {
            f[k] = (float) (sigma * g[k]);
        }
        return new TimeEmbedding(Ops.fromFloats(f, 1, half));
    }

    private static int half(int dim) {
        if (dim < 2 || dim % 2 != 0) {
            throw new IllegalArgumentException("time embedding dimension must be even and >= 2, got " + dim);
        }
        return dim / 2;
    }

    /** The same embedding with its frequencies passed through {@code buffer} (a net's precision, e.g. float64). */
    public TimeEmbedding map(java.util.function.UnaryOperator<Tensor> buffer) {
        return new TimeEmbedding(buffer.apply(freqs));
    }

    /** The frequencies, (1, E/2): the net registers them as its buffer {@code time.freqs}. */
    public Tensor freqs() {
        return freqs;
    }

    /** E, the embedding's width. */
    public int dim() {
        return 2 * (int) freqs.size(1);
    }

    /** e(t) = [sin(t·ω), cos(t·ω)], (n, E), for t of shape (n, 1) and of the frequencies' type. */
    public Tensor apply(Tensor t) {
        Tensor a = t.matmul(freqs);
        return Ops.cat(List.of(torch.sin(a), torch.cos(a)), 1);
    }
}
