package io.ganflow.metrics.features;

import io.ganflow.BadInputException;
import io.ganflow.Version;
import io.ganflow.data.image.DataDirs;
import io.ganflow.data.image.ImageDataset;
import io.ganflow.engine.Engine;
import io.ganflow.io.Provenance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The domain classifiers of the image data sets, and the folder that caches them.
 *
 * <p>Fashion-MNIST has its own classifier ({@code fashion-mnist}); MNIST and Stacked MNIST share the digit
 * classifier ({@code mnist}), applied to each channel of a stacked image. A classifier lives in
 * {@code <dir>/<domain>-v1.safetensors}, where dir is {@code eval.classifier_dir} when set, else
 * {@code $GANFLOW_CLASSIFIER_DIR}, else {@code ~/.cache/ganflow/classifiers} ({@code $XDG_CACHE_HOME/ganflow/...}
 * when that is set). The first evaluation that needs a missing classifier trains it, says so on stderr and
 * writes it there; later ones load it. {@code ganflow classifier train} trains one explicitly. The version
 * names the architecture and the training recipe: a change to either gets a new version, so old files are
 * never mistaken for new ones.
 */
public final class Classifiers {
    /** The version in the file names: the architecture of {@link DomainClassifier} and {@link #options}. */
    public static final String VERSION = "v1";
    /** The environment variable that moves the cache folder (below {@code eval.classifier_dir}). */
    public static final String ENV = "GANFLOW_CLASSIFIER_DIR";

    private Classifiers() {}

    /** The classifier domain of a data set: fashion-mnist, mnist (also for stacked-mnist), or none. */
    public static Optional<String> domainOf(String dataName) {
        return switch (dataName) {
            case "fashion-mnist" -> Optional.of("fashion-mnist");
            case "mnist", "stacked-mnist" -> Optional.of("mnist");
            default -> Optional.empty();
        };
    }

    /** The domains there are classifiers for. */
    public static java.util.List<String> domains() {
        return java.util.List.of("fashion-mnist", "mnist");
    }

    /**
     * The training recipe of a domain's classifier: Adam 1e-3 with cosine decay, batch 128, shifts of ±2 px, seed
     * 0; Fashion-MNIST: 20 epochs of its 60,000 images (9,380 steps), no dropout (it underfits with the shifts);
     * MNIST: 40 epochs of the 8,000 digits (2,520 steps) with dropout 0.25 (0.125 on the convolutions).
     */
    public static ClassifierTraining.Options options(String domain) {
        return domain.equals("mnist") ? ClassifierTraining.Options.defaults(40).withDropout(0.25)
                : ClassifierTraining.Options.defaults(20);
    }

    /**
     * The architecture of every domain classifier of this version: {@link DomainClassifier.Architecture#lenet} on
     * 1 × 28 × 28 images, 10 classes, with batch norm after each convolution.
     */
    public static DomainClassifier.Architecture architecture() {
        return DomainClassifier.Architecture.lenet(1, 28, 28, 10).withBatchNorm(true);
    }

    /**
     * The SHA-256 of the classifier files shipped in the core jar ({@code io/ganflow/classifiers/<domain>-v1.safetensors}),
     * trained once with {@link #options} and {@link #architecture} (docs/metrics.md gives their accuracies). Every FID
     * on a data set's default features is computed on these bytes, whoever computes it, on whatever CPU.
     */
    public static final Map<String, String> PINNED = Map.of(
            "fashion-mnist", "ea75dd75b4542189fe7c5b2a22ef141d873635a204228dbae244658ccd4865e9",
            "mnist", "a0daa017beb4645c8f5124f2f1c53cfcf0afd13c12cdd0707e92721413888c86");

    /** The resource of a domain's shipped classifier, or of its reference statistics ({@code -stats}). */
    static String resource(String domain, String suffix) {
        return "/io/ganflow/classifiers/" + domain + "-" + VERSION + suffix + ".safetensors";
    }

    /**
     * The domain's classifier shipped in the jar, its file checked against {@link #PINNED}; empty when this build
     * ships none.
     *
     * @throws IllegalStateException if the shipped bytes do not hash to the pinned value (a broken build)
     */
    public static Optional<ClassifierFile.Loaded> pinned(String domain) {
        return fromResource(resource(domain, ""), file -> {
            String sha = ClassifierFile.fileSha256(file);
            if (!sha.equals(PINNED.get(domain))) {
                throw new IllegalStateException("the shipped " + domain + " classifier hashes to " + sha + ", pinned "
                        + PINNED.get(domain));
            }
            return ClassifierFile.load(file);
        });
    }

    /** The reference statistics shipped with the domain's pinned classifier, on the features {@code featuresId}. */
    public static Optional<io.ganflow.metrics.ReferenceStats> pinnedStats(String domain, String featuresId) {
        return fromResource(resource(domain, "-stats"), file -> io.ganflow.metrics.ReferenceStats.read(file, featuresId));
    }

