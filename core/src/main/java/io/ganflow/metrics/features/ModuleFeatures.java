package io.ganflow.metrics.features;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import io.ganflow.nn.Module;
import io.ganflow.nn.Parameter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.bytedeco.pytorch.Tensor;

/**
 * Features from ganflow code: a function from images to penultimate features and, for a classifier, a head
 * from those features to logits. This is how a domain classifier trained by ganflow (an
 * {@link io.ganflow.nn.Module} split into body and head) becomes a {@link FeatureExtractor}:
 *
 * <pre>{@code
 * FeatureExtractor fx = ModuleFeatures.of("mnist-classifier", body, head);   // logits = head(body(x))
 * FeatureExtractor fx = new ModuleFeatures(id, x -> net.penultimate(x), f -> net.classify(f), 500);
 * }</pre>
 *
 * Splitting at the features means one pass gives both outputs. The functions receive float32 batches
 * (b, C, H, W) in [-1, 1], run with autograd off inside a native scope per batch.
 */
public final class ModuleFeatures extends BatchedFeatures {
    private final String id;
    private final Function<Tensor, Tensor> body;
    private final Optional<Function<Tensor, Tensor>> head;

    /** Features only (no logits). */
    public ModuleFeatures(String id, Function<Tensor, Tensor> features, int batchSize) {
        this(id, features, Optional.empty(), batchSize);
    }

    /**
     * @param id names the network and its weights (see {@link #weightsSha256})
     * @param features images (b, C, H, W) to features (b, ...)
     * @param head features (b, d) to logits (b, K)
     */
    public ModuleFeatures(String id, Function<Tensor, Tensor> features, Function<Tensor, Tensor> head, int batchSize) {
        this(id, features, Optional.of(head), batchSize);
    }

    private ModuleFeatures(String id, Function<Tensor, Tensor> body, Optional<Function<Tensor, Tensor>> head,
            int batchSize) {
        super(batchSize);
        this.id = id;
        this.body = body;
        this.head = head;
    }

    /**
     * A classifier split into a body (images to features, e.g. everything up to the penultimate layer) and a
     * head (features to logits); the id is {@code name:sha256:HEX} over both modules' weights.
     */
    public static ModuleFeatures of(String name, Module body, Module head) {
        return new ModuleFeatures(name + ":sha256:" + weightsSha256(body, head), body::forward, head::forward,
                DEFAULT_BATCH);
    }

    /** A module whose output is the feature vector; the id is {@code name:sha256:HEX} over its weights. */
    public static ModuleFeatures featuresOnly(String name, Module body) {
        return new ModuleFeatures(name + ":sha256:" + weightsSha256(body), body::forward, DEFAULT_BATCH);
    }

    /**
     * SHA-256 (hex) of the modules' parameters and buffers in order: for each, its name (UTF-8), its shape
     * and its values as little-endian float32.
     */
    public static String weightsSha256(Module... modules) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (Scope s = Scope.open()) {
            for (Module m : modules) {
                hash(md, m);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void hash(MessageDigest md, Module m) {
        List<Parameter> all = new ArrayList<>(m.parameters());
        all.addAll(m.buffers());
        for (Parameter p : all) {
            md.update(p.name().getBytes(StandardCharsets.UTF_8));
            long[] shape = Ops.shape(p.value());
            ByteBuffer s = ByteBuffer.allocate(8 * shape.length + 4).order(ByteOrder.LITTLE_ENDIAN);
            s.putInt(shape.length);
            for (long d : shape) {
                s.putLong(d);
            }
            md.update(s.array());
            float[] v = Ops.toFloats(p.value());
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
            md.update(b.array());
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    protected Outputs forwardBatch(Tensor batch) {
        Tensor f = body.apply(batch);
        return new Outputs(f, head.map(h -> h.apply(f.reshape(f.size(0), -1))));
    }
}
