package io.ganflow.nn;

/** The normalisation layer of a convolutional critic's blocks ({@code model.d.norm}). */
public enum Norm {
    /** {@link BatchNorm}: couples the samples of a batch, so it does not mix with gradient penalties. */
    BATCH("batch"),
    /** {@link GroupNorm#layerNorm}: each sample normalised over [C, H, W] on its own. */
    LAYER("layer"),
    /** No normalisation. */
    NONE("none");

    private final String key;

    Norm(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** The layer for {@code channels} channels, or null for {@link #NONE}. */
    Module create(LayerInit li, long channels) {
        switch (this) {
            case BATCH:
                return new BatchNorm(li, channels);
            case LAYER:
                return GroupNorm.layerNorm(li, channels);
            default:
                return null;
        }
    }

    public static Norm byKey(String key) {
        for (Norm n : values()) {
            if (n.key.equals(key)) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown norm " + key);
    }

    public static java.util.List<String> keys() {
        java.util.List<String> k = new java.util.ArrayList<>();
        for (Norm n : values()) {
            k.add(n.key);
        }
        return k;
    }
}
