package io.ganflow.io;

import io.ganflow.BadInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (versions 1.0, 2.0 and 3.0) for arrays of unsigned bytes and float32, C order:
 * the magic {@code \x93NUMPY}, a version, a little-endian header length, a header that is a Python dict literal
 * ({@code {'descr': '<f4', 'fortran_order': False, 'shape': (n, 28, 28), }}), then the raw data. Every reading
 * error names the file and what is wrong: a wrong magic, an unknown version, a header that is not such a
 * dict, another element type, Fortran order, a truncated file or trailing bytes.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private Npy() {}

    /** The element types read: unsigned bytes and float32. */
    public enum Kind { U8, F32 }

    /**
     * An array read from a file.
     *
     * @param shape the dimensions (empty for a scalar)
     * @param kind the element type
     * @param bytes the values for {@link Kind#U8}, else null
     * @param floats the values for {@link Kind#F32}, else null
     */
    public record Array(long[] shape, Kind kind, byte[] bytes, float[] floats) {
        public long count() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** True when the file starts with the .npy magic. */
    public static boolean isNpy(byte[] head) {
        return head.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC);
    }

    /** Reads a .npy file of unsigned bytes ({@code |u1}) or float32 ({@code <f4}, {@code >f4}). */
    public static Array read(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (!isNpy(all)) {
            throw new BadInputException(file + ": not a .npy file (it does not start with \\x93NUMPY)");
        }
        if (all.length < 10) {
            throw new BadInputException(file + ": truncated .npy header (" + all.length + " bytes)");
        }
        int major = all[6] & 0xFF;
        int headerStart;
        long headerLen;
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            headerLen = b.getShort(8) & 0xFFFF;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (all.length < 12) {
                throw new BadInputException(file + ": truncated .npy header (" + all.length + " bytes)");
            }
            headerLen = b.getInt(8) & 0xFFFFFFFFL;
            headerStart = 12;
        } else {
            throw new BadInputException(file + ": .npy format version " + major + "." + (all[7] & 0xFF)
                    + " is not supported (1.0, 2.0 and 3.0 are)");
        }
        if (headerStart + headerLen > all.length) {
            throw new BadInputException(file + ": truncated .npy header (it says " + headerLen + " bytes, the file has "
                    + (all.length - headerStart) + " after the preamble)");
        }
        String header = new String(all, headerStart, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).strip();
        String descr = field(file, header, "descr", "'([^']*)'");
        String fortran = field(file, header, "fortran_order", "(True|False)");
        String shapeText = field(file, header, "shape", "\\(([^)]*)\\)");
        if (fortran.equals("True")) {
            throw new BadInputException(file + ": the array is in Fortran order; write it in C order"
                    + " (numpy.ascontiguousarray) before saving");
        }
        long[] shape = parseShape(file, shapeText);
        Kind kind;
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        switch (descr) {
            case "|u1", "<u1", ">u1", "u1" -> kind = Kind.U8;
            case "<f4" -> kind = Kind.F32;
            case ">f4" -> {
                kind = Kind.F32;
                order = ByteOrder.BIG_ENDIAN;
            }
            default -> kind = null;
        }
        if (kind == null) {
            throw new BadInputException(file + ": element type '" + descr + "' is not supported; allowed: uint8 ('|u1')"
                    + " and float32 ('<f4')");
        }
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        long itemSize = kind == Kind.U8 ? 1 : 4;
        long data = all.length - headerStart - headerLen;
        if (data < count * itemSize) {
            throw new BadInputException(file + ": truncated: shape " + Arrays.toString(shape) + " needs " + count * itemSize
                    + " bytes of data, the file has " + data);
        }
        if (data > count * itemSize) {
            throw new BadInputException(file + ": " + (data - count * itemSize) + " trailing bytes after the "
                    + Arrays.toString(shape) + " array");
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new BadInputException(file + ": " + count + " values are too many to read at once");
        }
        int start = (int) (headerStart + headerLen);
        if (kind == Kind.U8) {
            return new Array(shape, kind, Arrays.copyOfRange(all, start, start + (int) count), null);
        }
        float[] f = new float[(int) count];
        ByteBuffer.wrap(all, start, (int) count * 4).order(order).asFloatBuffer().get(f);
        return new Array(shape, kind, null, f);
    }

    private static String field(Path file, String header, String key, String value) {
        Matcher m = Pattern.compile("['\"]" + key + "['\"]\\s*:\\s*" + value).matcher(header);
        if (!header.startsWith("{") || !m.find()) {
            throw new BadInputException(file + ": the .npy header has no '" + key + "' entry: " + abbreviate(header));
        }
        return m.group(1);
    }

    private static long[] parseShape(Path file, String text) {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip().replace("L", "");
            if (p.isEmpty()) {
                continue;
            }
            try {
                long d = Long.parseLong(p);
                if (d < 0) {
                    throw new NumberFormatException();
                }
                dims.add(d);
            } catch (NumberFormatException e) {
                throw new BadInputException(file + ": the .npy shape (" + text + ") is not a tuple of sizes");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    /** Writes unsigned bytes as a version 1.0 .npy file ({@code |u1}, C order). */
    public static void writeBytes(Path file, byte[] values, long... shape) throws IOException {
        write(file, "|u1", shape, values);
    }

    /** Writes float32 values as a version 1.0 .npy file ({@code <f4}, C order). */
    public static void writeFloats(Path file, float[] values, long... shape) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        write(file, "<f4", shape, b.array());
    }

    private static void write(Path file, String descr, long[] shape, byte[] data) throws IOException {
        StringBuilder s = new StringBuilder("(");
        for (long d : shape) {
            s.append(d).append(", ");
        }
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)" : s.substring(0, Math.max(1, s.length() - 2)) + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int total = MAGIC.length + 4 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(MAGIC);
            out.write(new byte[] {1, 0});
            out.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).array());
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            out.write(data);
        }
    }
}
