package io.ganflow.nn;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Mlp;
import io.ganflow.nn.Module;
import io.ganflow.nn.Parameter;
import org.bytedeco.pytorch.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A velocity field v(x, t): an MLP on [x, e(t)] where e is a time embedding of dimension E (even).
 * <ul>
 *   <li>{@code sinusoidal} (Vaswani et al. 2017, as used by DDPM): e(t) = [sin(ω_k t), cos(ω_k t)], k &lt; E/2,
 *       with ω_k spaced geometrically from 1 to 100 (t lives in [0, 1]);</li>
 *   <li>{@code fourier} (Tancik et al. 2020): ω_k ~ N(0, σ²), σ = 16, drawn once and kept as a buffer.</li>
 * </ul>
 * As a {@link Module}, its input is [x, t] with t in the last column.
 */
public final class VelocityNet implements EmbeddedField {
    public static final List<String> EMBEDDINGS = List.of("sinusoidal", "fourier");
    private final int dim;
    private final int embed;
    private final TimeEmbedding time;
    private final String embedding;
    private final Mlp mlp;
    private final List<Parameter> buffers = new ArrayList<>();

    public VelocityNet(int dim, int width, int depth, Activation act, String embedding, int embedDim, Rng rng) {
        if (embedDim < 2 || embedDim % 2 != 0) {
            throw new IllegalArgumentException("time embedding dimension must be even and >= 2, got " + embedDim);
        }
        if (!EMBEDDINGS.contains(embedding)) {
            throw new IllegalArgumentException("unknown time embedding " + embedding + "; allowed: " + EMBEDDINGS);
        }
        this.dim = dim;
        this.embed = embedDim;
        this.embedding = embedding;
        time = embedding.equals("sinusoidal") ? TimeEmbedding.sinusoidal(embedDim, 100.0)
                : TimeEmbedding.fourier(embedDim, 16, rng);
        buffers.add(new Parameter("time.freqs", time.freqs()));
        mlp = Mlp.builder().in(dim + embedDim).out(dim).width(width).depth(depth).activation(act).build(rng);
    }

    public int dim() {
        return dim;
    }

    /** The MLP on [x, e(t)], of input size dim + embedDim and output size dim. */
    public Mlp mlp() {
        return mlp;
    }

    /** The time embedding's name, one of {@link #EMBEDDINGS}. */
    public String embedding() {
        return embedding;
    }

    /** The dimension E of e(t). */
    public int embedDim() {
        return embed;
    }

    /** e(t) for t of shape (n, 1). */
    public Tensor embed(Tensor t) {
        return time.apply(t);
    }

    /** v(x, t) with x (n, dim) and t (n, 1). */
    @Override
    public Tensor velocity(Tensor x, Tensor t) {
        return field(x, embed(t.to(x.scalar_type())));
    }

    /** mlp([x, e]). */
    @Override
    public Tensor field(Tensor x, Tensor e) {
        return mlp.forward(Ops.cat(List.of(x, e), 1));
    }

    @Override
    public long embedWidth() {
        return embedDim();
    }

    @Override
    public Tensor forward(Tensor xt) {
        return velocity(xt.narrow(1, 0, dim), xt.narrow(1, dim, 1));
    }

    @Override
    public List<Parameter> parameters() {
        return mlp.parameters();
    }

    @Override
    public List<Parameter> buffers() {
        return buffers;
    }

    @Override
    public String toString() {
        return "VelocityNet(" + mlp + ", " + embedding + " time embedding " + embed + ")";
    }
}
