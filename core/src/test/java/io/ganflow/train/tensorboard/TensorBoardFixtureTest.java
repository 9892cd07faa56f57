package io.ganflow.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The encoder against a committed fixture that an independent decoder verified. {@code fixture.tfevents} is
 * what {@link #writeFixture} writes; {@code fixture.decoded.jsonl} is its decoding by
 * {@code tools/tensorboard_check.py} (Python's protobuf runtime, a table-driven CRC-32C). To regenerate
 * both after a deliberate format change:
 *
 * <pre>
 * mvn -o test -pl core -Dtest=TensorBoardFixtureTest     # writes core/target/tensorboard-fixture/fixture.tfevents
 * d=core/src/test/resources/io/ganflow/train/tensorboard
 * cp core/target/tensorboard-fixture/fixture.tfevents $d/
 * /usr/bin/python3 tools/tensorboard_check.py --dump $d/fixture.decoded.jsonl $d/fixture.tfevents
 * </pre>
 */
class TensorBoardFixtureTest {
    private static final String RESOURCES = "/io/ganflow/train/tensorboard/";

    /** A 3 x 2 RGB PNG: red, green, blue on each row. */
    static final byte[] PNG = HexFormat.of().parseHex("89504e470d0a1a0a0000000d494844520000000300000002080200000012"
            + "16f14d000000104944415478da63f8cfc0c000c17016003bd805fb361198ea0000000049454e44ae426082");

    static final double T0 = 1_700_000_000.25;

    /** Scalars at step 1: ordinary, signed zero, subnormal, beyond float range and non-finite values. */
    static Map<String, Double> step1() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("train/d_loss", Math.log(2));
        m.put("train/g_loss", -1.25);
        m.put("train/zero", 0.0);
        m.put("train/negative_zero", -0.0);
        m.put("train/subnormal", 1e-45);
        m.put("train/beyond_float", 1e39);
        m.put("eval/nan", Double.NaN);
        m.put("eval/inf", Double.POSITIVE_INFINITY);
        m.put("eval/minus_inf", Double.NEGATIVE_INFINITY);
        return m;
    }

    static float[] weights() {
        float[] w = new float[100];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(i * 0.37) * (1 + i % 3);
        }
        return w;
    }

    static Histogram histogram() {
        return Histogram.of(List.of(weights()), Histogram.BUCKETS);
    }

    /** Writes the fixture: the clock advances 0.5 s per event. */
    static void writeFixture(Path file) {
        AtomicInteger tick = new AtomicInteger();
        try (EventFileWriter w = EventFileWriter.at(file, () -> T0 + 0.5 * tick.getAndIncrement())) {
            w.scalars(1, step1());
            w.scalars(50, Map.of("train/d_loss", 0.5));
            w.image(50, "samples", PNG);
            w.histogram(50, "weights/d/layer0.weight", histogram());
            w.scalars(150, Map.of("train/d_loss", 0.25)); // orphaned by the restart below
            w.sessionStart(101);
            w.scalars(150, Map.of("train/d_loss", 0.375));
            w.scalars(1L << 40, Map.of("train/d_loss", 0.125));
        }
    }

    @Test
    void theEncoderWritesTheVerifiedFixtureByteForByte() throws IOException {
        Path out = Path.of("target", "tensorboard-fixture", "fixture.tfevents");
        Files.createDirectories(out.getParent());
        writeFixture(out);
        byte[] expected = resource("fixture.tfevents");
        assertArrayEquals(expected, Files.readAllBytes(out),
                "the encoding changed; if deliberately, regenerate the fixture (see the class comment)");
    }

    @Test
    void pythonsDecodingOfTheFixtureHoldsWhatWasWritten() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : new String(resource("fixture.decoded.jsonl"), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                events.add(new ObjectMapper().readTree(line));
            }
        }
        assertEquals(9, events.size());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(T0 + 0.5 * i, events.get(i).get("wall_time").asDouble(), "wall time of event " + i);
        }
        assertEquals("brain.Event:2", events.get(0).get("file_version").asText());

        JsonNode first = events.get(1);
        assertEquals(1, first.get("step").asLong());
        List<Map.Entry<String, Double>> in = new ArrayList<>(step1().entrySet());
        assertEquals(in.size(), first.get("summary").size());
        for (int i = 0; i < in.size(); i++) {
            JsonNode v = first.get("summary").get(i);
            assertEquals(in.get(i).getKey(), v.get("tag").asText());
            float want = in.get(i).getValue().floatValue();
            assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(number(v.get("simple_value"))), v.toString());
        }
        assertEquals(Float.POSITIVE_INFINITY, number(first.get("summary").get(5).get("simple_value")),
                "1e39 is beyond float32");
        assertEquals(1e-45f, number(first.get("summary").get(4).get("simple_value")));

        JsonNode image = events.get(3).get("summary").get(0);
        assertEquals(50, events.get(3).get("step").asLong());
        assertEquals("samples", image.get("tag").asText());
        assertEquals(3, image.get("image").get("width").asInt());
        assertEquals(2, image.get("image").get("height").asInt());
        assertEquals(3, image.get("image").get("colorspace").asInt());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(PNG)),
                image.get("image").get("sha256").asText());

        JsonNode histo = events.get(4).get("summary").get(0);
        assertEquals("weights/d/layer0.weight", histo.get("tag").asText());
        Histogram h = histogram();
        JsonNode hj = histo.get("histo");
        assertEquals(h.min(), hj.get("min").asDouble());
        assertEquals(h.max(), hj.get("max").asDouble());
        assertEquals(100, hj.get("num").asDouble());
        assertEquals(h.sum(), hj.get("sum").asDouble());
        assertEquals(h.sumSquares(), hj.get("sum_squares").asDouble());
        assertArrayEquals(h.bucketLimit(), doubles(hj.get("bucket_limit")));
        assertArrayEquals(h.bucket(), doubles(hj.get("bucket")));

        assertEquals(1, events.get(6).get("session_log").get("status").asInt());
        assertEquals(101, events.get(6).get("step").asLong());
        assertEquals(0.375, events.get(7).get("summary").get(0).get("simple_value").asDouble());
        assertEquals(1L << 40, events.get(8).get("step").asLong());
    }

    @Test
    void theJavaSideDecoderReadsTheFixtureAsTensorBoardWould() throws IOException {
        Path file = Path.of("target", "tensorboard-fixture", "replay.tfevents");
        Files.createDirectories(file.getParent());
        writeFixture(file);
        var scalars = EventsDecoder.scalars(List.of(file));
        assertEquals(List.of(1L, 50L, 150L, 1L << 40), List.copyOf(scalars.get("train/d_loss").keySet()));
        assertEquals(0.375f, scalars.get("train/d_loss").get(150L), "the orphaned 0.25 was dropped");
        assertTrue(Float.isNaN(scalars.get("eval/nan").get(1L)));
    }

    private static float number(JsonNode v) {
        return v.isTextual() ? (float) Double.parseDouble(v.asText()) : (float) v.asDouble();
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TensorBoardFixtureTest.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("missing test resource " + RESOURCES + name);
            }
            return in.readAllBytes();
        }
    }
}
