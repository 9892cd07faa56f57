package io.ganflow.engine;

import java.util.List;
import org.bytedeco.pytorch.Dispatcher;
import org.bytedeco.pytorch.GenericList;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.OperatorHandle;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorType;
import org.bytedeco.pytorch.Type;

/**
 * A libtorch operator called through the dispatcher's boxed interface, for operators the JavaCPP presets do
 * not map (the fused optimiser kernels). Arguments go on a stack of IValues in schema order, defaults
 * included; the operator pops them and pushes its results.
 */
public final class BoxedOp {
    static {
        Engine.ensureLoaded();
    }

    private final OperatorHandle handle;
    private final String name;

    private BoxedOp(OperatorHandle handle, String name) {
        this.handle = handle;
        this.name = name;
    }

    /**
     * The operator {@code name} (e.g. "aten::_fused_adam_") with overload {@code overload} ("" for the
     * default), or null if this libtorch has no such operator.
     */
    public static BoxedOp find(String name, String overload) {
        try {
            return new BoxedOp(Scope.outlive(Dispatcher.singleton().findSchemaOrThrow(name, overload)), name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    public String name() {
        return name;
    }

    /** Calls the operator on {@code stack} (consumed; results are left on it). */
    public void call(IValueVector stack) {
        handle.callBoxed(stack);
    }

    /** A Tensor[] argument. */
    public static IValue tensorList(List<Tensor> tensors) {
        GenericList l = new GenericList(new Type.TypePtr(TensorType.get()));
        l.reserve(tensors.size());
        for (Tensor t : tensors) {
            l.push_back(new IValue(t));
        }
        return new IValue(l);
    }
}
