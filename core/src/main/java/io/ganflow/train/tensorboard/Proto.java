package io.ganflow.train.tensorboard;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A protocol-buffer encoder for the handful of field kinds event files use: varints, 64-bit doubles,
 * 32-bit floats, length-delimited bytes and messages, and packed doubles. Fields are written in the order
 * they are added; callers add them by ascending number, which is the canonical encoding.
 */
final class Proto {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LEN = 2;
    private static final int FIXED32 = 5;

    private byte[] buf = new byte[64];
    private int size;

    /** An int32, int64 or enum field; negative values take ten bytes, as the format requires. */
    Proto varint(int field, long v) {
        key(field, VARINT);
        rawVarint(v);
        return this;
    }

    Proto doubleField(int field, double v) {
        key(field, FIXED64);
        rawLong(Double.doubleToRawLongBits(v));
        return this;
    }

    Proto floatField(int field, float v) {
        key(field, FIXED32);
        int bits = Float.floatToRawIntBits(v);
        for (int i = 0; i < 4; i++) {
            put((byte) (bits >>> (8 * i)));
        }
        return this;
    }

    Proto bytes(int field, byte[] v) {
        key(field, LEN);
        rawVarint(v.length);
        putAll(v, v.length);
        return this;
    }

    Proto string(int field, String v) {
        return bytes(field, v.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, Proto m) {
        key(field, LEN);
        rawVarint(m.size);
        putAll(m.buf, m.size);
        return this;
    }

    /** A packed {@code repeated double}: one length-delimited field holding 8 bytes per value. */
    Proto packedDoubles(int field, double[] v) {
        key(field, LEN);
        rawVarint(8L * v.length);
        for (double d : v) {
            rawLong(Double.doubleToRawLongBits(d));
        }
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void key(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long v) {
        while ((v & ~0x7FL) != 0) {
            put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        put((byte) v);
    }

    private void rawLong(long v) {
        for (int i = 0; i < 8; i++) {
            put((byte) (v >>> (8 * i)));
        }
    }

    private void put(byte b) {
        if (size == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[size++] = b;
    }

    private void putAll(byte[] b, int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
        System.arraycopy(b, 0, buf, size, n);
        size += n;
    }
}
