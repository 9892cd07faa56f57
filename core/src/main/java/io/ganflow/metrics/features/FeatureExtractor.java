package io.ganflow.metrics.features;

import java.util.Optional;
import org.bytedeco.pytorch.Tensor;

/**
 * A fixed network that maps images to feature vectors (and, for a classifier, to class logits), for the
 * metrics of {@link io.ganflow.metrics.ImageMetrics}: FID and KID on features, the Inception-style score and
 * class coverage on logits.
 *
 * <p>Images are float tensors (n, C, H, W) with values in [-1, 1], the range ganflow's image data sets and
 * generators use. Implementations run in batches, each in a native-memory scope of its own, with autograd
 * recording off; results are float32 tensors owned by the caller's scope (or by the garbage collector when
 * there is none).
 */
public interface FeatureExtractor {
    /**
     * Identifies the network and its weights, e.g. the SHA-256 of a TorchScript file: two extractors with the
     * same id give the same features, so feature statistics may be cached under it and protocols name it.
     */
    String id();

    /** A one-line human description for protocols; the id by default. */
    default String description() {
        return id();
    }

    /** Features (n, d) of images (n, C, H, W) in [-1, 1]; outputs with more dimensions are flattened. */
    Tensor features(Tensor images);

    /** Class logits (n, K) of the images, when the network is a classifier; empty otherwise. */
    Optional<Tensor> logits(Tensor images);

    /** Features and logits in one pass over the images (implementations that can share the pass override this). */
    default Extracted extract(Tensor images) {
        return new Extracted(features(images), logits(images));
    }

    /**
     * What one pass over a set of images gives.
     *
     * @param features (n, d), float32
     * @param logits (n, K), float32, when the network has a classification head
     */
    record Extracted(Tensor features, Optional<Tensor> logits) {}
}
