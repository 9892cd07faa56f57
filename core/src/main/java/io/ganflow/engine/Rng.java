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
    /** Data-parallel sharding: this process's rank and the number of processes (1: no sharding). */
    private final int rank;
    private final int world;
    private final Rng base;
    /** Where draws are delivered: they are made on the host generator and copied there. */
    private final Device target;

    public Rng(long seed) {
        Engine.ensureInitialised();
        this.seed = seed;
        this.gen = torch.createCPUGenerator(seed);
        this.genOpt = Scope.outlive(new GeneratorOptional(gen));
        this.rank = 0;
        this.world = 1;
        this.base = this;
        this.target = Device.CPU;
    }

    private Rng(Rng base, int rank, int world, Device target) {
        this.seed = base.seed;
        this.gen = base.gen;
        this.genOpt = base.genOpt;
        this.rank = rank;
        this.world = world;
        this.base = base;
        this.target = target;
    }

    /**
     * A view of this generator for process {@code rank} of {@code world} data-parallel processes that all hold
     * the same seed: a draw whose first dimension is n draws n·world rows, exactly what one process drawing
     * the global batch would draw, and returns rows [rank·n, (rank+1)·n). The shards of all processes then
     * make up the single-process draw, and every process's generator stays in the same state.
     * {@link #permutation} is not sharded. The view shares this generator's state.
     */
    public Rng shard(int rank, int world) {
        if (world < 1 || rank < 0 || rank >= world) {
            throw new IllegalArgumentException("rank " + rank + " of " + world);
        }
        return new Rng(base, rank, world, target);
    }

    /**
     * A view of this generator whose draws are delivered on {@code device}. They are still made by the host
     * generator, so a run draws the same numbers on every device, its checkpointed state is the same bytes, and
     * a CUDA run can be compared with a CPU run value for value; the price is one host-to-device copy per draw.
     * The view shares this generator's state and keeps its shard.
     */
    public Rng on(Device device) {
        return device == target ? this : new Rng(base, rank, world, device);
    }

    /** This view with its draws delivered on the host (data sets index host memory with them). */
    public Rng onHost() {
        return on(Device.CPU);
    }

    /** The generator this one is a shard view of (itself when it is none), on the host. */
    public Rng unsharded() {
        return base;
    }

    private long[] global(long[] shape) {
        if (world == 1 || shape.length == 0) {
            return shape;
        }
        long[] g = shape.clone();
        g[0] *= world;
        return g;
    }

    private Tensor local(Tensor drawn, long[] shape) {
        return deliver(world == 1 || shape.length == 0 ? drawn : drawn.narrow(0, rank * shape[0], shape[0]));
    }

    private Tensor deliver(Tensor t) {
        return target == Device.CPU ? t : Ops.onDevice(t, target);
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
        return local(torch.randn(global(shape), opt(), Ops.floatOptions()), shape);
    }

    /** Uniform samples on [0, 1) of the given shape (float32). */
    public Tensor uniform(long... shape) {
        return local(torch.rand(global(shape), opt(), Ops.floatOptions()), shape);
    }

    /** Uniform integers in [0, high) (int64). */
    public Tensor integers(long high, long... shape) {
        return local(torch.randint(high, global(shape), opt(), Ops.longOptions()), shape);
    }

    /** A random permutation of 0..n-1 (int64). */
    public Tensor permutation(long n) {
        return deliver(torch.randperm(n, opt(), Ops.longOptions()));
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
        return "Rng(seed=" + seed + (world > 1 ? ", shard " + rank + "/" + world : "")
                + (target == Device.CPU ? "" : ", on " + target.key()) + ", state#"
                + Arrays.hashCode(state()) + ")";
    }
}
