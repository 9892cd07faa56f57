package io.ganflow.train;

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
            throw new IllegalStateException("checkpoint lacks " + missing);
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
            throw new IllegalStateException("checkpoint has no entry " + name);
        }
        long[] want = Ops.shape(target);
        if (!java.util.Arrays.equals(want, shapes.get(name))) {
            throw new IllegalStateException("checkpoint entry " + name + " has shape "
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
        Object v = require(name);
        return ((Number) v).longValue();
    }

    public double getDouble(String name) {
        Object v = require(name);
        return ((Number) v).doubleValue();
    }

    public String getString(String name) {
        return (String) require(name);
    }

    public byte[] getBytes(String name) {
        return (byte[]) require(name);
    }

    public boolean hasValue(String name) {
        return values.containsKey(name);
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("checkpoint has no value " + name);
        }
        return v;
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
