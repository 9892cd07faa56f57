package io.ganflow.metrics.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.data.image.ImageDataset;
import io.ganflow.data.image.ImageSet;
import io.ganflow.engine.Scope;
import io.ganflow.io.SafeTensor;
import io.ganflow.io.Safetensors;
import io.ganflow.io.SafetensorsFile;
import io.ganflow.metrics.ReferenceStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The classifiers shipped in the jar: their bytes hash to the pinned SHA-256, they are the recipe's (architecture,
 * training options, metadata), and retraining the recipe on a slice of synthetic images writes a file of the same
 * layout (tensor names, dtypes, shapes, metadata keys): a change of the architecture, recipe or file format that
 * would make the shipped file stale fails here. Their reference statistics load for their features.
 */
class PinnedClassifiersTest {
    @TempDir
    Path dir;

    /** Test accuracy each shipped file must state at least (docs/metrics.md gives the measured values). */
    static final Map<String, Double> MIN_ACCURACY = Map.of("fashion-mnist", 0.92, "mnist", 0.98);

    @ParameterizedTest
    @ValueSource(strings = {"fashion-mnist", "mnist"})
    void theShippedClassifierIsTheRecipes(String domain) throws Exception {
        ClassifierFile.Loaded l = Classifiers.pinned(domain).orElseThrow();
        assertEquals(Classifiers.PINNED.get(domain), l.fileSha256());
        assertEquals(Classifiers.architecture(), l.classifier().architecture());
        Map<String, String> meta = l.metadata();
        assertEquals(domain, meta.get("domain"));
        assertEquals(Classifiers.VERSION, meta.get("version"));
        assertEquals(Classifiers.recipe(Classifiers.options(domain)), meta.get("recipe"));
        assertTrue(Double.parseDouble(meta.get("test_accuracy")) >= MIN_ACCURACY.get(domain), meta.toString());

        // the recipe on a slice: one epoch on 200 synthetic 28 x 28 images, written as evaluation writes it
        try (Scope s = Scope.open()) {
            ImageDataset slice = synthetic(domain);
            ClassifierTraining.Options o = Classifiers.options(domain).withEpochs(1);
            ClassifierTraining.Trained t = ClassifierTraining.train(Classifiers.architecture(), slice, o, line -> { });
            Path f = dir.resolve("slice.safetensors");
            Classifiers.save(t, domain, slice, o, f);
            SafetensorsFile want = Safetensors.read(f);
            SafetensorsFile shipped = read(domain);
            assertEquals(shipped.tensors().keySet(), want.tensors().keySet(), "tensor names and order");
            for (Map.Entry<String, SafeTensor> e : shipped.tensors().entrySet()) {
                SafeTensor w = want.tensor(e.getKey());
                assertEquals(e.getValue().dtype(), w.dtype(), e.getKey());
                assertEquals(List.of(box(e.getValue().shape())), List.of(box(w.shape())), e.getKey());
            }
            assertEquals(shipped.metadata().keySet(), want.metadata().keySet(), "metadata keys");
        }

        Optional<ReferenceStats> st = Classifiers.pinnedStats(domain, l.classifier().extractor(
                Classifiers.extractorName(domain)).id());
        ReferenceStats stats = st.orElseThrow();
        assertEquals(Classifiers.architecture().hidden(), stats.test().dim());
        assertTrue(stats.test().n() >= 2000 && stats.train().n() >= 8000, stats.test().n() + " " + stats.train().n());
        assertEquals(ReferenceStats.FLOOR_SIZES, new ArrayList<>(stats.floors().keySet()));
        double f2000 = stats.floor(2000);
        double f10000 = stats.floor(10_000);
        assertTrue(f2000 > f10000 && f10000 > 0, "the floor falls with the sample count: " + stats.floors());
        double mid = stats.floor(3000);
        assertTrue(mid < stats.floor(2048) && mid > stats.floor(5000), "interpolated between its neighbours");
    }

    private static Long[] box(long[] a) {
        Long[] b = new Long[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }

    private SafetensorsFile read(String domain) throws Exception {
        Path f = dir.resolve(domain + ".safetensors");
        try (java.io.InputStream in = Classifiers.class.getResourceAsStream(Classifiers.resource(domain, ""))) {
            java.nio.file.Files.copy(in, f);
        }
        return Safetensors.read(f);
    }

    /** 20 images of each of 10 classes, 1 x 28 x 28: a bright 4 x 4 square whose place is the class. */
    static ImageDataset synthetic(String name) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            names.add("c" + i);
        }
        return ImageDataset.of(name, images(20, 1), images(5, 2), names, List.of());
    }

    private static ImageSet images(int perClass, long seed) {
        Random r = new Random(seed);
        int n = perClass * 10;
        byte[] px = new byte[n * 28 * 28];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = i % 10;
            labels[i] = k;
            for (int p = 0; p < 28 * 28; p++) {
                px[i * 784 + p] = (byte) r.nextInt(40);
            }
            int row = 4 + 8 * (k / 4);
            int col = 4 + 6 * (k % 4);
            for (int dr = 0; dr < 4; dr++) {
                for (int dc = 0; dc < 4; dc++) {
                    px[i * 784 + (row + dr) * 28 + col + dc] = (byte) 230;
                }
            }
        }
        return new ImageSet(n, 1, 28, 28, px, Optional.of(labels));
    }
}
