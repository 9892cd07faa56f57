package io.ganflow.config;

import io.ganflow.BadInputException;
import io.ganflow.data.Dataset;
import io.ganflow.data.image.ImageDataset;
import io.ganflow.metrics.ImageEvaluation;
import io.ganflow.metrics.features.ClassifierFile;
import io.ganflow.metrics.features.Classifiers;
import io.ganflow.metrics.features.DomainClassifier;
import io.ganflow.metrics.features.FeatureExtractor;
import io.ganflow.metrics.features.StackedFeatures;
import io.ganflow.metrics.features.TorchScriptFeatures;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The image metrics' side of a config: which feature extractor {@code eval.features} names for a data set, where
 * the domain classifiers are cached ({@code eval.classifier_dir}), and the {@link ImageEvaluation} of a run.
 *
 * <p>{@code eval.features} values: {@code auto} (the default: {@code classifier} for the data sets that have one,
 * fashion-mnist, mnist and stacked-mnist, {@code none} for the others), {@code classifier} (the data set's
 * domain classifier from the cache folder, trained there once when missing), {@code classifier:FILE} (a
 * classifier file written by {@code ganflow classifier train}), {@code torchscript:FILE} (any TorchScript
 * extractor) and {@code none} (no image metrics). A one-channel classifier on images with more channels runs on
 * each channel ({@link StackedFeatures}). On stacked-mnist the modes are always counted with the digit
 * classifier (the MNIST one, or a given one-channel 10-class classifier file, which counts the modes of any
 * three-channel data it is applied to).
 */
public final class EvalSetup {
    /** The key. */
    public static final String KEY = "eval.features";

    private EvalSetup() {}

    /**
     * The extractors for a data set.
     *
     * @param features every metric's extractor (loaded, or trained, when first called)
     * @param digits the digit classifier of the Stacked MNIST modes, when the data set is stacked-mnist
     * @param spec the value of eval.features it came from, with auto resolved
     */
    public record Features(Supplier<FeatureExtractor> features, Optional<Supplier<FeatureExtractor>> digits, String spec) {}

    /**
     * The labelled data set a domain's classifier is trained on: {@code data.name} = the domain and the same
     * {@code data.path} (for stacked-mnist that is the MNIST directory), without data.label, data.pad or
     * data.flatten.
     */
    public static ImageDataset classifierData(Config c, String domain) {
        Config d = Config.builder().set("data.name", domain, "classifier")
                .set("data.path", c.getString("data.path"), "classifier").build();
        Dataset data = Setup.dataset(d);
        if (!(data instanceof ImageDataset img)) {
            throw new IllegalStateException(domain + " is not an image data set");
        }
        return img;
    }

    /** The classifier cache folder of a config: eval.classifier_dir, $GANFLOW_CLASSIFIER_DIR, or the user cache. */
    public static Path classifierDir(Config c) {
        return Classifiers.directory(c.getString("eval.classifier_dir"));
    }

