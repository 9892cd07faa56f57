package io.ganflow.nn;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * A multilayer perceptron: {@code depth} hidden layers of {@code width} units with an activation after
 * each, then a linear output layer. Parameters are named {@code layer<i>.weight} and {@code layer<i>.bias}.
 */
public final class Mlp implements Module {
    private final int in;
    private final int width;
    private final int depth;
    private final int out;
    private final Activation activation;
    private final List<Tensor> weights = new ArrayList<>();
    private final List<Tensor> biases = new ArrayList<>();
    private final List<Parameter> params = new ArrayList<>();

    private Mlp(int in, int width, int depth, int out, Activation activation, Init init, boolean doubles, Rng rng) {
        if (in < 1 || out < 1 || depth < 0 || (depth > 0 && width < 1)) {
            throw new IllegalArgumentException("bad MLP shape in=" + in + " width=" + width + " depth=" + depth
                    + " out=" + out);
        }
        this.in = in;
        this.width = width;
        this.depth = depth;
        this.out = out;
        this.activation = activation;
        int prev = in;
        for (int i = 0; i <= depth; i++) {
            int next = i < depth ? width : out;
            Tensor w = init.weight(next, prev, rng);
            Tensor b = init.bias(next, prev, rng);
            if (doubles) {
                w = w.to(org.bytedeco.pytorch.global.torch.ScalarType.Double);
                b = b.to(org.bytedeco.pytorch.global.torch.ScalarType.Double);
            }
            w.set_requires_grad(true);
            b.set_requires_grad(true);
            weights.add(w);
            biases.add(b);
            params.add(new Parameter("layer" + i + ".weight", w));
            params.add(new Parameter("layer" + i + ".bias", b));
            prev = next;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null);
    }

    /**
     * Applies the network; if {@code hidden} is not null, each hidden layer's post-activation output is
     * appended to it (for feature matching and diagnostics).
     */
    public Tensor forward(Tensor x, List<Tensor> hidden) {
        Tensor h = x;
        for (int i = 0; i <= depth; i++) {
            h = Ops.linear(h, weights.get(i), biases.get(i));
            if (i < depth) {
                h = activation.apply(h);
                if (hidden != null) {
                    hidden.add(h);
                }
            }
        }
        return h;
    }

    @Override
    public List<Parameter> parameters() {
        return Collections.unmodifiableList(params);
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public int width() {
        return width;
    }

    public int depth() {
        return depth;
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public String toString() {
        return "Mlp(" + in + " -> " + width + "x" + depth + " " + activation.key() + " -> " + out + ")";
    }

    /** Builds an {@link Mlp}; every field has a default except the input and output sizes. */
    public static final class Builder {
        private int in = -1;
        private int out = -1;
        private int width = 128;
        private int depth = 3;
        private Activation activation = Activation.RELU;
        private Init init = Init.TORCH;
        private boolean doubles;

        public Builder in(int v) {
            in = v;
            return this;
        }

        public Builder out(int v) {
            out = v;
            return this;
        }

        public Builder width(int v) {
            width = v;
            return this;
        }

        public Builder depth(int v) {
            depth = v;
            return this;
        }

        public Builder activation(Activation v) {
            activation = v;
            return this;
        }

        public Builder init(Init v) {
            init = v;
            return this;
        }

        /** Float64 parameters (for finite-difference tests; training uses float32). */
        public Builder doublePrecision(boolean v) {
            doubles = v;
            return this;
        }

        public Mlp build(Rng rng) {
            return new Mlp(in, width, depth, out, activation, init, doubles, rng);
        }
    }
}
