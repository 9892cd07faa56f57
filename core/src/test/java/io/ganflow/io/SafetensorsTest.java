package io.ganflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganflow.BadInputException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safetensors reader and writer against files written by PyTorch through an independent Python
 * implementation (tools/fixtures/safetensors_fixtures.py), and a Java-written file against what that
 * script's parser found in it.
 */
class SafetensorsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(SafetensorsTest.class.getResource("/fixtures/safetensors/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String name) throws IOException {
        return JSON.readTree(fixture(name).toFile());
    }

    static double number(JsonNode v) {
        if (v.isTextual()) {
            switch (v.textValue()) {
                case "nan":
                    return Double.NaN;
                case "inf":
                    return Double.POSITIVE_INFINITY;
                case "-inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    throw new IllegalArgumentException(v.toString());
            }
        }
        return v.doubleValue();
    }

    static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).longValue();
        }
        return out;
    }

    static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new TreeMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().textValue()));
        return out;
    }

    /** Checks one tensor against {"dtype", "shape", "values"} of the fixtures' JSON. */
    static void assertTensor(String what, JsonNode want, SafeTensor got) {
        assertEquals(want.get("dtype").textValue(), got.dtype().name(), what);
        assertArrayEquals(longs(want.get("shape")), got.shape(), what);
        JsonNode values = want.get("values");
        assertEquals(values.size(), got.numel(), what);
        if (got.dtype() == Dtype.F64) {
            double[] d = got.doubles();
            for (int i = 0; i < d.length; i++) {
                assertEquals(number(values.get(i)), d[i], 0.0, what + "[" + i + "]");
            }
        } else if (got.dtype().isFloatingPoint()) {
            float[] f = got.floats();
            float[] expected = new float[f.length];
            for (int i = 0; i < f.length; i++) {
                expected[i] = (float) number(values.get(i));
            }
            assertArrayEquals(expected, f, what); // bitwise: -0.0 differs from 0.0, NaN equals NaN
            double[] d = got.doubles();
            for (int i = 0; i < d.length; i++) {
                assertEquals(Float.floatToIntBits(f[i]), Float.floatToIntBits((float) d[i]), what);
            }
        } else {
            long[] l = got.longs();
            for (int i = 0; i < l.length; i++) {
                assertEquals(values.get(i).longValue(), l[i], what + "[" + i + "]");
            }
        }
    }

    @Test
    void readsFilesWrittenFromPyTorchTensors() throws IOException {
        JsonNode files = json("expected.json").get("files");
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            SafetensorsFile st = Safetensors.read(fixture(f.getKey()));
            assertEquals(strings(f.getValue().get("metadata")), st.metadata(), f.getKey());
            JsonNode tensors = f.getValue().get("tensors");
            List<String> names = new ArrayList<>();
            tensors.fieldNames().forEachRemaining(names::add);
            assertEquals(new TreeSet<>(names), st.tensors().keySet(), f.getKey());
            for (String name : names) {
                assertTensor(f.getKey() + ":" + name, tensors.get(name), st.tensor(name));
            }
        }
        SafetensorsFile mixed = Safetensors.read(fixture("mixed.safetensors"));
        assertEquals(List.of("bf16", "empty", "f16", "f64", "i32", "layer.weight", "mask", "scalar", "steps", "u8"),
                new ArrayList<>(mixed.tensors().keySet()), "tensors come back in name order");
        BadInputException e = assertThrows(BadInputException.class, () -> mixed.tensor("nope"));
        assertTrue(e.getMessage().startsWith(fixture("mixed.safetensors") + ": no tensor named 'nope'"),
                e.getMessage());
    }

    /** Each malformed file is refused with a one-line message naming the file and the problem. */
    @Test
    void rejectsEveryMalformedFile() throws IOException {
        Map<String, String> want = new LinkedHashMap<>();
        want.put("bad_too_short.safetensors", "too short for a safetensors file (3 bytes");
        want.put("bad_header_too_big.safetensors", "header length 4096 exceeds the file size (80 bytes)");
        want.put("bad_header_absurd.safetensors", "header length 1099511627776 is absurd");
        want.put("bad_utf8.safetensors", "header is not valid UTF-8");
        want.put("bad_json.safetensors", "header is not valid JSON (");
        want.put("bad_not_object.safetensors", "header is not a JSON object");
        want.put("bad_duplicate_key.safetensors", "header has a duplicate key (Duplicate field 'a')");
        want.put("bad_metadata_not_string.safetensors", "__metadata__ value of 'epoch' is not a string: 3");
        want.put("bad_unknown_dtype.safetensors", "tensor 'a' has unknown dtype 'F7'");
        want.put("bad_shape.safetensors", "tensor 'a' has no shape array of non-negative integers");
        want.put("bad_span.safetensors",
                "tensor 'a' of shape [2, 3] and dtype F32 needs 24 bytes but its data_offsets [0, 16] span 16");
        want.put("bad_overlap.safetensors",
                "tensor 'b' (data_offsets [8, 16]) overlaps tensor 'a' (data_offsets [0, 12])");
        want.put("bad_hole.safetensors",
                "bytes [4, 8) of the data buffer belong to no tensor (a hole before tensor 'b')");
        want.put("bad_out_of_bounds.safetensors", "file is truncated or offsets are out of bounds: tensor 'a' has"
                + " data_offsets [1000, 1016] but the data buffer holds 16 bytes");
        want.put("bad_truncated.safetensors", "file is truncated or offsets are out of bounds: tensor 'a' has"
                + " data_offsets [0, 16] but the data buffer holds 11 bytes");
        want.put("bad_trailing.safetensors", "4 bytes after the last tensor belong to no tensor");
        List<String> listed = new ArrayList<>();
        json("expected.json").get("bad").fieldNames().forEachRemaining(listed::add);
        assertEquals(new TreeSet<>(listed), new TreeSet<>(want.keySet()), "every bad fixture is checked");
        for (Map.Entry<String, String> w : want.entrySet()) {
            Path f = fixture(w.getKey());
            String msg = assertThrows(BadInputException.class, () -> Safetensors.read(f), w.getKey()).getMessage();
            assertTrue(msg.startsWith(f + ": " + w.getValue()), msg);
            assertFalse(msg.contains("\n"), msg);
        }
        Path missing = dir.resolve("missing.safetensors");
        assertEquals(missing + ": safetensors file not found",
                assertThrows(BadInputException.class, () -> Safetensors.read(missing)).getMessage());
    }

    /** Headers made here rather than by the Python script: edge cases of the JSON itself. */
    @Test
    void rejectsOddHeaders() throws IOException {
        Map<String, String> want = new LinkedHashMap<>();
        want.put("", "header is not a JSON object");
        want.put("{} {}", "header is not valid JSON (");
        want.put("{\"__metadata__\":[\"a\"]}", "__metadata__ is not a JSON object");
        want.put("{\"a\":[1]}", "tensor 'a' is not described by a JSON object");
        want.put("{\"a\":{\"shape\":[],\"data_offsets\":[0,4]}}", "tensor 'a' has no dtype string");
        want.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}",
                "tensor 'a' has no shape array of non-negative integers");
        want.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}",
                "tensor 'a' has no valid data_offsets [begin, end] with 0 <= begin <= end");
        want.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,4]}}",
                "tensor 'a' has an absurd shape");
        Path f = dir.resolve("odd.safetensors");
        for (Map.Entry<String, String> w : want.entrySet()) {
            byte[] h = w.getKey().getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(8 + h.length + 4).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(h.length).put(h).putFloat(1f);
            Files.write(f, b.array());
            String msg = assertThrows(BadInputException.class, () -> Safetensors.read(f), w.getKey()).getMessage();
            assertTrue(msg.startsWith(f + ": " + w.getValue()), msg);
        }
    }

    static Map<String, SafeTensor> sample() {
        Map<String, SafeTensor> t = new LinkedHashMap<>();
        t.put("weight", SafeTensor.ofFloats(new float[] {1.5f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, -7f, 1e-3f},
                2, 3));
        t.put("bias", SafeTensor.ofFloats(new float[] {0.25f, -0.5f, 3f}, 3));
        t.put("steps", SafeTensor.ofLongs(new long[] {7, -(1L << 62)}, 2));
        t.put("precise", SafeTensor.ofDoubles(new double[] {Math.PI, -1e-300}, 2));
        t.put("scalar", SafeTensor.ofFloats(new float[] {42.5f}));
        t.put("empty", SafeTensor.ofFloats(new float[0], 0));
        return t;
    }

    static Map<String, String> sampleMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("z", "last");
        m.put("note", "ünïcödé ✓");
        return m;
    }

    @Test
    void roundTripsAndIsDeterministic() throws IOException {
        Map<String, SafeTensor> t = sample();
        // raw 16-bit values: 1.0, -2.0 and +inf in F16; 1.0 and -0.5 in BF16, padded to an odd byte count
        t.put("half", SafeTensor.of(Dtype.F16, new long[] {3}, new byte[] {0, 0x3c, 0, (byte) 0xc0, 0, 0x7c}));
        t.put("brain", SafeTensor.of(Dtype.BF16, new long[] {2}, new byte[] {(byte) 0x80, 0x3f, 0, (byte) 0xbf}));
        t.put("flag", SafeTensor.of(Dtype.BOOL, new long[] {1}, new byte[] {1}));
        Path a = dir.resolve("a.safetensors");
        Safetensors.write(a, t, sampleMetadata());
        SafetensorsFile back = Safetensors.read(a);
        assertEquals(new TreeMap<>(t), back.tensors());
        assertEquals(new TreeMap<>(sampleMetadata()), back.metadata());
        assertArrayEquals(new float[] {1f, -2f, Float.POSITIVE_INFINITY}, back.tensor("half").floats());
        assertArrayEquals(new float[] {1f, -0.5f}, back.tensor("brain").floats());
        assertFalse(Files.exists(dir.resolve("a.safetensors.tmp")), "no temporary file left behind");

        // the same content inserted in another order gives the same bytes
        Map<String, SafeTensor> reversed = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(t.keySet());
        for (int i = keys.size() - 1; i >= 0; i--) {
            reversed.put(keys.get(i), t.get(keys.get(i)));
        }
        Path b = dir.resolve("b.safetensors");
        Safetensors.write(b, reversed, new TreeMap<>(sampleMetadata()));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));

        // header padded to 8 bytes; every tensor starts at a multiple of its element size
        byte[] bytes = Files.readAllBytes(a);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
        JsonNode header = JSON.readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        header.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("__metadata__")) {
                long begin = e.getValue().get("data_offsets").get(0).longValue();
                assertEquals(0, begin % Dtype.valueOf(e.getValue().get("dtype").textValue()).size(), e.getKey());
            }
        });

        // overwriting an existing file replaces it
        Safetensors.write(a, Map.of("only", SafeTensor.ofFloats(new float[] {1f}, 1)), null);
        assertEquals(Map.of(), Safetensors.read(a).metadata());
        assertEquals(List.of("only"), new ArrayList<>(Safetensors.read(a).tensors().keySet()));
        assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(b, Map.of("__metadata__", SafeTensor.ofFloats(new float[] {1f}, 1)), null));
        assertThrows(IllegalArgumentException.class, () -> SafeTensor.ofFloats(new float[] {1f, 2f}, 3));
    }

    /**
     * A file written by ganflow, as parsed by the Python script: same bytes as the committed copy (so the
     * parse below applies to what this build writes), and the parser's values, offsets and order.
     */
    @Test
    void javaWrittenFileIsWhatPythonParsed() throws IOException {
        Path out = Path.of("target", "safetensors-fixtures");
        Files.createDirectories(out);
        Path written = out.resolve("java_written.safetensors");
        Safetensors.write(written, sample(), sampleMetadata());
        assertArrayEquals(Files.readAllBytes(fixture("java_written.safetensors")), Files.readAllBytes(written),
                "the writer's output changed; if on purpose, regenerate java_written.* as described in"
                        + " tools/fixtures/safetensors_fixtures.py");
        JsonNode parsed = json("java_written.json");
        assertEquals(new TreeMap<>(sampleMetadata()), strings(parsed.get("metadata")));
        // wider dtypes first, then names: the layout of the reference implementation
        List<String> order = new ArrayList<>();
        parsed.get("order").forEach(v -> order.add(v.textValue()));
        assertEquals(List.of("steps", "precise", "bias", "empty", "scalar", "weight"), order);
        Map<String, SafeTensor> sample = sample();
        for (String name : order) {
            assertTensor("java_written:" + name, parsed.get("tensors").get(name), sample.get(name));
        }
        assertEquals(ByteBuffer.wrap(Files.readAllBytes(written)).order(ByteOrder.LITTLE_ENDIAN).getLong(),
                parsed.get("header_length").longValue());
    }

    @Test
    void convertsEightAndSixteenBitFloats() {
        assertEquals(1f, SafeTensor.halfToFloat((short) 0x3c00));
        assertEquals(65504f, SafeTensor.halfToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, SafeTensor.halfToFloat((short) 0x0001));
        assertEquals(-0x1p-14f, SafeTensor.halfToFloat((short) 0x8400));
        assertTrue(Float.isNaN(SafeTensor.halfToFloat((short) 0x7e00)));
        assertEquals(Float.NEGATIVE_INFINITY, SafeTensor.halfToFloat((short) 0xfc00));
        // every finite half equals sign · 2^(e−15) · (1 + m/1024), or 2^−14 · m/1024 when e = 0
        for (int h = 0; h < 0x10000; h++) {
            int e = (h >> 10) & 0x1f;
            if (e == 0x1f) {
                continue;
            }
            double m = h & 0x3ff;
            double v = e == 0 ? Math.scalb(m / 1024, -14) : Math.scalb(1 + m / 1024, e - 15);
            assertEquals((float) ((h & 0x8000) != 0 ? -v : v), SafeTensor.halfToFloat((short) h), "half " + h);
        }
        SafeTensor e4m3 = SafeTensor.of(Dtype.F8_E4M3, new long[] {5},
                new byte[] {0x38, 0x7e, 0x01, (byte) 0xc0, 0x7f});
        float[] f = e4m3.floats();
        assertArrayEquals(new float[] {1f, 448f, 0x1p-9f, -2f}, java.util.Arrays.copyOf(f, 4));
        assertTrue(Float.isNaN(f[4]));
        SafeTensor e5m2 = SafeTensor.of(Dtype.F8_E5M2, new long[] {3}, new byte[] {0x3c, 0x7b, (byte) 0xfc});
        assertArrayEquals(new float[] {1f, 57344f, Float.NEGATIVE_INFINITY}, e5m2.floats());
        assertThrows(IllegalStateException.class, () -> SafeTensor.ofLongs(new long[] {1}, 1).floats());
        assertThrows(IllegalStateException.class, () -> SafeTensor.ofFloats(new float[] {1}, 1).longs());
    }
}
