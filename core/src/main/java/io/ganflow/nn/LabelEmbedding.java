package io.ganflow.nn;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * A generator that takes its class as a learned embedding concatenated to z: G(z, y) = g([z, E_y]), E a table of
 * one e-vector per class drawn from N(0, 1) like z itself, so that the class enters the first layer with as much
 * weight as e coordinates of z (a one-hot column enters with one). The net's input width is z_dim + e.
 */
public final class LabelEmbedding implements ConditionalModule {
    private final Module net;
    private final int classes;
    private final Tensor table;

    /**
     * @param net the generator net on [z, E_y]
     * @param classes the classes (labels 0..classes-1)
     * @param dim e, the embedding's width
     * @param rng draws the table, N(0, 1)
     */
    public LabelEmbedding(Module net, int classes, int dim, Rng rng) {
        if (classes < 1 || dim < 1) {
            throw new IllegalArgumentException("classes and dim must be >= 1, got " + classes + ", " + dim);
        }
        this.net = net;
        this.classes = classes;
        this.table = rng.normal(classes, dim);
        this.table.set_requires_grad(true);
    }

    @Override
    public int classes() {
        return classes;
    }

    /** The wrapped generator net. */
    public Module net() {
        return net;
    }

    /** The class table (classes, e). */
    public Tensor table() {
        return table;
    }

    @Override
    public Tensor forward(Tensor z, Tensor labels) {
        return net.forward(Ops.cat(List.of(z, table.index_select(0, labels).to(z.scalar_type())), 1));
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

    @Override
    public void train(boolean on) {
        net.train(on);
    }

    @Override
    public boolean isTraining() {
        return net.isTraining();
    }
}
