package io.ganflow.optim;

import io.ganflow.engine.Ops;
import io.ganflow.nn.Parameter;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * RMSProp as PyTorch implements it: s ← αs + (1−α)g²; with {@code centered}, also ḡ ← αḡ + (1−α)g and the
 * denominator uses s − ḡ²; θ ← θ − lr·g/(√s + ε), or through a momentum buffer b ← μb + g/(√s + ε).
 */
public final class RmsProp extends AbstractOptimizer {
    private final List<Tensor> square;
    private final List<Tensor> avg;
    private final List<Tensor> mom;

    RmsProp(List<Parameter> params, OptimizerSpec spec) {
        super(params, spec);
        square = buffer("square_avg");
        avg = spec.centered() ? buffer("grad_avg") : null;
        mom = spec.momentum() > 0 ? buffer("momentum") : null;
    }

    @Override
    protected void update(int i, Tensor p, Tensor g) {
        double a = spec.alpha();
        Tensor s = square.get(i).mul_(Ops.s(a)).addcmul_(g, g, Ops.s(1 - a));
        Tensor denom;
        if (avg != null) {
            Tensor ga = avg.get(i).mul_(Ops.s(a)).add_(g, Ops.s(1 - a));
            denom = s.sub(ga.square()).sqrt().add_(Ops.s(spec.eps()));
        } else {
            denom = s.sqrt().add_(Ops.s(spec.eps()));
        }
        if (mom != null) {
            Tensor b = mom.get(i).mul_(Ops.s(spec.momentum())).addcdiv_(g, denom);
            p.add_(b, Ops.s(-lr));
        } else {
            p.addcdiv_(g, denom, Ops.s(-lr));
        }
    }
}
