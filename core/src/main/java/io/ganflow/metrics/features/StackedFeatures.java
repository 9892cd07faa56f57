package io.ganflow.metrics.features;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * A one-channel extractor applied to each channel of K-channel images, as Stacked MNIST needs the digit
 * classifier: the features are the K channels' features side by side (n, K·d); the logits, when the base has
 * logits over L classes, are those of the L^K class tuples, log p(c₀) + log p(c₁) + … (each channel's
 * log-softmax, channels independent), tuple (c₀, …, c_{K−1}) at index c₀·L^{K−1} + … + c_{K−1}. For three
 * digits that is the mode 100·d₀ + 10·d₁ + d₂ of {@link io.ganflow.metrics.StackedModes}, so the argmax of the
 * logits is the triple of per-channel argmaxes, and the Inception-style score and class coverage count modes.
 */
public final class StackedFeatures implements FeatureExtractor {
    private final FeatureExtractor base;
    private final int channels;

    public StackedFeatures(FeatureExtractor base, int channels) {
        if (channels < 1 || channels > 4) {
            throw new IllegalArgumentException("channels must be 1 to 4, got " + channels);
        }
        this.base = base;
        this.channels = channels;
    }

    public FeatureExtractor base() {
        return base;
    }

    @Override
    public String id() {
        return "per-channel" + channels + "(" + base.id() + ")";
    }

    @Override
    public String description() {
        return base.description().equals(base.id()) ? id()
                : "each of " + channels + " channels through " + base.description();
    }

    @Override
    public Tensor features(Tensor images) {
        return extract(images).features();
    }

    @Override
    public Optional<Tensor> logits(Tensor images) {
        return extract(images).logits();
    }

    @Override
    public Extracted extract(Tensor images) {
        if (images.dim() != 4 || images.size(1) != channels) {
            throw new IllegalArgumentException(id() + ": expected images (n, " + channels + ", H, W), got "
                    + java.util.Arrays.toString(Ops.shape(images)));
        }
        List<Tensor> feats = new ArrayList<>();
        List<Tensor> logs = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            Extracted e = base.extract(images.narrow(1, c, 1));
            feats.add(e.features());
            e.logits().ifPresent(logs::add);
        }
        Tensor f = torch.cat(new TensorVector(feats.toArray(new Tensor[0])), 1);
        if (logs.size() != channels) {
            return new Extracted(f, Optional.empty());
        }
        long n = images.size(0);
        Tensor joint = Scope.isolated(() -> {
            Tensor acc = torch.log_softmax(logs.get(0).to(torch.ScalarType.Float), 1);
            for (int c = 1; c < channels; c++) {
                Tensor lp = torch.log_softmax(logs.get(c).to(torch.ScalarType.Float), 1);
                acc = acc.unsqueeze(2).add(lp.unsqueeze(1)).reshape(n, -1);
            }
            return acc.contiguous();
        });
        return new Extracted(f, Optional.of(joint));
    }
}
