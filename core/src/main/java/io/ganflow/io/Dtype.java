package io.ganflow.io;

/**
 * The element types of the safetensors format, with their header names and their sizes in bytes. They are
 * declared in the order of the reference implementation, whose writer (like {@link Safetensors#write}) lays
 * tensors out by descending declaration order, which puts wider types first. Multi-byte values are stored
 * little-endian. {@code F16} is IEEE 754 half precision, {@code BF16} the upper 16 bits of a float32,
 * {@code F8_E4M3} the finite-only "fn" variant (one NaN pattern, no infinities) and {@code F8_E5M2} the upper
 * byte of a float16.
 */
public enum Dtype {
    BOOL(1, false),
    U8(1, false),
    I8(1, false),
    F8_E5M2(1, true),
    F8_E4M3(1, true),
    I16(2, false),
    U16(2, false),
    F16(2, true),
    BF16(2, true),
    I32(4, false),
    U32(4, false),
    F32(4, true),
    F64(8, true),
    I64(8, false),
    U64(8, false);

    private final int size;
    private final boolean floating;

    Dtype(int size, boolean floating) {
        this.size = size;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** True for the floating-point types, which {@link SafeTensor#floats()} and {@link SafeTensor#doubles()} read. */
    public boolean isFloatingPoint() {
        return floating;
    }

    /** The type with this header name ({@code "F32"}, …), or null if the name is not a known dtype. */
    public static Dtype byName(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }
}