    /**
     * What {@code eval.features} names for images of {@code imageShape} from the data set {@code dataName}, or
     * empty for none. TorchScript and classifier files are loaded now (a bad one fails with one line naming the
     * key and the file); a domain classifier is loaded, or trained, at the first call of the supplier.
     *
     * @param notes receives what a first evaluation does at length (training a missing classifier)
     */
    public static Optional<Features> features(Config c, String dataName, long[] imageShape, Consumer<String> notes) {
        String v = c.getString(KEY).strip();
        boolean stacked = dataName.equals("stacked-mnist");
        Optional<String> domain = Classifiers.domainOf(dataName);
        if (v.equals("none") || (v.equals("auto") && domain.isEmpty())) {
            return Optional.empty();
        }
        if (v.equals("auto") || v.equals("classifier")) {
            if (domain.isEmpty()) {
                throw new BadInputException(KEY + "=classifier: data.name=" + dataName + " has no domain classifier"
                        + " (there are classifiers for fashion-mnist, mnist and stacked-mnist); allowed for it: none,"
                        + " classifier:FILE, torchscript:FILE");
            }
            Supplier<FeatureExtractor> base = domainClassifier(c, domain.get(), imageShape, notes);
            if (stacked) {
                return Optional.of(new Features(() -> new StackedFeatures(base.get(), 3), Optional.of(base), "classifier"));
            }
            return Optional.of(new Features(base, Optional.empty(), "classifier"));
        }
        if (v.startsWith("classifier:") && v.length() > "classifier:".length()) {
            Path file = Path.of(v.substring("classifier:".length()));
            ClassifierFile.Loaded l;
            try {
                l = ClassifierFile.load(file);
            } catch (BadInputException e) {
                throw new BadInputException(KEY + "=" + v + ": " + e.getMessage(), e.getCause());
            }
            DomainClassifier.Architecture a = l.classifier().architecture();
            String name = l.metadata().containsKey("domain") && l.metadata().containsKey("version")
                    ? "classifier-" + l.metadata().get("domain") + "-" + l.metadata().get("version") : "classifier";
            FeatureExtractor fx = l.classifier().extractor(name);
            checkSize(v, a, imageShape);
            if (a.channels() == imageShape[0]) {
                Optional<Supplier<FeatureExtractor>> digits = Optional.empty();
                return Optional.of(new Features(() -> fx, digits, v));
            }
            if (a.channels() == 1) {
                // three channels of digits: the Stacked MNIST modes (stacked-mnist, or any data stacked so)
                Optional<Supplier<FeatureExtractor>> digits = imageShape[0] == 3 && a.classes() == 10
                        ? Optional.of(() -> fx) : Optional.empty();
                int ch = (int) imageShape[0];
                return Optional.of(new Features(() -> new StackedFeatures(fx, ch), digits, v));
            }
            throw new BadInputException(KEY + "=" + v + ": the classifier takes " + a.channels() + "-channel images, the"
                    + " data has " + imageShape[0] + " channels");
        }
        if (v.startsWith(TorchScriptFeatures.SCHEME)) {
            TorchScriptFeatures fx = TorchScriptFeatures.parse(KEY, v);
            Optional<Supplier<FeatureExtractor>> digits = stacked
                    ? Optional.of(domainClassifier(c, "mnist", new long[] {1, imageShape[1], imageShape[2]}, notes))
                    : Optional.empty();
            return Optional.of(new Features(() -> fx, digits, v));
        }
        throw new BadInputException(KEY + "=" + v + " is not allowed; allowed: auto, classifier, classifier:FILE,"
                + " torchscript:FILE, none");
    }

    private static void checkSize(String v, DomainClassifier.Architecture a, long[] shape) {
        if (shape[1] < a.height() || shape[2] < a.width()) {
            throw new BadInputException(KEY + "=" + v + ": the classifier takes " + a.height() + " x " + a.width()
                    + " images (larger ones centre-cropped), the data's are " + shape[1] + " x " + shape[2]);
        }
    }

    /** The domain's classifier as an extractor, loaded or trained at the first call (once). */
    private static Supplier<FeatureExtractor> domainClassifier(Config c, String domain, long[] imageShape,
            Consumer<String> notes) {
        if (imageShape[1] < 28 || imageShape[2] < 28) {
            throw new BadInputException(KEY + "=classifier: the " + domain + " classifier takes 28 x 28 images (larger"
                    + " ones centre-cropped), the data's are " + imageShape[1] + " x " + imageShape[2]);
        }
        String dir = c.getString("eval.classifier_dir");
        return memo(() -> Classifiers.forEvaluation(domain, dir, () -> classifierData(c, domain), notes).classifier()
                .extractor(Classifiers.extractorName(domain)));
    }

    private static <T> Supplier<T> memo(Supplier<T> s) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = s.get();
                }
                return value;
            }
        };
    }

    /**
     * The image evaluation of a run (eval.image_samples, eval.stacked_samples, train.seed), or empty when the
     * data are not images or eval.features is none (or auto without a classifier).
     */
    public static Optional<ImageEvaluation> imageEvaluation(Config c, Dataset data, Consumer<String> notes) {
        return imageEvaluation(c, data, c.getInt("eval.image_samples"), c.getInt("eval.stacked_samples"),
                c.getLong("train.seed"), notes);
    }

    /** {@link #imageEvaluation(Config, Dataset, Consumer)} with given sample counts and seed. */
    public static Optional<ImageEvaluation> imageEvaluation(Config c, Dataset data, int samples, int modeSamples, long seed,
            Consumer<String> notes) {
        if (!isImage(data)) {
            return Optional.empty();
        }
        long[] shape = ImageEvaluation.imageShape(data);
        return features(c, c.getString("data.name"), shape, notes).map(f -> new ImageEvaluation(data, f.features(),
                f.digits(), samples, modeSamples, seed));
    }

    /** True for data whose samples are images: an image data set (flattened or not) or samples of shape [C, H, W]. */
    public static boolean isImage(Dataset data) {
        return data instanceof ImageDataset || data.shape().length == 3;
    }
}
