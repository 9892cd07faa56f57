package io.ganflow.train.tensorboard;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard event files. Each record is
 *
 * <pre>
 *   uint64 length, little-endian
 *   uint32 masked CRC-32C of those 8 bytes
 *   length bytes of data
 *   uint32 masked CRC-32C of the data
 * </pre>
 *
 * where the mask rotates the Castagnoli CRC right by 15 bits and adds 0xa282ead8 (mod 2^32).
 */
public final class TfRecord {
    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecord() {}

    /** The CRC-32C (Castagnoli) of {@code len} bytes of {@code b} from {@code off}. */
    public static int crc32c(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /** The masked form stored in a record: ((crc >>> 15) | (crc << 17)) + 0xa282ead8. */
    public static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    /** Frames {@code data} as one record: 12 bytes of header, the data, 4 bytes of footer. */
    public static byte[] frame(byte[] data) {
        byte[] r = new byte[data.length + 16];
        putLong(r, 0, data.length);
        putInt(r, 8, mask(crc32c(r, 0, 8)));
        System.arraycopy(data, 0, r, 12, data.length);
        putInt(r, 12 + data.length, mask(crc32c(data, 0, data.length)));
        return r;
    }

    /** Writes {@code data} as one record. */
    public static void write(OutputStream out, byte[] data) throws IOException {
        out.write(frame(data));
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
