package io.ganflow.cli.bench;

/** A step {@code ganflow bench} times: one iteration in its own native-memory scope, and its FLOP count. */
interface BenchWorkload {
    /** One iteration (for a GAN: the critic updates and one generator update). */
    void iteration();

    /** The convolution and matrix-product FLOPs of one iteration, as this side computes it. */
    double flops();
}
