package io.ganflow.engine;

import org.bytedeco.javacpp.PointerScope;

/**
 * A native-memory scope. Every tensor, scalar and vector created while it is open is released when it
 * closes. Wrap each training step and each evaluation in one; only parameters, optimiser state and
 * explicit caches, created outside any scope, outlive it.
 *
 * <pre>{@code try (Scope s = Scope.open()) { method.step(...); } }</pre>
 */
public final class Scope implements AutoCloseable {
    private final PointerScope inner;

    private Scope() {
        this.inner = new PointerScope();
    }

    public static Scope open() {
        return new Scope();
    }

    /** Keeps a tensor alive past the end of this scope; the garbage collector frees it later. */
    public <P extends org.bytedeco.javacpp.Pointer> P keep(P pointer) {
        inner.detach(pointer);
        return pointer;
    }

    @Override
    public void close() {
        inner.close();
    }
}
