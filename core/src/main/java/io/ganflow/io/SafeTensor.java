package io.ganflow.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of a safetensors file: a {@link Dtype}, a shape and the row-major element bytes, little-endian.
 * Immutable: the factories and accessors copy. It holds no native memory; converting to a libtorch tensor is
 * the caller's business (see {@link WeightsExport}).
 */
public final class SafeTensor {
    private final Dtype dtype;
    private final long[] shape;
    private final byte[] data;

    private SafeTensor(Dtype dtype, long[] shape, byte[] data) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    /**
     * A tensor from raw little-endian bytes.
     *
     * @throws IllegalArgumentException if a dimension is negative or the byte count is not
     *     product(shape) × dtype size
     */
    public static SafeTensor of(Dtype dtype, long[] shape, byte[] littleEndianData) {
        long n = numel(shape);
        if (n > Integer.MAX_VALUE || n * dtype.size() != littleEndianData.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + n + " × " + dtype.size() + " bytes, got " + littleEndianData.length);
        }
        return new SafeTensor(dtype, shape.clone(), littleEndianData.clone());
    }

    /** Like {@link #of} without copying; the caller hands over both arrays. */
    static SafeTensor wrap(Dtype dtype, long[] shape, byte[] littleEndianData) {
        return new SafeTensor(dtype, shape, littleEndianData);
    }

    /** An {@link Dtype#F32} tensor holding {@code values}, row-major. */
    public static SafeTensor ofFloats(float[] values, long... shape) {
        ByteBuffer b = buffer(values.length, 4, shape);
        b.asFloatBuffer().put(values);
        return new SafeTensor(Dtype.F32, shape.clone(), b.array());
    }

    /** An {@link Dtype#F64} tensor holding {@code values}, row-major. */
    public static SafeTensor ofDoubles(double[] values, long... shape) {
        ByteBuffer b = buffer(values.length, 8, shape);
        b.asDoubleBuffer().put(values);
        return new SafeTensor(Dtype.F64, shape.clone(), b.array());
    }

    /** An {@link Dtype#I64} tensor holding {@code values}, row-major. */
    public static SafeTensor ofLongs(long[] values, long... shape) {
        ByteBuffer b = buffer(values.length, 8, shape);
        b.asLongBuffer().put(values);
        return new SafeTensor(Dtype.I64, shape.clone(), b.array());
    }

    private static ByteBuffer buffer(int count, int size, long[] shape) {
        if (numel(shape) != count) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + numel(shape)
                    + " values but " + count + " were given");
        }
        return ByteBuffer.allocate(count * size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The product of the dimensions (1 for a scalar of shape []). */
    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public Dtype dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements. */
    public int numel() {
        return data.length / dtype.size();
    }

    /** A copy of the raw little-endian bytes. */
    public byte[] bytes() {
        return data.clone();
    }

    int byteCount() {
        return data.length;
    }

    byte[] rawBytes() {
        return data;
    }

    private ByteBuffer le() {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The values as float32: exact for F32, F16, BF16 and the F8 types, rounded to nearest for F64.
     *
     * @throws IllegalStateException for an integer or boolean dtype
     */
    public float[] floats() {
        float[] out = new float[numel()];
        ByteBuffer b = le();
        switch (dtype) {
            case F32:
                b.asFloatBuffer().get(out);
                return out;
            case F64:
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) b.getDouble(8 * i);
                }
                return out;
            case F16:
                for (int i = 0; i < out.length; i++) {
                    out[i] = halfToFloat(b.getShort(2 * i));
                }
                return out;
            case BF16:
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
                }
                return out;
            case F8_E5M2:
                for (int i = 0; i < out.length; i++) {
                    out[i] = halfToFloat((short) (data[i] << 8));
                }
                return out;
            case F8_E4M3:
                for (int i = 0; i < out.length; i++) {
                    out[i] = e4m3ToFloat(data[i]);
                }
                return out;
            default:
                throw new IllegalStateException("a " + dtype + " tensor holds no floating-point values");
        }
    }

    /**
     * The values as float64, exact for every floating-point dtype.
     *
     * @throws IllegalStateException for an integer or boolean dtype
     */
    public double[] doubles() {
        double[] out = new double[numel()];
        if (dtype == Dtype.F64) {
            le().asDoubleBuffer().get(out);
            return out;
        }
        float[] f = floats();
        for (int i = 0; i < out.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /**
     * The values of an integer or boolean tensor as longs (BOOL gives 0 or 1; U64 values above
     * {@link Long#MAX_VALUE} come back as their two's-complement bit pattern).
     *
     * @throws IllegalStateException for a floating-point dtype
     */
    public long[] longs() {
        long[] out = new long[numel()];
        ByteBuffer b = le();
        for (int i = 0; i < out.length; i++) {
            switch (dtype) {
                case BOOL:
                    out[i] = data[i] != 0 ? 1 : 0;
                    break;
                case U8:
                    out[i] = data[i] & 0xff;
                    break;
                case I8:
                    out[i] = data[i];
                    break;
                case I16:
                    out[i] = b.getShort(2 * i);
                    break;
                case U16:
                    out[i] = b.getShort(2 * i) & 0xffff;
                    break;
                case I32:
                    out[i] = b.getInt(4 * i);
                    break;
                case U32:
                    out[i] = b.getInt(4 * i) & 0xffffffffL;
                    break;
                case I64:
                case U64:
                    out[i] = b.getLong(8 * i);
                    break;
                default:
                    throw new IllegalStateException("a " + dtype + " tensor holds no integer values");
            }
        }
        return out;
    }

    /** IEEE 754 binary16 to float32, exact (subnormals, signed zeros, infinities and NaN included). */
    static float halfToFloat(short h) {
        int sign = (h >>> 15) & 1;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal or zero: exact, mant < 2^10
            return sign == 0 ? v : -v;
        }
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign << 31 | 0x7f800000 | mant << 13);
        }
        return Float.intBitsToFloat(sign << 31 | (exp - 15 + 127) << 23 | mant << 13);
    }

    /** OCP FP8 E4M3 ("fn": exponent bias 7, no infinities, S.1111.111 is NaN) to float32, exact. */
    static float e4m3ToFloat(byte v) {
        int sign = (v >>> 7) & 1;
        int exp = (v >>> 3) & 0xf;
        int mant = v & 7;
        float m;
        if (exp == 0xf && mant == 7) {
            m = Float.NaN;
        } else if (exp == 0) {
            m = mant * 0x1p-9f;
        } else {
            m = (8 + mant) * (float) Math.scalb(1.0, exp - 10);
        }
        return sign == 0 ? m : -m;
    }

    /** Equal dtype, shape and bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SafeTensor && ((SafeTensor) o).dtype == dtype
                && Arrays.equals(((SafeTensor) o).shape, shape) && Arrays.equals(((SafeTensor) o).data, data);
    }

    @Override
    public int hashCode() {
        return (dtype.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "SafeTensor(" + dtype + " " + Arrays.toString(shape) + ")";
    }
}
