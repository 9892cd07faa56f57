package io.ganflow.data.idx;

/**
 * An IDX array of unsigned bytes, kept as bytes (read them with {@code b & 0xFF}).
 *
 * @param dims the sizes, outermost first (e.g. 60000, 28, 28)
 * @param data row-major values
 */
public record IdxBytes(int[] dims, byte[] data) {
    /** Number of items: the first dimension. */
    public int count() {
        return dims[0];
    }

    /** Values per item: the product of the other dimensions. */
    public int itemSize() {
        int s = 1;
        for (int i = 1; i < dims.length; i++) {
            s *= dims[i];
        }
        return s;
    }
}
