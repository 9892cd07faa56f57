package io.ganflow.cli;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The sample file formats of {@code ganflow sample} besides CSV, written by hand: IDX (unsigned bytes, the
 * MNIST format that {@link io.ganflow.data.idx.IdxReader} reads) and NumPy's {@code .npy} (format version 1.0).
 */
final class SampleFiles {
    private SampleFiles() {}

    /** The output format, by the file name's ending. */
    enum Format {
        CSV, PNG, IDX, NPY;

        static Format of(String fileName) {
            String f = fileName.toLowerCase(Locale.ROOT);
            if (f.endsWith(".png")) {
                return PNG;
            }
            if (f.endsWith(".idx") || f.endsWith(".idx.gz")) {
                return IDX;
            }
            if (f.endsWith(".npy")) {
                return NPY;
            }
            return CSV;
        }
    }

    /**
     * An IDX header for unsigned bytes (type 0x08): two zero bytes, 0x08, the number of dimensions, then each
     * dimension as a big-endian 32-bit integer.
     */
    static byte[] idxHeader(int... dims) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(b)) {
            d.writeByte(0);
            d.writeByte(0);
            d.writeByte(0x08);
            d.writeByte(dims.length);
            for (int v : dims) {
                d.writeInt(v);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return b.toByteArray();
    }

    /**
     * A {@code .npy} header, version 1.0: the magic {@code \x93NUMPY}, bytes 1 and 0, the header length as a
     * little-endian 16-bit integer, then the header, a Python dict literal
     * {@code {'descr': '|u1', 'fortran_order': False, 'shape': (n, c, h, w), }} padded with spaces and ended by
     * a newline so that the data starts at a multiple of 64 bytes.
     *
     * @param descr the NumPy type: {@code |u1} (uint8) or {@code <f4} (little-endian float32)
     */
    static byte[] npyHeader(String descr, long... shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        s.append(shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + s + ", }";
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        byte[] text = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
        if (text.length > 0xFFFF) {
            throw new IllegalArgumentException("npy header too long: " + text.length);
        }
        ByteBuffer b = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) text.length).put(text);
        return b.array();
    }

    /** float32 values little-endian, as {@code <f4} data. */
    static void writeFloats(OutputStream out, float[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        out.write(b.array());
    }
}
