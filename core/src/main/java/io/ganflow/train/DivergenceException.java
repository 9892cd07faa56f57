package io.ganflow.train;

/** Training produced NaN or infinite values. The last good checkpoint is left untouched. */
public final class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DivergenceException(String message) {
        super(message);
    }
}
