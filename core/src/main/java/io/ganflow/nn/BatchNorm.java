package io.ganflow.nn;

import io.ganflow.engine.Ops;
import java.util.List;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorBase;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorTensorHook;
import org.bytedeco.pytorch.global.torch;

/**
 * Batch normalisation over the channel axis of (n, C) or (n, C, H, W) inputs (Ioffe and Szegedy 2015), as
 * PyTorch's {@code nn.BatchNorm1d} / {@code nn.BatchNorm2d} with momentum 0.1 and ε = 1e-5: y = γ·(x − μ)/√(σ² + ε)
 * + β per channel.
 *
 * <ul>
 *   <li><b>Training mode</b> (the initial mode): μ and σ² are the batch's (over n, H, W; σ² biased). When autograd
 *       is on, the running statistics move towards them: r_μ ← 0.9·r_μ + 0.1·μ and r_σ² ← 0.9·r_σ² + 0.1·σ²_unbiased,
 *       exactly as PyTorch. Forward passes with autograd off (a critic step's fake batch, sampling, plots) leave
 *       them alone, the rule {@link SpectralNorm} follows for its power iteration: no evaluation changes state.</li>
 *   <li><b>Evaluation mode</b> ({@code train(false)}): μ and σ² are the running statistics, so each output
 *       depends only on its own input.</li>
 *   <li><b>Synchronised</b> (data-parallel training with {@code train.sync_bn}, {@link #synchronize}): in training
 *       mode μ and σ² are those of the global batch, as PyTorch's {@code SyncBatchNorm}. Each process sums
 *       Σ(x − c) and Σ(x − c)² over its rows per channel (c = the running mean, the same on every process, which
 *       keeps the subtraction in σ² = E(x − c)² − (μ − c)² small), and one all-reduce adds them and the row
 *       counts. The sums enter the graph as their local values plus the (detached) other processes' share, so
 *       the forward pass sees the global statistics; a gradient hook on them adds every process's gradient
 *       with respect to the statistics in the backward pass (a second all-reduce), so that after the
 *       optimiser's gradient all-reduce the weights get the gradient of the global batch's loss exactly.</li>
 * </ul>
 * Tensors: parameters {@code weight} (γ, ones; N(1, 0.02²) under {@link Init#NORMAL}, DCGAN's initialisation)
 * and {@code bias} (β, zeros); buffers {@code running_mean} (zeros) and {@code running_var} (ones), saved in
 * checkpoints with the parameters.
 */
public final class BatchNorm implements Module {
    public static final double MOMENTUM = 0.1;
    public static final double EPS = 1e-5;
    private final long channels;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private boolean training = true;

    /** Sums a tensor in place over every process of a data-parallel group (an all-reduce). */
    @FunctionalInterface
    public interface Reducer {
        void sumInPlace(Tensor t);
    }

    private static final ThreadLocal<Reducer> SYNC = new ThreadLocal<>();
    private static final ThreadLocal<RuntimeException> HOOK_FAILURE = new ThreadLocal<>();
    private Hook hook;

    /**
     * Makes every batch norm in training mode, on this thread, normalise with the global batch's statistics
     * through {@code reducer}, until the returned handle is closed. Every process must run the same forward
     * and backward passes (the all-reduces pair up in order), as data-parallel training does.
     */
    public static Sync synchronize(Reducer reducer) {
        SYNC.set(reducer);
        return new Sync();
    }

    /** Ends {@link #synchronize}; {@link #check} throws what a backward hook could not. */
    public static final class Sync implements AutoCloseable {
        private Sync() {}

        /** Rethrows the first failure of a backward all-reduce (a lost process) since the last check. */
        public void check() {
            RuntimeException e = HOOK_FAILURE.get();
            if (e != null) {
                HOOK_FAILURE.remove();
                throw e;
            }
        }

        @Override
        public void close() {
            SYNC.remove();
            HOOK_FAILURE.remove();
        }
    }

    /** Replaces the gradient of the statistics with its sum over the processes. */
    private static final class Hook extends TensorTensorHook {
        private final Reducer reducer;

        Hook(Reducer reducer) {
            this.reducer = reducer;
        }

