package io.ganflow.nn;

import io.ganflow.engine.Ops;
import io.ganflow.nn.Module;
import io.ganflow.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * Everything a component needs to restore itself exactly: named tensors (parameters, optimiser buffers)
 * and named plain values (step counters, RNG states). Tensor entries are held as float32 host copies, so
 * a state dict survives the native-memory scope it was made in.
 */
public final class StateDict {
    private final Map<String, float[]> tensors = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Map<String, Object> values = new LinkedHashMap<>();
    private java.nio.file.Path origin;

    /**
     * Marks this state dict as read from a checkpoint file: an entry the model needs but the file lacks, or
     * holds with another shape or type, then raises {@link CorruptCheckpointException} naming the file
     * (bad input, exit code 2) instead of an internal error.
     */
    public StateDict origin(java.nio.file.Path file) {
        this.origin = file;
        return this;
    }

    private RuntimeException mismatch(String what) {
        if (origin != null) {
            return new CorruptCheckpointException(origin + ": " + what + "; the checkpoint does not match the model"
                    + " its config describes, and it was not loaded");
        }
        return new IllegalStateException(what);
    }

    /** Copies a tensor's current values under {@code name}. */
    public StateDict putTensor(String name, Tensor t) {
        return putFloats(name, Ops.toFloats(t), Ops.shape(t));
    }

    /** Copies every parameter and buffer of a module under {@code prefix.<name>}. */
    public StateDict putModule(String prefix, Module m) {
        for (Parameter p : m.parameters()) {
            putTensor(prefix + "." + p.name(), p.value());
        }
        for (Parameter p : m.buffers()) {
            putTensor(prefix + "." + p.name(), p.value());
        }
        return this;
    }

    /** Restores every parameter and buffer of a module saved with {@link #putModule}; all must be present. */
    public void loadModule(String prefix, Module m) {
        List<Parameter> all = new ArrayList<>(m.parameters());
        all.addAll(m.buffers());
        List<String> missing = new ArrayList<>();
        for (Parameter p : all) {
            if (!hasTensor(prefix + "." + p.name())) {
                missing.add(prefix + "." + p.name());
            }
        }
        if (!missing.isEmpty()) {
            throw mismatch("checkpoint lacks " + missing);
        }
        for (Parameter p : all) {
            loadInto(prefix + "." + p.name(), p.value());
        }
    }

    public StateDict putFloats(String name, float[] data, long[] shape) {
        if (tensors.containsKey(name)) {
            throw new IllegalStateException("duplicate state entry " + name);
        }
        tensors.put(name, data);
        shapes.put(name, shape.clone());
        return this;
    }

    public StateDict putValue(String name, Object value) {
        if (!(value instanceof Long || value instanceof Double || value instanceof String
                || value instanceof byte[] || value instanceof Boolean)) {
            throw new IllegalArgumentException("state values are long, double, boolean, String or byte[]: " + name);
        }
        values.put(name, value);
        return this;
    }

    public boolean hasTensor(String name) {
        return tensors.containsKey(name);
    }

    /** Copies the stored values into {@code target} in place, checking the shape. */
    public void loadInto(String name, Tensor target) {
        float[] data = tensors.get(name);
        if (data == null) {
            throw mismatch("checkpoint has no entry " + name);
        }
        long[] want = Ops.shape(target);
        if (!java.util.Arrays.equals(want, shapes.get(name))) {
            throw mismatch("checkpoint entry " + name + " has shape "
                    + java.util.Arrays.toString(shapes.get(name)) + ", the model expects " + java.util.Arrays.toString(want));
        }
        Tensor src = Ops.fromFloats(data, want);
        Ops.noGrad(() -> target.copy_(src));
    }

    public float[] floats(String name) {
        return tensors.get(name);
    }

    public long[] shape(String name) {
        return shapes.get(name);
    }

    public long getLong(String name) {
        return require(name, Number.class).longValue();
    }

    public double getDouble(String name) {
        return require(name, Number.class).doubleValue();
    }

    public String getString(String name) {
        return require(name, String.class);
    }

    public byte[] getBytes(String name) {
        return require(name, byte[].class);
    }

    public boolean hasValue(String name) {
        return values.containsKey(name);
    }

    private <T> T require(String name, Class<T> type) {
        Object v = values.get(name);
        if (v == null) {
            throw mismatch("checkpoint has no value " + name);
        }
        if (!type.isInstance(v)) {
            throw mismatch("checkpoint value " + name + " is a " + v.getClass().getSimpleName() + ", expected a "
                    + type.getSimpleName());
        }
        return type.cast(v);
    }

    public Map<String, float[]> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    public Map<String, long[]> shapes() {
        return Collections.unmodifiableMap(shapes);
    }

    public Map<String, Object> values() {
        return Collections.unmodifiableMap(values);
    }
}
