package io.ganflow.nn;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * A generator that takes its class as a learned embedding concatenated to z: G(z, y) = g([z, E_y]), E a table of
 * one e-vector per class drawn from N(0, 1) like z itself, so that the class enters the first layer with as much
 * weight as e coordinates of z (a one-hot column enters with one). The net's input width is z_dim + e.
 */
public final class LabelEmbedding extends ClassWrapper {
    private final Tensor table;

    /**
     * @param net the generator net on [z, E_y]
     * @param classes the classes (labels 0..classes-1)
     * @param dim e, the embedding's width
     * @param rng draws the table, N(0, 1)
     */
    public LabelEmbedding(Module net, int classes, int dim, Rng rng) {
        super(net, classes);
        if (dim < 1) {
            throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        }
        this.table = rng.normal(classes, dim);
        this.table.set_requires_grad(true);
    }

    /** The class table (classes, e). */
    public Tensor table() {
        return table;
    }

    @Override
    public Tensor forward(Tensor z, Tensor labels) {
        return net().forward(Ops.cat(List.of(z, table.index_select(0, labels).to(z.scalar_type())), 1));
    }

    @Override
    List<Parameter> own() {
        return List.of(new Parameter("label.embedding", table));
    }
}
