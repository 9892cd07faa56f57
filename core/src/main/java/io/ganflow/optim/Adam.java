package io.ganflow.optim;

import io.ganflow.engine.BoxedOp;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import io.ganflow.nn.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Adam (Kingma &amp; Ba 2015, Algorithm 1) as PyTorch implements it: m ← β₁m + (1−β₁)g,
 * v ← β₂v + (1−β₂)g², θ ← θ − lr·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε).
 *
 * <p>A step runs libtorch's fused kernel ({@code aten::_fused_adam_}, the kernel behind PyTorch's
 * {@code Adam(fused=True)}) over all parameters in one call: the same arithmetic as the element-wise form
 * below, rounded in a slightly different order (the two agree to float precision; PyTorch's recorded
 * trajectories are matched to 1e-10 in double precision, OptimizerTest). The element-wise form remains for
 * a libtorch without the kernel. Set the system property {@code ganflow.adam.fused=false} to use it.
 */
public final class Adam extends AbstractOptimizer {
    private static final BoxedOp FUSED = Boolean.parseBoolean(System.getProperty("ganflow.adam.fused", "true"))
            ? BoxedOp.find("aten::_fused_adam_", "") : null;

    private final boolean fused;

    private final List<Tensor> m;
    private final List<Tensor> v;
    /** The fused kernel's argument stack without the gradients and learning rate (built on the first step). */
    private IValueVector template;
    private Tensor stepCount;
    private IValue lrArg;
    private double lrArgValue = Double.NaN;

    Adam(List<Parameter> params, OptimizerSpec spec) {
        this(params, spec, true);
    }

    /** With {@code allowFused} false, always the element-wise form (for comparing the two). */
    Adam(List<Parameter> params, OptimizerSpec spec, boolean allowFused) {
        super(params, spec);
        m = buffer("m");
        v = buffer("v");
        fused = allowFused && FUSED != null;
    }

    /** True if steps run libtorch's fused kernel. */
    boolean fused() {
        return fused;
    }

    @Override
    protected void update(int i, Tensor p, Tensor g) {
        double b1 = spec.beta1();
        double b2 = spec.beta2();
        m.get(i).mul_(Ops.s(b1)).add_(g, Ops.s(1 - b1));
        v.get(i).mul_(Ops.s(b2)).addcmul_(g, g, Ops.s(1 - b2));
        double bc1 = 1 - Math.pow(b1, t);
        double bc2 = 1 - Math.pow(b2, t);
        Tensor denom = v.get(i).sqrt().div(Ops.s(Math.sqrt(bc2))).add_(Ops.s(spec.eps()));
        p.addcdiv_(m.get(i), denom, Ops.s(-lr / bc1));
    }

    @Override
    protected boolean fusedStep(List<Tensor> grads) {
        if (!fused || params.isEmpty()) {
            return false;
        }
        if (template == null) {
            // libtorch has the fused kernel for CPU and CUDA tensors only (not for the meta device tests train on)
            if (params.get(0).value().is_meta()) {
                return false;
            }
            buildTemplate();
        }
        List<Tensor> gs = new ArrayList<>(grads.size());
        for (Tensor g : grads) {
            // the kernel reads the gradient as a flat array (grads need no detach: autograd is off here)
            gs.add(g.is_contiguous() ? g : g.contiguous());
        }
        if (lr != lrArgValue) {
            lrArg = Scope.outlive(new IValue(lr));
            lrArgValue = lr;
        }
        stepCount.fill_(new Scalar((double) t));
        IValueVector stack = new IValueVector();
        stack.put(template);
        stack.put(1, BoxedOp.tensorList(gs));
        stack.put(6, lrArg);
        FUSED.call(stack);
        return true;
    }

    /**
     * _fused_adam_(params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, state_steps, *, lr, beta1, beta2,
     * weight_decay, eps, amsgrad, maximize, grad_scale, found_inf). The step count is one tensor shared by
     * all parameters, set from {@link #t} before each call.
     */
    private void buildTemplate() {
        List<Tensor> ps = new ArrayList<>();
        for (Parameter p : params) {
            ps.add(p.value());
        }
        stepCount = Scope.outlive(torch.zeros(new long[] {},
                Ops.floatOptions().device(new DeviceOptional(ps.get(0).device()))));
        IValue placeholder = new IValue();
        template = Scope.outlive(new IValueVector(BoxedOp.tensorList(ps), placeholder, BoxedOp.tensorList(m),
                BoxedOp.tensorList(v), BoxedOp.tensorList(List.of()), BoxedOp.tensorList(Collections.nCopies(ps.size(),
                stepCount)), placeholder, new IValue(spec.beta1()), new IValue(spec.beta2()),
                new IValue(spec.weightDecay()), new IValue(spec.eps()), new IValue(false), new IValue(false),
                new IValue(), new IValue()));
    }
}
