package io.ganflow.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A module made of named parts. Its parameters and buffers are those of its parts, in the order the parts
 * were added, named {@code <part>.<name>} (so a batch norm {@code bn1} inside a block {@code up0} owns
 * {@code up0.bn1.running_mean}), followed by tensors it holds itself. {@link #train} reaches every part.
 * Subclasses add their parts in the constructor; the lists are fixed at the first call of
 * {@link #parameters} or {@link #buffers}.
 */
public abstract class Composite implements Module {
    private final Map<String, Module> parts = new LinkedHashMap<>();
    private final List<Parameter> ownParameters = new ArrayList<>();
    private final List<Parameter> ownBuffers = new ArrayList<>();
    private List<Parameter> parameters;
    private List<Parameter> buffers;
    private boolean training = true;

    /** Adds a part under a unique name and returns it. */
    protected final <M extends Module> M add(String name, M part) {
        if (parameters != null || buffers != null) {
            throw new IllegalStateException("parts are added in the constructor, before parameters() is read");
        }
        if (name.isEmpty() || name.contains(".") || parts.putIfAbsent(name, part) != null) {
            throw new IllegalArgumentException("part names are unique and have no dots: " + name);
        }
        return part;
    }

    /** A buffer held by this module itself, named {@code name}. */
    protected final void addBuffer(String name, org.bytedeco.pytorch.Tensor t) {
        ownBuffers.add(new Parameter(name, t));
    }

    /** The part added under {@code name}. */
    public Module part(String name) {
        Module m = parts.get(name);
        if (m == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no part " + name + "; it has "
                    + parts.keySet());
        }
        return m;
    }

    /** The names of the parts, in order. */
    public List<String> partNames() {
        return List.copyOf(parts.keySet());
    }

    @Override
    public List<Parameter> parameters() {
        if (parameters == null) {
            parameters = collect(false, ownParameters);
        }
        return parameters;
    }

    @Override
    public List<Parameter> buffers() {
        if (buffers == null) {
            buffers = collect(true, ownBuffers);
        }
        return buffers;
    }

    private List<Parameter> collect(boolean buffers, List<Parameter> own) {
        List<Parameter> out = new ArrayList<>();
        for (Map.Entry<String, Module> e : parts.entrySet()) {
            for (Parameter p : buffers ? e.getValue().buffers() : e.getValue().parameters()) {
                out.add(new Parameter(e.getKey() + "." + p.name(), p.value()));
            }
        }
        out.addAll(own);
        return Collections.unmodifiableList(out);
    }

    @Override
    public void train(boolean on) {
        training = on;
        for (Module m : parts.values()) {
            m.train(on);
        }
    }

    @Override
    public boolean isTraining() {
        return training;
    }
}
