package io.ganflow.nn;

import io.ganflow.engine.Ops;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Pointwise nonlinearities for hidden layers. */
public enum Activation {
    RELU("relu"),
    LEAKY_RELU("leaky_relu"),
    TANH("tanh"),
    SILU("silu"),
    ELU("elu"),
    SOFTPLUS("softplus"),
    GELU("gelu"),
    NONE("none");

    private final String key;

    Activation(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /**
     * ReLU in place on a tensor that nothing else holds (a layer's fresh output), else {@link #apply}: the same
     * values without a second buffer. Autograd allows it: the product before it keeps its inputs, not its output,
     * and ReLU's backward reads its own output. -Dganflow.relu.inplace=false turns it off (to measure it).
     */
    public Tensor applyToFresh(Tensor x) {
        return this == RELU && RELU_IN_PLACE ? torch.relu_(x) : apply(x);
    }

    private static final boolean RELU_IN_PLACE = Boolean.parseBoolean(System.getProperty("ganflow.relu.inplace",
            "true"));

    public Tensor apply(Tensor x) {
        switch (this) {
            case RELU:
                return torch.relu(x);
            case LEAKY_RELU:
                return torch.leaky_relu(x, Ops.s(0.2));
            case TANH:
                return torch.tanh(x);
            case SILU:
                return torch.silu(x);
            case ELU:
                return torch.elu(x);
            case SOFTPLUS:
                return torch.softplus(x);
            case GELU:
                return torch.gelu(x);
            default:
                return x;
        }
    }

    public static Activation byKey(String key) {
        for (Activation a : values()) {
            if (a.key.equals(key)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation " + key);
    }

    public static String[] keys() {
        String[] k = new String[values().length];
        for (int i = 0; i < k.length; i++) {
            k[i] = values()[i].key;
        }
        return k;
    }
}
