package io.ganflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganflow.data.csv.CsvReader;
import io.ganflow.data.csv.CsvTable;
import io.ganflow.data.idx.IdxArray;
import io.ganflow.data.idx.IdxReader;
import io.ganflow.train.Checkpoint;
import io.ganflow.train.CheckpointIO;
import io.ganflow.nn.StateDict;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property-based tests of the readers: whatever bytes a file holds, the CSV reader, the IDX reader and
 * the checkpoint reader either return a well-formed result or throw {@link BadInputException} (the
 * checkpoint reader's {@code CorruptCheckpointException} is one) with a message that names the file, and
 * never hang. Inputs are random bytes, text built from each format's own tokens, and valid files damaged
 * at random. {@link Fuzz#TRIES} tries per property, seeded and reproducible.
 */
class ReaderPropertiesTest {
    @TempDir
    Path dir;

    /** Runs {@code read} on the file and checks that it either succeeds or fails as bad input naming it. */
    static <T> T readOrRefuse(Path file, java.util.function.Function<Path, T> read) {
        try {
            return read.apply(file);
        } catch (BadInputException e) {
            assertTrue(e.getMessage() != null && e.getMessage().startsWith(file.toString()),
                    "the message names the file: " + e.getMessage());
            assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
            return null;
        }
    }

    // ---- CSV ----------------------------------------------------------------------------------------

    static final List<String> CSV_TOKENS = List.of("1", "-2.5", "3e4", "1e300", "-1e30", "9.99e29", "1e-320", ".5", "7.",
            "+0", "nan", "Inf", "-infinity", "1e400", "x", "\"a\"", "\"1,2\"", "\"\"", "\"", ",", ",", ",", ";", "\t", " ",
            "\n", "\n", "\r\n", "\n\n", "\uFEFF", "é", "a", "b", "col", "0x1F", "1_000", "--1", "1e", "e5", "\u0000");

    static void checkTable(CsvTable t) {
        assertTrue(t.rows().length >= 1);
        for (double[] row : t.rows()) {
            assertEquals(t.columns(), row.length, "rectangular");
            for (double v : row) {
                assertTrue(Double.isFinite(v) && Math.abs(v) < CsvReader.MAX_ABS, "finite and bounded: " + v);
            }
        }
    }

    @Test
    void csvReaderOnlyReturnsCleanTablesOrRefusesTheFile() {
        Path f = dir.resolve("in.csv");
        Fuzz.forAll("csv from tokens", 11, r -> Fuzz.tokens(r, CSV_TOKENS, 60), Fuzz::show, text -> {
            Files.write(f, Fuzz.utf8(text));
            CsvTable t = readOrRefuse(f, CsvReader::read);
            if (t != null) {
                checkTable(t);
            }
        });
        Fuzz.forAll("csv from bytes", 12, r -> r.nextInt(4) == 0 ? Fuzz.bytes(r, 200)
                : Fuzz.mutate(r, Fuzz.utf8("a,b,c\n1,2,3\n4.5,-6e2,7\n\n8,9,10\n")), Fuzz::show, bytes -> {
                    Files.write(f, bytes);
                    CsvTable t = readOrRefuse(f, CsvReader::read);
                    if (t != null) {
                        checkTable(t);
                    }
                });
    }

    // ---- IDX ----------------------------------------------------------------------------------------

    static byte[] validIdx(Random r) throws IOException {
        int[] types = {0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E};
        int type = types[r.nextInt(types.length)];
        int nd = 1 + r.nextInt(3);
        int[] dims = new int[nd];
        int total = 1;
        for (int i = 0; i < nd; i++) {
            dims[i] = 1 + r.nextInt(4);
            total *= dims[i];
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.write(new byte[] {0, 0, (byte) type, (byte) nd});
        for (int x : dims) {
            d.writeInt(x);
        }
        for (int i = 0; i < total; i++) {
            switch (type) {
                case 0x08:
                case 0x09:
                    d.writeByte(r.nextInt(256));
                    break;
                case 0x0B:
                    d.writeShort(r.nextInt(65536));
                    break;
                case 0x0C:
                    d.writeInt(r.nextInt());
                    break;
                case 0x0D:
                    d.writeFloat((float) r.nextGaussian());
                    break;
                default:
                    d.writeDouble(r.nextGaussian());
            }
        }
        return b.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream o = new GZIPOutputStream(b)) {
            o.write(raw);
        }
        return b.toByteArray();
    }

    @Test
    void idxReaderOnlyReturnsConsistentArraysOrRefusesTheFile() {
        Path f = dir.resolve("in.idx");
        Fuzz.forAll("idx", 21, r -> {
            try {
                switch (r.nextInt(5)) {
                    case 0:
                        return Fuzz.bytes(r, 64);
                    case 1: // a plausible header in front of random bytes
                        byte[] head = {0, 0, (byte) (0x08 + r.nextInt(7)), (byte) r.nextInt(4)};
                        byte[] rest = Fuzz.bytes(r, 48);
                        byte[] all = java.util.Arrays.copyOf(head, 4 + rest.length);
                        System.arraycopy(rest, 0, all, 4, rest.length);
                        return all;
                    case 2:
                        return Fuzz.mutate(r, gzip(validIdx(r)));
                    case 3:
                        return gzip(Fuzz.mutate(r, validIdx(r)));
                    default:
                        return Fuzz.mutate(r, validIdx(r));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, Fuzz::show, bytes -> {
            Files.write(f, bytes);
            IdxArray a = readOrRefuse(f, IdxReader::read);
            if (a != null) {
                long n = 1;
                for (int d : a.dims()) {
                    assertTrue(d >= 1);
                    n *= d;
                }
                assertEquals(n, a.data().length, "exactly the values the header announces");
                for (float v : a.data()) {
                    assertTrue(Math.abs(v) < 1e30, "finite and bounded: " + v);
                }
            }
        });
    }

    // ---- checkpoints --------------------------------------------------------------------------------

    static StateDict state(Random r) {
        StateDict sd = new StateDict();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            float[] v = new float[1 + r.nextInt(6)];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) r.nextGaussian();
            }
            sd.putFloats("t" + i, v, new long[] {v.length});
        }
        sd.putValue("opt.step", (long) r.nextInt(100));
        sd.putValue("opt.lr", r.nextDouble());
        sd.putValue("rng", Fuzz.bytes(r, 8));
        sd.putValue("flag", r.nextBoolean());
        sd.putValue("name", "x" + r.nextInt(10));
        return sd;
    }

    static final ObjectMapper JSON = new ObjectMapper();

    /** Random JSON made of the header's own field names and value kinds, nested a little. */
    static Object json(Random r, int depth) {
        List<String> keys = List.of("step", "meta", "values", "tensors", "name", "shape", "offset", "count", "type",
                "value", "config", "t0", "bytes", "long", "double", "bool", "string");
        switch (depth <= 0 ? r.nextInt(6) : r.nextInt(8)) {
            case 0:
                return r.nextInt(9) - 2;
            case 1:
                return r.nextBoolean() ? Long.MAX_VALUE : -1L << 40;
            case 2:
                return keys.get(r.nextInt(keys.size()));
            case 3:
                return r.nextDouble();
            case 4:
                return null;
            case 5:
                return r.nextBoolean();
            case 6: {
                List<Object> l = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    l.add(json(r, depth - 1));
                }
                return l;
            }
            default: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    m.put(keys.get(r.nextInt(keys.size())), json(r, depth - 1));
                }
                return m;
            }
        }
    }

    /** The checkpoint layout around a header and data, with a correct checksum: it gets past the SHA-256. */
    static byte[] signed(byte[] header, byte[] data, int format) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(16 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'G', 'F', 'C', 'K'}).putInt(format).putLong(header.length).put(header).put(data);
        byte[] body = b.array();
        byte[] all = java.util.Arrays.copyOf(body, body.length + 32);
        System.arraycopy(MessageDigest.getInstance("SHA-256").digest(body), 0, all, body.length, 32);
        return all;
    }

    @Test
    void checkpointReaderOnlyReturnsCheckpointsOrRefusesTheFile() throws Exception {
        Path f = dir.resolve("in.gfck");
        Path good = dir.resolve("good.gfck");
        Fuzz.forAll("checkpoint", 31, r -> {
            try {
                CheckpointIO.write(good, r.nextInt(1000), Map.of("preset", "p", "config", Map.of("a", "1")), state(r));
                byte[] valid = Files.readAllBytes(good);
                long len = ByteBuffer.wrap(valid, 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
                byte[] header = java.util.Arrays.copyOfRange(valid, 16, 16 + (int) len);
                byte[] data = java.util.Arrays.copyOfRange(valid, 16 + (int) len, valid.length - 32);
                switch (r.nextInt(5)) {
                    case 0:
                        return Fuzz.bytes(r, 200);
                    case 1: // damaged on disk: the checksum must catch it
                        return Fuzz.mutate(r, valid);
                    case 2: // a damaged header that is signed again: the parser must catch it
                        return signed(Fuzz.mutate(r, header), data, 1);
                    case 3: // arbitrary JSON where the header goes, signed
                        return signed(JSON.writeValueAsBytes(json(r, 4)), Fuzz.bytes(r, 40), 1);
                    default: // the valid header with damaged data, signed
                        return signed(header, Fuzz.mutate(r, data), r.nextInt(8) == 0 ? 2 : 1);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Fuzz::show, bytes -> {
            Files.write(f, bytes);
            Checkpoint c = readOrRefuse(f, CheckpointIO::read);
            if (c != null) {
                assertTrue(c.step() >= 0);
                assertTrue(c.meta() != null);
                for (Map.Entry<String, float[]> e : c.state().tensors().entrySet()) {
                    long n = 1;
                    for (long s : c.state().shape(e.getKey())) {
                        n *= s;
                    }
                    assertEquals(n, e.getValue().length, "shape matches count for " + e.getKey());
                }
            }
        });
    }
}
