package io.ganflow.experiment;

/** The size an experiment runs at: {@link #QUICK} for CI (seconds to a minute), {@link #FULL} for the claim. */
public enum Scale {
    QUICK, FULL;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code quick} when true, else {@code full}. */
    public static Scale of(boolean quick) {
        return quick ? QUICK : FULL;
    }
}
