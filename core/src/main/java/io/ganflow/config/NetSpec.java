package io.ganflow.config;

import java.util.Arrays;

/**
 * What a net must map: its role ("g" generator, "d" critic) and the shapes of one input and one output
 * sample, without the batch dimension: {@code [2]} for a 2-D point, {@code [1, 28, 28]} for a grey image,
 * {@code [1]} for a critic's score; and, for a conditional net, the number of classes of the label it takes
 * beside the sample (0: unconditional; {@code Setup.net} refuses a conditional spec whose factory made a net
 * that is not an {@link io.ganflow.nn.ConditionalModule}).
 */
public record NetSpec(String role, long[] inShape, long[] outShape, int classes) {
    public NetSpec {
        inShape = inShape.clone();
        outShape = outShape.clone();
        if (classes < 0) {
            throw new IllegalArgumentException("classes must be >= 0, got " + classes);
        }
    }

    /** An unconditional net. */
    public NetSpec(String role, long[] inShape, long[] outShape) {
        this(role, inShape, outShape, 0);
    }

    /** This spec for a net conditioned on {@code k} classes. */
    public NetSpec conditional(int k) {
        return new NetSpec(role, inShape, outShape, k);
    }


    /** A net between flat vectors of the given widths. */
    public static NetSpec flat(String role, int in, int out) {
        return new NetSpec(role, new long[] {in}, new long[] {out});
    }

    /** The number of numbers in one input sample. */
    public int inDim() {
        return (int) Arrays.stream(inShape).reduce(1, (a, b) -> a * b);
    }

    /** The number of numbers in one output sample. */
    public int outDim() {
        return (int) Arrays.stream(outShape).reduce(1, (a, b) -> a * b);
    }

    @Override
    public long[] inShape() {
        return inShape.clone();
    }

    @Override
    public long[] outShape() {
        return outShape.clone();
    }

    @Override
    public String toString() {
        return role + ": " + Arrays.toString(inShape) + " -> " + Arrays.toString(outShape)
                + (classes > 0 ? " given one of " + classes + " classes" : "");
    }
}
