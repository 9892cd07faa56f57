package io.ganflow.metrics.features;

import io.ganflow.data.image.ImageDataset;
import io.ganflow.data.image.ImageSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Ten classes of tiny grey images for the image-metric tests, and a classifier trained on them in about a
 * second: 8 × 8 images, black (pixel 0) with noise up to 40, class k a bright 2 × 2 block (pixel 200 to 255) at
 * cell k of a 4 × 4 grid of 2 × 2 cells (row-major; cells 10 to 15 unused). A shift-free classifier with widths
 * 4, 8 and 16 separates them perfectly.
 */
public final class SyntheticClasses {
    public static final int SIZE = 8;
    public static final int CLASSES = 10;

    private SyntheticClasses() {}

    /** perClass images of each of the given classes (in the order class 0, 1, ..., repeated), seeded. */
    public static ImageSet images(int perClass, int[] classes, long seed) {
        Random r = new Random(seed);
        int n = perClass * classes.length;
        byte[] px = new byte[n * SIZE * SIZE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = classes[i % classes.length];
            labels[i] = k;
            for (int p = 0; p < SIZE * SIZE; p++) {
                px[i * SIZE * SIZE + p] = (byte) r.nextInt(41);
            }
            int row = 2 * (k / 4);
            int col = 2 * (k % 4);
            for (int dr = 0; dr < 2; dr++) {
                for (int dc = 0; dc < 2; dc++) {
                    px[i * SIZE * SIZE + (row + dr) * SIZE + col + dc] = (byte) (200 + r.nextInt(56));
                }
            }
        }
        return new ImageSet(n, 1, SIZE, SIZE, px, Optional.of(labels));
    }

    /** All ten classes. */
    public static int[] all() {
        int[] c = new int[CLASSES];
        for (int i = 0; i < CLASSES; i++) {
            c[i] = i;
        }
        return c;
    }

    /** A data set with perClass training and testPerClass test images of each class of {@code testClasses}. */
    public static ImageDataset dataset(String name, int perClass, int testPerClass, int[] testClasses) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < CLASSES; i++) {
            names.add("c" + i);
        }
        return ImageDataset.of(name, images(perClass, all(), 1), images(testPerClass, testClasses, 2), names, List.of());
    }

    /** The tiny architecture: widths 4, 8, 16 on 1 × 8 × 8 images, 10 classes. */
    public static DomainClassifier.Architecture architecture() {
        return new DomainClassifier.Architecture(1, SIZE, SIZE, CLASSES, 4, 8, 16, false);
    }

    /**
     * 10 epochs, batch 32, learning rate 0.01, no shifts, no dropout, seed 0: long enough that its predictions on
     * these easy images are confident (softmax >= 0.9), as the image metrics' class-coverage rule asks.
     */
    public static ClassifierTraining.Options options() {
        return new ClassifierTraining.Options(10, 32, 0.01, 0, 0, 0);
    }

    /** The tiny classifier trained on 60 images per class. */
    public static ClassifierTraining.Trained trained() {
        return ClassifierTraining.train(architecture(), dataset("synthetic10", 60, 20, all()), options(), line -> {});
    }
}