        @Override
        public TensorBase call(TensorBase grad) {
            Tensor sum = new Tensor(grad).detach().clone();
            try {
                reducer.sumInPlace(sum);
            } catch (RuntimeException e) {
                // an exception must not cross the native backward; the next collective fails too, check() reports it
                if (HOOK_FAILURE.get() == null) {
                    HOOK_FAILURE.set(e);
                }
            }
            return sum;
        }
    }

    public BatchNorm(LayerInit li, long channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("bad BatchNorm(" + channels + ")");
        }
        this.channels = channels;
        Tensor g = li.init() == Init.NORMAL ? Ops.add(Ops.mul(li.rng().normal(channels), 0.02), 1.0) : Ops.ones(channels);
        this.weight = li.parameter(g);
        this.bias = li.parameter(Ops.zeros(channels));
        this.runningMean = li.buffer(Ops.zeros(channels));
        this.runningVar = li.buffer(Ops.ones(channels));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.size(1) != channels) {
            throw new IllegalArgumentException("BatchNorm(" + channels + ") got " + x.size(1) + " channels");
        }
        TensorOptional w = new TensorOptional(weight);
        TensorOptional b = new TensorOptional(bias);
        if (!training) {
            return torch.batch_norm(x, w, b, new TensorOptional(runningMean), new TensorOptional(runningVar), false,
                    MOMENTUM, EPS, true);
        }
        boolean update = GradMode.is_enabled();
        Reducer sync = SYNC.get();
        if (sync != null) {
            return synced(x, sync, update);
        }
        return torch.batch_norm(x, w, b, update ? new TensorOptional(runningMean) : new TensorOptional(),
                update ? new TensorOptional(runningVar) : new TensorOptional(), true, MOMENTUM, EPS, true);
    }

    /** Training-mode batch norm with the statistics of the global batch (see the class comment). */
    private Tensor synced(Tensor x, Reducer sync, boolean update) {
        long[] dims = x.dim() == 4 ? new long[] {0, 2, 3} : new long[] {0};
        long[] shape = x.dim() == 4 ? new long[] {1, channels, 1, 1} : new long[] {1, channels};
        Tensor c = runningMean.detach().view(shape);
        Tensor xc = x.sub(c);
        Tensor local = Ops.cat(List.of(xc.sum(dims),
                xc.mul(xc).sum(dims),
                torch.full(new long[] {1}, Ops.s((double) (x.numel() / channels)), x.options())), 0);
        Tensor global = local.detach().clone();
        sync.sumInPlace(global);
        // the global sums in value; the gradient flows to this process's own sums
        Tensor sums = local.add(global.sub(local.detach()));
        if (sums.requires_grad()) {
            if (hook == null || hook.reducer != sync) {
                hook = io.ganflow.engine.Scope.outlive(new Hook(sync)); // the step's scope must not free it
            }
            sums.register_hook(hook);
        }
        Tensor n = global.narrow(0, 2 * channels, 1); // the global row count, kept native: no host read
        Tensor shift = sums.narrow(0, 0, channels).div(n);
        Tensor var = sums.narrow(0, channels, channels).div(n).sub(shift.mul(shift));
        Tensor mean = runningMean.detach().add(shift);
        Tensor y = x.sub(mean.view(shape)).mul(var.add(Ops.s(EPS)).rsqrt().view(shape)).mul(weight.view(shape))
                .add(bias.view(shape));
        if (update) {
            Ops.noGrad(() -> {
                runningMean.mul_(Ops.s(1 - MOMENTUM)).add_(mean.detach().mul(Ops.s(MOMENTUM)));
                runningVar.mul_(Ops.s(1 - MOMENTUM)).add_(var.detach().mul(n).div(n.sub(Ops.s(1)))
                        .mul(Ops.s(MOMENTUM)));
            });
        }
        return y;
    }

    @Override
    public void train(boolean on) {
        training = on;
    }

    @Override
    public boolean isTraining() {
        return training;
    }

    public long channels() {
        return channels;
    }

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter("weight", weight), new Parameter("bias", bias));
    }

    @Override
    public List<Parameter> buffers() {
        return List.of(new Parameter("running_mean", runningMean), new Parameter("running_var", runningVar));
    }

    @Override
    public String toString() {
        return "BatchNorm(" + channels + ")";
    }
}
