package io.ganflow.engine;

import java.util.Arrays;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A seeded libtorch random generator. All randomness of a training run flows through one of these, so
 * saving its {@link #state()} in a checkpoint makes a resumed run draw exactly what an uninterrupted run
 * would have drawn.
 */
public final class Rng {
    private final Generator gen;
    private final GeneratorOptional genOpt;
    private final long seed;

    public Rng(long seed) {
        Engine.ensureInitialised();
        this.seed = seed;
        this.gen = torch.createCPUGenerator(seed);
        this.genOpt = Scope.outlive(new GeneratorOptional(gen));
    }

    /** A generator for an independent stream, derived from a base seed and a stream name. */
    public static Rng derived(long seed, String stream) {
        long h = seed * 0x9E3779B97F4A7C15L + stream.hashCode();
        h ^= (h >>> 31);
        h *= 0xBF58476D1CE4E5B9L;
        h ^= (h >>> 29);
        return new Rng(h & Long.MAX_VALUE);
    }

    public long seed() {
        return seed;
    }

    GeneratorOptional opt() {
        return genOpt;
    }

    /** Standard normal samples of the given shape (float32). */
    public Tensor normal(long... shape) {
        return torch.randn(shape, opt(), Ops.floatOptions());
    }

    /** Uniform samples on [0, 1) of the given shape (float32). */
    public Tensor uniform(long... shape) {
        return torch.rand(shape, opt(), Ops.floatOptions());
    }

    /** Uniform integers in [0, high) (int64). */
    public Tensor integers(long high, long... shape) {
        return torch.randint(high, shape, opt(), Ops.longOptions());
    }

    /** A random permutation of 0..n-1 (int64). */
    public Tensor permutation(long n) {
        return torch.randperm(n, opt(), Ops.longOptions());
    }

    /** The generator's full state (Mersenne Twister words and normal-cache), as bytes. */
    public byte[] state() {
        Tensor s = gen.get_state();
        byte[] out = new byte[(int) s.numel()];
        s.contiguous().data_ptr_byte().get(out);
        return out;
    }

    /** Restores a state returned by {@link #state()}. */
    public void setState(byte[] state) {
        Tensor s = torch.empty(new long[] {state.length}, Ops.byteOptions(), null);
        s.data_ptr_byte().put(state);
        gen.set_state(s);
    }

    @Override
    public String toString() {
        return "Rng(seed=" + seed + ", state#" + Arrays.hashCode(state()) + ")";
    }
}
