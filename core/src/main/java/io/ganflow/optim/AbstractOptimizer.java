package io.ganflow.optim;

import io.ganflow.engine.Ops;
import io.ganflow.nn.Parameter;
import io.ganflow.nn.StateDict;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Shared bookkeeping: parameters, learning rate, step count and named per-parameter buffers. */
abstract class AbstractOptimizer implements Optimizer {
    protected final List<Parameter> params;
    protected final OptimizerSpec spec;
    protected double lr;
    protected long t;
    private final List<String> bufferNames = new ArrayList<>();
    private final List<List<Tensor>> buffers = new ArrayList<>();
    private java.util.function.UnaryOperator<List<Tensor>> hook;

    AbstractOptimizer(List<Parameter> params, OptimizerSpec spec) {
        this.params = List.copyOf(params);
        this.spec = spec;
        this.lr = spec.lr();
    }

    /** A zero buffer per parameter, registered for checkpoints under {@code name}. */
    protected List<Tensor> buffer(String name) {
        List<Tensor> b = new ArrayList<>();
        for (Parameter p : params) {
            b.add(torch.zeros_like(p.value()).set_requires_grad(false));
        }
        bufferNames.add(name);
        buffers.add(b);
        return b;
    }

    @Override
    public void gradientHook(java.util.function.UnaryOperator<List<Tensor>> hook) {
        this.hook = hook;
    }

    @Override
    public final void step(List<Tensor> given) {
        if (given.size() != params.size()) {
            throw new IllegalArgumentException(given.size() + " gradients for " + params.size() + " parameters");
        }
        List<Tensor> grads = hook == null ? given : hook.apply(given);
        t++;
        Ops.noGrad((Supplier<Void>) () -> {
            if (fusedStep(grads)) {
                return null;
            }
            for (int i = 0; i < params.size(); i++) {
                Tensor g = grads.get(i).detach();
                Tensor p = params.get(i).value();
                if (spec.weightDecay() != 0) {
                    g = g.add(p, Ops.s(spec.weightDecay()));
                }
                update(i, p, g);
            }
            return null;
        });
    }

    /** Updates parameter {@code i} in place, given its gradient (weight decay already added). */
    protected abstract void update(int i, Tensor p, Tensor g);

    /**
     * Updates every parameter in one native call (weight decay included), with autograd off and {@link #t}
     * already advanced; returns false to have {@link #update} called per parameter instead.
     */
    protected boolean fusedStep(List<Tensor> grads) {
        return false;
    }

    @Override
    public List<Tensor> stateTensors() {
        List<Tensor> all = new ArrayList<>();
        buffers.forEach(all::addAll);
        return all;
    }

    /** The registered buffers, by name (for a fused step that hands them to libtorch as lists). */
    protected List<Tensor> bufferList(String name) {
        return buffers.get(bufferNames.indexOf(name));
    }

    @Override
    public List<Parameter> parameters() {
        return params;
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        this.lr = lr;
    }

    @Override
    public long steps() {
        return t;
    }

    @Override
    public void saveState(StateDict into, String prefix) {
        into.putValue(prefix + ".step", t);
        into.putValue(prefix + ".lr", lr);
        for (int b = 0; b < buffers.size(); b++) {
            for (int i = 0; i < params.size(); i++) {
                into.putTensor(prefix + "." + bufferNames.get(b) + "." + params.get(i).name(), buffers.get(b).get(i));
            }
        }
    }

    @Override
    public void loadState(StateDict from, String prefix) {
        t = from.getLong(prefix + ".step");
        lr = from.getDouble(prefix + ".lr");
        for (int b = 0; b < buffers.size(); b++) {
            for (int i = 0; i < params.size(); i++) {
                from.loadInto(prefix + "." + bufferNames.get(b) + "." + params.get(i).name(), buffers.get(b).get(i));
            }
        }
    }
}
