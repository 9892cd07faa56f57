package io.ganflow.nn;

import io.ganflow.engine.Ops;
import java.util.List;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
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
        return torch.batch_norm(x, w, b, update ? new TensorOptional(runningMean) : new TensorOptional(),
                update ? new TensorOptional(runningVar) : new TensorOptional(), true, MOMENTUM, EPS, true);
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
