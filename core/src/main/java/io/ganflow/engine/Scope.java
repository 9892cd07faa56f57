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
        pointer.retainReference(); // detaching releases the scope's reference
        inner.detach(pointer);
        return pointer;
    }

    /**
     * Runs {@code body} in a scope of its own and moves only its result to the enclosing scope: the
     * temporaries of one solver step are freed at once instead of piling up until the outer scope closes.
     */
    public static org.bytedeco.pytorch.Tensor isolated(java.util.function.Supplier<org.bytedeco.pytorch.Tensor> body) {
        PointerScope outer = PointerScope.getInnerScope();
        try (PointerScope in = new PointerScope()) {
            org.bytedeco.pytorch.Tensor r = body.get();
            // attaching retains one more reference, so closing the inner scope leaves r alive
            if (outer != null) {
                outer.attach(r);
            } else {
                r.retainReference();
            }
            return r;
        }
    }

    /** A copy of t owned by no scope: it lives until the garbage collector frees it (for caches made mid-step). */
    public static org.bytedeco.pytorch.Tensor persistent(org.bytedeco.pytorch.Tensor t) {
        org.bytedeco.pytorch.Tensor c = t.detach().clone();
        PointerScope s = PointerScope.getInnerScope();
        if (s != null) {
            c.retainReference();
            s.detach(c);
        }
        return c;
    }

    /**
     * Takes {@code p} out of the innermost open scope, if any, so that it lives as long as Java references it
     * (the garbage collector frees it then): for long-lived objects that may be created lazily mid-step,
     * such as cached options and argument lists.
     */
    public static <P extends org.bytedeco.javacpp.Pointer> P outlive(P p) {
        PointerScope s = PointerScope.getInnerScope();
        if (s != null) {
            p.retainReference(); // detaching releases the scope's reference
            s.detach(p);
        }
        return p;
    }

    @Override
    public void close() {
        inner.close();
    }
}
