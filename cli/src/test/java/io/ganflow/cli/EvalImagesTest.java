package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganflow.data.image.ImageSet;
import io.ganflow.io.Npy;
import io.ganflow.metrics.features.ClassifierFile;
import io.ganflow.metrics.features.SyntheticClasses;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ganflow eval} on images: two files (IDX, .npy) and a run, with a tiny classifier trained on synthetic
 * classes (SyntheticClasses) as the extractor; and {@code ganflow classifier show}.
 */
class EvalImagesTest {
    @TempDir
    static Path dir;
    static Path classifier;
    static Path realIdx;
    static Path realLabels;

    @BeforeAll
    static void setUp() throws Exception {
        classifier = dir.resolve("synthetic10-v1.safetensors");
        ClassifierFile.save(SyntheticClasses.trained().classifier(), classifier, Map.of("domain", "synthetic10",
                "version", "v1"));
        ImageSet real = SyntheticClasses.images(30, SyntheticClasses.all(), 2);
        realIdx = idx(dir.resolve("real.idx"), real);
        realLabels = labels(dir.resolve("real-labels.idx"), real.labels().orElseThrow());
    }

    static Path idx(Path p, ImageSet s) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16 + s.pixels().length);
        b.putInt(0x00000803).putInt(s.count()).putInt(s.height()).putInt(s.width()).put(s.pixels());
        Files.write(p, b.array());
        return p;
    }

    static Path labels(Path p, int[] l) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + l.length);
        b.putInt(0x00000801).putInt(l.length);
        for (int v : l) {
            b.put((byte) v);
        }
        Files.write(p, b.array());
        return p;
    }

    static JsonNode json(Path p) throws IOException {
        return new ObjectMapper().readTree(p.toFile());
    }

    @Test
    void imageFilesGetFidKidIsPrdcAndClassCoverageOnTheClassifiersFeatures() throws Exception {
        ImageSet fake = SyntheticClasses.images(100, new int[] {1, 4, 8}, 3);
        Path fakeNpy = dir.resolve("fake.npy");
        Npy.writeBytes(fakeNpy, fake.pixels(), fake.count(), 8, 8);
        Path out = dir.resolve("e.json");
        CliTestSupport.Result r = CliTestSupport.run("eval", "--real", realIdx.toString(), "--fake", fakeNpy.toString(),
                "--features", "classifier:" + classifier, "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = json(out);
        JsonNode m = j.get("metrics");
        for (String k : new String[] {"fid", "kid", "kid_std", "is", "is_std", "precision", "recall", "density", "coverage",
            "classes_covered", "classes_total", "class_kl"}) {
            assertTrue(m.has(k), k + " in " + m);
            assertTrue(m.get(k).get("protocol").asText().length() > 10, k);
        }
        assertEquals(3, m.get("classes_covered").get("value").asInt(), "a generator of 3 classes covers 3 of 10");
        assertEquals(10, m.get("classes_total").get("value").asInt());
        assertEquals(Math.log(10.0 / 3), m.get("class_kl").get("value").asDouble(), 1e-9);
        assertTrue(m.get("fid").get("value").asDouble() > 1, m.toString());
        assertTrue(j.get("features_id").asText().startsWith("classifier-synthetic10-v1:sha256:"), j.toString());
        assertEquals(300, j.get("real_samples").asInt());
        assertEquals(300, j.get("generated_samples").asInt());
        assertTrue(m.get("fid").get("protocol").asText().contains(j.get("features_id").asText()), "the protocol names it");
        assertTrue(r.out().contains("classes_covered") && r.out().contains("features: classifier-synthetic10-v1"),
                r.out());
    }

    @Test
    void fidOfImagesAgainstThemselvesIsZero() throws Exception {
        ImageSet real = SyntheticClasses.images(30, SyntheticClasses.all(), 2);
        float[] f = new float[real.pixels().length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (real.pixels()[i] & 0xFF) / 127.5f - 1f;
        }
        Path same = dir.resolve("same.npy");
        Npy.writeFloats(same, f, real.count(), 1, 8, 8);
        Path out = dir.resolve("same.json");
        CliTestSupport.Result r = CliTestSupport.run("eval", "--real", realIdx.toString(), "--fake", same.toString(),
                "--features", "classifier:" + classifier, "--metrics", "fid,prdc,classes", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode m = json(out).get("metrics");
        assertEquals(0, m.get("fid").get("value").asDouble(), 1e-6);
        assertEquals(1, m.get("precision").get("value").asDouble(), 0);
        assertEquals(1, m.get("coverage").get("value").asDouble(), 0);
        assertEquals(10, m.get("classes_covered").get("value").asInt());
        assertTrue(!m.has("kid") && !m.has("is"), "only the metrics asked for: " + m);
    }

    @Test
    void badImageInputsAreOneLineErrorsNamingTheFile() throws Exception {
        Path f8 = dir.resolve("f8.npy");
        Npy.writeFloats(f8, new float[64], 1, 8, 8);
        byte[] b = Files.readAllBytes(f8);
        String s = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).replace("'<f4'", "'<f8'");
        Files.write(f8, s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        CliTestSupport.Result r = CliTestSupport.run("eval", "--real", realIdx.toString(), "--fake", f8.toString(),
                "--features", "classifier:" + classifier);
        assertEquals(2, r.code());
        assertTrue(r.err().contains(f8.toString()) && r.err().contains("'<f8' is not supported"), r.err());

        r = CliTestSupport.run("eval", "--real", realIdx.toString(), "--fake", realIdx.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("image files need a feature extractor: --data"), r.err());

        Path big = dir.resolve("big.npy");
        Npy.writeBytes(big, new byte[20 * 144], 20, 12, 12);
        r = CliTestSupport.run("eval", "--real", realIdx.toString(), "--fake", big.toString(), "--features",
                "classifier:" + classifier);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("holds images 1 x 12 x 12") && r.err().contains("both must have one shape"), r.err());

        r = CliTestSupport.run("eval", "--real", realIdx.toString(), "--fake", realIdx.toString(), "--features",
                "classifier:" + classifier, "--metrics", "fid,w1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("for image files the metrics are fid, floor"), r.err());

        Path cut = dir.resolve("cut.idx");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(realIdx), 100));
        r = CliTestSupport.run("eval", "--real", cut.toString(), "--fake", realIdx.toString(), "--features",
                "classifier:" + classifier);
        assertEquals(2, r.code());
        assertTrue(r.err().contains(cut.toString()), r.err());
    }

    @Test
    void aRunOnImagesRecordsItsExtractorAndEvalGivesTheImageMetrics() throws Exception {
        Path train = idx(dir.resolve("train.idx"), SyntheticClasses.images(20, SyntheticClasses.all(), 4));
        Path run = dir.resolve("run");
        CliTestSupport.Result r = CliTestSupport.run(CliTestSupport.tiny("train", "--set", "data.name=idx", "--set",
                "data.path=" + train, "--set", "data.test_path=" + realIdx, "--set", "eval.features=classifier:" + classifier,
                "--set", "eval.image_samples=100", "--set", "train.eval_samples=100", "--steps", "20", "--out",
                run.toString()));
        assertEquals(0, r.code(), r.err());
        JsonNode summary = json(run.resolve("summary.json"));
        assertTrue(summary.get("features_id").asText().startsWith("classifier-synthetic10-v1:sha256:"), summary.toString());
        assertTrue(summary.has("fid") && summary.has("fid_floor") && summary.has("classes_covered"), summary.toString());
        assertTrue(Files.readString(run.resolve("report.html")).contains(summary.get("features_id").asText()),
                "the report shows it");

        r = CliTestSupport.run("eval", "--run", run.toString(), "--n", "200");
        assertEquals(0, r.code(), r.err());
        JsonNode e = json(run.resolve("eval.json"));
        assertEquals(summary.get("features_id").asText(), e.get("features_id").asText());
        assertEquals(200, e.get("metrics").get("image_samples").get("value").asInt());
        assertTrue(e.get("metrics").has("fid_floor") && e.get("metrics").has("kid"), e.toString());
        assertTrue(r.out().contains("(floor: train vs test"), r.out());

        r = CliTestSupport.run("eval", "--run", run.toString(), "--n", "200", "--features", "none", "--metrics", "w1");
        assertEquals(0, r.code(), r.err());
        assertTrue(json(run.resolve("eval.json")).get("metrics").has("w1"), "features none: the point metrics on pixels");
    }

    /**
     * Stacked MNIST image files have no shipped reference statistics (its features are the MNIST classifier's on each
     * channel), so FID without --real is refused, naming --metrics modes; the modes alone need none. Blank images
     * (every pixel −1) are one triple whatever the classifier calls a blank digit: 1 mode of 1,000, KL ln 1000.
     */
    @Test
    void stackedMnistModesOfImageFilesNeedNoReferenceStatistics() throws Exception {
        Path blank = dir.resolve("blank3.npy");
        Npy.writeBytes(blank, new byte[20 * 3 * 28 * 28], 20, 3, 28, 28);
        CliTestSupport.Result r = CliTestSupport.run("eval", "--fake", blank.toString(), "--data", "stacked-mnist");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("or --metrics modes"), r.err());
        Path json = dir.resolve("modes.json");
        r = CliTestSupport.run("eval", "--fake", blank.toString(), "--data", "stacked-mnist", "--metrics", "modes",
                "--out", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode m = new ObjectMapper().readTree(json.toFile()).get("metrics");
        assertEquals(1, m.get("modes_covered").get("value").asInt());
        assertEquals(Math.log(1000), m.get("reverse_kl_modes").get("value").asDouble(), 1e-9);
    }

    @Test
    void classifierShowPrintsTheMetadataAndTrainRefusesUnknownData() {
        CliTestSupport.Result r = CliTestSupport.run("classifier", "show", classifier.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("weights_sha256 = ") && r.out().contains("format = ganflow-classifier/1"), r.out());
        r = CliTestSupport.run("classifier", "train", "--data", "cifar10");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--data cifar10 is not allowed; allowed: fashion-mnist, mnist"), r.err());
    }
}
