package io.ganflow.nn;

import java.util.function.BiFunction;
import org.bytedeco.pytorch.Tensor;

/**
 * A generator with batch norms whose outputs a caller may transform before the next layer: the seam of
 * conditional batch norm ({@link ClassNormGenerator}). The DCGAN and ResNet generators are ones.
 */
public interface NormedGenerator extends Module {
    /** The forward pass with {@code afterNorm} applied to the output of batch norm i (i = 0, 1, … in order). */
    Tensor forward(Tensor z, BiFunction<Integer, Tensor, Tensor> afterNorm);

    /** The channels of each batch norm, in order (0 for a slot without one). */
    long[] normChannels();
}
