package io.ganflow.data.idx;

/**
 * An n-dimensional array read from an IDX file, values widened to float.
 *
 * @param dims the sizes, outermost first (e.g. 60000, 28, 28)
 * @param type the IDX element type byte (0x08 unsigned byte … 0x0E double)
 * @param data row-major values
 */
public record IdxArray(int[] dims, int type, float[] data) {
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
