package io.ganflow.nn;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;

/**
 * A class-conditional velocity field v(x, t, y): the net's field at the embedding e(t) + E_y, a learned
 * embedding of the class added to the time embedding (the way diffusion U-Nets condition on a class): for the
 * {@link VelocityNet}, its MLP on [x, e(t) + E_y]; for the {@link UNet}, every block adds e(t) + E_y. Row
 * {@code classes} of the table is the null class ∅ of classifier-free guidance (Ho &amp; Salimans 2022): a call
 * without labels is the unconditional field v(x, t, ∅), which training learns by dropping labels to ∅.
 */
public final class LabelledVelocityNet implements VelocityModel {
    private final EmbeddedField net;
    private final int classes;
    private final Tensor table;

    /**
     * @param net the velocity net whose field and time embedding it uses
     * @param classes the classes (labels 0..classes-1; {@code classes} itself is ∅)
     * @param rng draws the table, N(0, 0.1²)
     */
    public LabelledVelocityNet(EmbeddedField net, int classes, Rng rng) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        this.net = net;
        this.classes = classes;
        this.table = Ops.mul(rng.normal(classes + 1, net.embedWidth()), 0.1);
        this.table.set_requires_grad(true);
    }

    /** The velocity net whose field and time embedding it uses. */
    public EmbeddedField net() {
        return net;
    }

    /** The class table, (classes + 1, embedding width): row y is E_y, the last row the null class ∅. */
    public Tensor table() {
        return table;
    }

    /**
     * v(x, t, y) on one matrix [x, t, y] (n, d + 2): t and the class y (as a number, {@code classes} for ∅) in the
     * last two columns, the input tools/torch_load.py reads for an exported conditional field.
     */
    public Tensor forwardLabelled(Tensor xty) {
        long d = xty.size(1) - 2;
        Tensor y = xty.narrow(1, d + 1, 1).reshape(xty.size(0)).round().to(org.bytedeco.pytorch.global.torch.ScalarType.Long);
        return velocity(xty.narrow(1, 0, d), xty.narrow(1, d, 1), Optional.of(y));
    }

    /** The number of classes; the null class ∅ is this index. */
    public int classes() {
        return classes;
    }

    @Override
    public Tensor velocity(Tensor x, Tensor t, Optional<Tensor> labels) {
        Tensor y = labels.orElseGet(() -> {
            long[] empty = new long[(int) x.size(0)];
            java.util.Arrays.fill(empty, classes);
            return Ops.toDevice(Ops.fromLongs(empty));
        });
        Tensor e = net.embed(t.to(x.scalar_type()).reshape(x.size(0), 1)).add(table.index_select(0, y).to(x.scalar_type()));
        return net.field(x, e);
    }

    /** v(x, t, ∅): the unconditional field. */
    @Override
    public Tensor velocity(Tensor x, Tensor t) {
        return velocity(x, t, Optional.empty());
    }

    @Override
    public Tensor forward(Tensor xt) {
        long d = xt.size(1) - 1;
        return velocity(xt.narrow(1, 0, d), xt.narrow(1, d, 1));
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> p = new ArrayList<>(net.parameters());
        p.add(new Parameter("label.embedding", table));
        return p;
    }

    @Override
    public List<Parameter> buffers() {
        return net.buffers();
    }
}