    private static <T> Optional<T> fromResource(String name, java.util.function.Function<Path, T> read) {
        try (java.io.InputStream in = Classifiers.class.getResourceAsStream(name)) {
            if (in == null) {
                return Optional.empty();
            }
            Path tmp = Files.createTempFile("ganflow-classifier-", ".safetensors");
            try {
                Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return Optional.of(read.apply(tmp));
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped " + name, e);
        }
    }

    /**
     * The classifier an evaluation uses for a domain: the shipped one ({@link #pinned}) unless a cache folder is
     * configured ({@code eval.classifier_dir} or {@code $GANFLOW_CLASSIFIER_DIR}), whose file is loaded or trained
     * there ({@link #loadOrTrain(String, Path, Supplier, Consumer)}).
     */
    public static ClassifierFile.Loaded forEvaluation(String domain, String configuredDir, Supplier<ImageDataset> data,
            Consumer<String> notes) {
        boolean configured = (configuredDir != null && !configuredDir.isBlank())
                || (System.getenv(ENV) != null && !System.getenv(ENV).isBlank());
        if (!configured) {
            Optional<ClassifierFile.Loaded> p = pinned(domain);
            if (p.isPresent()) {
                return p.get();
            }
        }
        return loadOrTrain(domain, directory(configuredDir), data, notes);
    }

    /** The cache folder: {@code configured} when not blank, else $GANFLOW_CLASSIFIER_DIR, else the user cache. */
    public static Path directory(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return DataDirs.cache().resolve("classifiers");
    }

    /** The file of a domain's classifier in a cache folder. */
    public static Path file(Path dir, String domain) {
        return dir.resolve(domain + "-" + VERSION + ".safetensors");
    }

    /** The extractor name of a domain's classifier, the start of its id. */
    public static String extractorName(String domain) {
        return "classifier-" + domain + "-" + VERSION;
    }

    /**
     * The domain's classifier from the cache folder, trained on {@code data} and written there first when the
     * file is missing or damaged (saying so through {@code notes}, which the command line prints on stderr).
     */
    public static ClassifierFile.Loaded loadOrTrain(String domain, Path dir, Supplier<ImageDataset> data,
            Consumer<String> notes) {
        return loadOrTrain(domain, dir, data, architecture(), options(domain), notes);
    }

    /** {@link #loadOrTrain(String, Path, Supplier, Consumer)} with a given architecture and recipe (for tests). */
    public static ClassifierFile.Loaded loadOrTrain(String domain, Path dir, Supplier<ImageDataset> data,
            DomainClassifier.Architecture arch, ClassifierTraining.Options o, Consumer<String> notes) {
        Path f = file(dir, domain);
        if (Files.isRegularFile(f)) {
            try {
                return ClassifierFile.load(f);
            } catch (BadInputException e) {
                notes.accept("the cached classifier cannot be used (" + e.getMessage() + "); training it again");
            }
        }
        notes.accept("no " + domain + " classifier in " + dir + "; training it once (" + o.epochs() + " epochs, "
                + (domain.equals("mnist") ? "about 5 minutes" : "about 20 minutes") + " of one core), then caching it as "
                + f.getFileName() + " (ganflow classifier train does the same explicitly)");
        ImageDataset d = data.get();
        ClassifierTraining.Trained t = ClassifierTraining.train(arch, d, o, line -> {});
        try {
            String sha = save(t, domain, d, o, f);
            notes.accept(String.format(Locale.ROOT, "wrote %s: test accuracy %.4f on %d images, %.0f s; sha256 %s", f,
                    t.report().testAccuracy(), t.report().testImages(), t.report().seconds(), sha));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the classifier " + f, e);
        }
        return ClassifierFile.load(f);
    }

    /** A training recipe in words, as a classifier file's metadata records it. */
    public static String recipe(ClassifierTraining.Options o) {
        return String.format(Locale.ROOT, "Adam lr %s (0.9, 0.999), cosine decay to 0, batch %d, %d epochs,"
                + " random shifts of +-%d px (black fill), dropout %s (fc1) and %s (conv2), seed %d", o.lr(), o.batch(),
                o.epochs(), o.shift(), o.dropout(), o.dropout() / 2, o.seed());
    }

    /**
     * Writes a trained classifier with the provenance in its metadata: the domain, the data set and the SHA-256
     * of its files, the recipe, the accuracy and times, ganflow's version and commit, the thread count.
     *
     * @return the SHA-256 of the file
     */
    public static String save(ClassifierTraining.Trained t, String domain, ImageDataset data,
            ClassifierTraining.Options o, Path file) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("domain", domain);
        m.put("version", VERSION);
        m.put("data", data.name());
        m.put("class_names", String.join("|", data.classNames()));
        StringBuilder files = new StringBuilder();
        Provenance.dataFiles(data.files()).forEach((k, v) -> files.append(files.length() == 0 ? "" : "; ")
                .append(k).append(' ').append(v));
        m.put("data_files_sha256", files.toString());
        m.put("train_images", Integer.toString(t.report().trainImages()));
        m.put("test_images", Integer.toString(t.report().testImages()));
        m.put("test_accuracy", String.format(Locale.ROOT, "%.6f", t.report().testAccuracy()));
        m.put("train_accuracy_augmented", String.format(Locale.ROOT, "%.6f", t.report().trainAccuracy()));
        m.put("recipe", recipe(o));
        m.put("epochs", Integer.toString(o.epochs()));
        m.put("seed", Long.toString(o.seed()));
        m.put("steps", Long.toString(t.report().steps()));
        m.put("train_seconds", String.format(Locale.ROOT, "%.1f", t.report().seconds()));
        m.put("train_cpu_seconds", String.format(Locale.ROOT, "%.1f", t.report().cpuSeconds()));
        m.put("threads", Integer.toString(Engine.threads()));
        m.put("ganflow.version", Version.ganflow());
        m.put("ganflow.commit", Provenance.gitCommit());
        return ClassifierFile.save(t.classifier(), file, m);
    }
}
