package io.ganflow.nn;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * The DCGAN or ResNet generator with conditional batch norm (de Vries et al. 2017; Miyato &amp; Koyama 2018 and BigGAN use it
 * in their generators): after each of its batch norms, the class y sets a gain and a shift per channel,
 *
 * <pre>
 *   h ← BN(h) · (1 + Γ_y) + B_y
 * </pre>
 *
 * with Γ and B learned tables of one C-vector per class, both 0 at initialisation (so the net starts as the plain
 * DCGAN generator, and the batch statistics stay those of the whole batch). z enters as in the plain generator.
 */
public final class ClassNormGenerator extends ClassWrapper {
    private final NormedGenerator net;
    private final List<Tensor> gains = new ArrayList<>();
    private final List<Tensor> shifts = new ArrayList<>();

    public ClassNormGenerator(NormedGenerator net, int classes) {
        super(net, classes);
        this.net = net;
        for (long c : net.normChannels()) {
            Tensor g = io.ganflow.engine.Ops.zeros(classes, c);
            Tensor b = io.ganflow.engine.Ops.zeros(classes, c);
            g.set_requires_grad(true);
            b.set_requires_grad(true);
            gains.add(g);
            shifts.add(b);
        }
    }

    /** The generator it modulates. */
    @Override
    public NormedGenerator net() {
        return net;
    }

    /** The gain table Γ (classes, C_i) of batch norm i. */
    public Tensor gain(int i) {
        return gains.get(i);
    }

    /** The shift table B (classes, C_i) of batch norm i. */
    public Tensor shift(int i) {
        return shifts.get(i);
    }

    /** The number of batch norms it modulates. */
    public int norms() {
        return gains.size();
    }

    @Override
    public Tensor forward(Tensor z, Tensor labels) {
        return net.forward(z, (i, h) -> {
            long c = h.size(1);
            Tensor g = gains.get(i).index_select(0, labels).to(h.scalar_type()).reshape(h.size(0), c, 1, 1);
            Tensor b = shifts.get(i).index_select(0, labels).to(h.scalar_type()).reshape(h.size(0), c, 1, 1);
            return h.add(h.mul(g)).add(b);
        });
    }

    @Override
    List<Parameter> own() {
        List<Parameter> p = new ArrayList<>();
        for (int i = 0; i < gains.size(); i++) {
            p.add(new Parameter("cbn" + i + ".gain", gains.get(i)));
            p.add(new Parameter("cbn" + i + ".shift", shifts.get(i)));
        }
        return p;
    }
}
