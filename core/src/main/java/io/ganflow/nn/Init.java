package io.ganflow.nn;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import org.bytedeco.pytorch.Tensor;

/** Weight initialisers for a linear layer with weight (out, in) and bias (out), and for convolutions. */
public enum Init {
    /** PyTorch's nn.Linear default: weight and bias ~ U(−1/√fan_in, 1/√fan_in). */
    TORCH("torch"),
    /** Glorot uniform: U(−√(6/(fan_in+fan_out)), +…), bias 0. */
    XAVIER("xavier"),
    /** He normal for ReLU: N(0, 2/fan_in), bias 0. */
    KAIMING("kaiming"),
    /** DCGAN's N(0, 0.02²), bias 0. */
    NORMAL("normal");

    private final String key;

    Init(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** Fresh weight tensor (out, in). */
    public Tensor weight(long out, long in, Rng rng) {
        switch (this) {
            case TORCH:
                return uniform(rng, 1.0 / Math.sqrt(in), out, in);
            case XAVIER:
                return uniform(rng, Math.sqrt(6.0 / (in + out)), out, in);
            case KAIMING:
                return Ops.mul(rng.normal(out, in), Math.sqrt(2.0 / in));
            case NORMAL:
            default:
                return Ops.mul(rng.normal(out, in), 0.02);
        }
    }

    /**
     * A fresh weight of any shape with the given fans (a convolution's fan-in is in·k·k and fan-out out·k·k;
     * a transposed convolution's, as in PyTorch, out·k·k and in·k·k): TORCH draws U(−1/√fan_in, +…), which is
     * PyTorch's default for nn.Conv2d and nn.ConvTranspose2d too.
     */
    public Tensor weight(long[] shape, long fanIn, long fanOut, Rng rng) {
        switch (this) {
            case TORCH:
                return uniform(rng, 1.0 / Math.sqrt(fanIn), shape);
            case XAVIER:
                return uniform(rng, Math.sqrt(6.0 / (fanIn + fanOut)), shape);
            case KAIMING:
                return Ops.mul(rng.normal(shape), Math.sqrt(2.0 / fanIn));
            case NORMAL:
            default:
                return Ops.mul(rng.normal(shape), 0.02);
        }
    }

    /** Fresh bias tensor (out). */
    public Tensor bias(long out, long in, Rng rng) {
        if (this == TORCH) {
            return uniform(rng, 1.0 / Math.sqrt(in), out);
        }
        return Ops.zeros(out);
    }

    private static Tensor uniform(Rng rng, double bound, long... shape) {
        return Ops.add(Ops.mul(rng.uniform(shape), 2 * bound), -bound);
    }

    public static Init byKey(String key) {
        for (Init i : values()) {
            if (i.key.equals(key)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown init " + key);
    }

    public static String[] keys() {
        String[] k = new String[values().length];
        for (int i = 0; i < k.length; i++) {
            k[i] = values()[i].key;
        }
        return k;
    }
}
