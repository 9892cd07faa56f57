package io.ganflow.data.idx;

import io.ganflow.BadInputException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format), plain or gzip-compressed (by content, not name).
 *
 * <p>Layout: two zero bytes, a type byte (0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float,
 * 0x0E double), a dimension count, then each dimension as a big-endian int32, then the values big-endian.
 * The file must hold exactly the values its header announces: a wrong magic, a short file or trailing
 * bytes are errors that name the file.
 */
public final class IdxReader {
    static final double MAX_ABS = 1e30;

    private IdxReader() {}

    public static IdxArray read(Path path) {
        return open(path, (in, size) -> {
            Header h = header(path, in, size);
            // Grows as values arrive, so a lying header in a small (gzipped) file cannot claim gigabytes at once.
            float[] data = new float[(int) Math.min(h.total, 1 << 20)];
            int read = 0;
            try {
                for (; read < h.total; read++) {
                    if (read == data.length) {
                        data = java.util.Arrays.copyOf(data, (int) Math.min(h.total, 2L * data.length));
                    }
                    double v = readValue(in, h.type);
                    if (!(Math.abs(v) < MAX_ABS)) {
                        throw new BadInputException(path + ": value " + (read + 1) + " of " + h.total + " is " + v
                                + "; allowed: finite, |x| < 1e30");
                    }
                    data[read] = (float) v;
                }
            } catch (EOFException e) {
                throw truncated(path, h, read);
            }
            requireEnd(path, in, h);
            return new IdxArray(h.dims, h.type, data);
        });
    }

    /**
     * Reads an IDX file of unsigned bytes (type 0x08, as image files are) without widening the values: a
     * 60,000-image file takes 47 MB instead of 188 MB. Any other element type is refused, naming the file.
     */
    public static IdxBytes readUnsignedBytes(Path path) {
        return open(path, (in, size) -> {
            Header h = header(path, in, size);
            if (h.type != 0x08) {
                throw new BadInputException(String.format("%s: IDX element type 0x%02X; expected unsigned bytes (0x08),"
                        + " the type of image files", path, h.type));
            }
            // Grows as bytes arrive, so a lying header in a small (gzipped) file cannot claim gigabytes at once.
            byte[] data = new byte[(int) Math.min(h.total, 1 << 20)];
            int read = 0;
            try {
                while (read < h.total) {
                    if (read == data.length) {
                        data = java.util.Arrays.copyOf(data, (int) Math.min(h.total, 2L * data.length));
                    }
                    int k = in.read(data, read, Math.min(1 << 16, data.length - read));
                    if (k < 0) {
                        break;
                    }
                    read += k;
                }
            } catch (EOFException e) {
                // a gzip stream that ends early
            }
            if (read < h.total) {
                throw truncated(path, h, read);
            }
            requireEnd(path, in, h);
            return new IdxBytes(h.dims, data);
        });
    }

    private interface Body<T> {
        /** @param size the file's size for a plain file, -1 for a gzipped one */
        T parse(DataInputStream in, long size) throws IOException;
    }

    private static <T> T open(Path path, Body<T> body) {
        if (!Files.exists(path)) {
            throw new BadInputException(path + ": file not found");
        }
        if (Files.isDirectory(path)) {
            throw new BadInputException(path + ": is a directory, expected an IDX file");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            InputStream in = gzip ? new BufferedInputStream(new GZIPInputStream(raw), 1 << 16) : raw;
            return body.parse(new DataInputStream(in), gzip ? -1 : Files.size(path));
        } catch (NoSuchFileException e) {
            throw new BadInputException(path + ": file not found");
        } catch (ZipException e) {
            throw new BadInputException(path + ": corrupt gzip data (" + e.getMessage() + ")");
        } catch (EOFException e) {
            throw new BadInputException(path + ": truncated: the file ends before the header is complete");
        } catch (IOException e) {
            throw new BadInputException(path + ": cannot read: " + e.getMessage());
        }
    }

    private record Header(int type, int[] dims, long total) {}

    private static Header header(Path path, DataInputStream in, long size) throws IOException {
        int z0 = in.readUnsignedByte();
        int z1 = in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int nd = in.readUnsignedByte();
        int width = width(type);
        if (z0 != 0 || z1 != 0 || width < 0 || nd < 1) {
            throw new BadInputException(String.format("%s: wrong IDX magic 0x%02X%02X%02X%02X; expected 0x0000 then a"
                    + " type byte (08, 09, 0B, 0C, 0D or 0E) then a dimension count >= 1", path, z0, z1, type, nd));
        }
        int[] dims = new int[nd];
        long total = 1;
        for (int i = 0; i < nd; i++) {
            dims[i] = in.readInt();
            if (dims[i] < 1) {
                throw new BadInputException(path + ": dimension " + (i + 1) + " is " + dims[i] + "; allowed: >= 1"
                        + " (an IDX data set needs at least one item of at least one value)");
            }
            // Saturate instead of overflowing: 255 dimensions of up to 2^31 each.
            total = total > Long.MAX_VALUE / dims[i] ? Long.MAX_VALUE : total * dims[i];
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new BadInputException(path + ": header announces " + (total == Long.MAX_VALUE ? "more than 2^63" : total)
                    + " values, more than this reader holds (at most " + (Integer.MAX_VALUE - 8) + ")");
        }
        Header h = new Header(type, dims, total);
        if (size >= 0 && 4 + 4L * nd + total * width > size) {
            // A plain file too short for its header: say so before allocating what the header announces.
            throw truncated(path, h, Math.max(0, (size - 4 - 4L * nd) / width));
        }
        return h;
    }

    private static BadInputException truncated(Path path, Header h, long read) {
        return new BadInputException(path + ": truncated: the header announces " + shape(h.dims) + " = " + h.total
                + " values, the file holds " + read);
    }

    private static void requireEnd(Path path, InputStream in, Header h) throws IOException {
        if (in.read() != -1) {
            long extra = 1;
            while (in.read() != -1) {
                extra++;
            }
            throw new BadInputException(path + ": " + extra + " trailing bytes after the " + shape(h.dims)
                    + " values the header announces");
        }
    }

    private static double readValue(DataInputStream in, int type) throws IOException {
        switch (type) {
            case 0x08:
                return in.readUnsignedByte();
            case 0x09:
                return in.readByte();
            case 0x0B:
                return in.readShort();
            case 0x0C:
                return in.readInt();
            case 0x0D:
                return in.readFloat();
            default:
                return in.readDouble();
        }
    }

    static int width(int type) {
        switch (type) {
            case 0x08:
            case 0x09:
                return 1;
            case 0x0B:
                return 2;
            case 0x0C:
            case 0x0D:
                return 4;
            case 0x0E:
                return 8;
            default:
                return -1;
        }
    }

    private static String shape(int[] dims) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            b.append(i == 0 ? "" : "x").append(dims[i]);
        }
        return b.toString();
    }
}
