package io.ganflow.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * A conditional net built around a plain one: the class enters through the wrapper (a one-hot or embedding beside
 * the input, a projection, an auxiliary head, conditional batch norm), and everything else is the inner net's: its
 * buffers, its training mode, its parameters followed by the wrapper's own {@link #own()}.
 */
abstract class ClassWrapper implements ConditionalModule {
    private final Module net;
    private final int classes;

    ClassWrapper(Module net, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        this.net = net;
        this.classes = classes;
    }

    @Override
    public final int classes() {
        return classes;
    }

    /** The wrapped net. */
    public Module net() {
        return net;
    }

    /** The wrapper's own parameters (class tables, heads), after the inner net's; none by default. */
    List<Parameter> own() {
        return List.of();
    }

    @Override
    public final List<Parameter> parameters() {
        List<Parameter> p = new ArrayList<>(net.parameters());
        p.addAll(own());
        return p;
    }

    @Override
    public final List<Parameter> buffers() {
        return net.buffers();
    }

    @Override
    public final void train(boolean on) {
        net.train(on);
    }

    @Override
    public final boolean isTraining() {
        return net.isTraining();
    }
}
