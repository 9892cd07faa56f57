package io.ganflow.train.tensorboard;

/** Reads a PNG's size and colour type from its IHDR chunk, the first after the 8-byte signature. */
final class Png {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** Width and height in pixels; colorspace as {@code Summary.Image} counts it (1 grey … 4 RGBA). */
    record Header(int width, int height, int colorspace) {}

    private Png() {}

    static Header header(byte[] png) {
        if (png.length < 33) {
            throw new IllegalArgumentException("not a PNG: " + png.length + " bytes");
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (png[i] != SIGNATURE[i]) {
                throw new IllegalArgumentException("not a PNG: bad signature");
            }
        }
        if (png[12] != 'I' || png[13] != 'H' || png[14] != 'D' || png[15] != 'R') {
            throw new IllegalArgumentException("not a PNG: the first chunk is not IHDR");
        }
        int width = bigEndian(png, 16);
        int height = bigEndian(png, 20);
        int colorType = png[25];
        // PNG colour types: 0 grey, 2 RGB, 3 palette (shown as RGB), 4 grey + alpha, 6 RGBA
        int colorspace = switch (colorType) {
            case 0 -> 1;
            case 4 -> 2;
            case 2, 3 -> 3;
            case 6 -> 4;
            default -> throw new IllegalArgumentException("not a PNG: colour type " + colorType);
        };
        return new Header(width, height, colorspace);
    }

    private static int bigEndian(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
