package io.ganflow.cli;

import io.ganflow.cli.process.ExitCodes;
import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.config.EvalSetup;
import io.ganflow.data.image.ImageDataset;
import io.ganflow.engine.Engine;
import io.ganflow.metrics.features.ClassifierFile;
import io.ganflow.metrics.features.ClassifierTraining;
import io.ganflow.metrics.features.Classifiers;
import io.ganflow.metrics.features.DomainClassifier;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ganflow classifier}: the domain classifiers whose features the image metrics use. */
@Command(name = "classifier", mixinStandardHelpOptions = true,
        description = {"Train or inspect the domain classifiers of the image metrics (docs/metrics.md).",
            "Evaluation uses the classifiers shipped in the jar (pinned by SHA-256); with eval.classifier_dir or",
            "$GANFLOW_CLASSIFIER_DIR set it uses (and trains once, when missing) those of that folder."},
        subcommands = {ClassifierCommand.Train.class, ClassifierCommand.Show.class, ClassifierCommand.Stats.class})
final class ClassifierCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The data set of a classifier domain (--data, --data-path), or a bad-input error naming the domains. */
    static ImageDataset domainData(String data, String dataPath) {
        if (!Classifiers.domains().contains(data)) {
            throw new BadInputException("--data " + data + " is not allowed; allowed: "
                    + String.join(", ", Classifiers.domains()) + " (stacked-mnist uses the mnist classifier)");
        }
        Config c = Config.builder().set("data.name", data, "--data")
                .set("data.path", dataPath == null ? "" : dataPath, "--data-path").build();
        return EvalSetup.classifierData(c, data);
    }

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Train the LeNet-style classifier of a data set (seeded, shifts of +-2 px, Adam), report its",
                "test accuracy and time, and write it (safetensors) to the cache folder or --out."})
    static final class Train implements Callable<Integer> {
        @Option(names = "--data", required = true, paramLabel = "NAME", description = "fashion-mnist or mnist")
        String data;

        @Option(names = "--data-path", paramLabel = "DIR", description = "the data set's IDX directory (data.path;"
                + " default: its usual place)")
        String dataPath;

        @Option(names = "--out", paramLabel = "FILE", description = "where to write it (default: the cache folder,"
                + " <eval.classifier_dir or $GANFLOW_CLASSIFIER_DIR or ~/.cache/ganflow/classifiers>/<data>-v1.safetensors)")
        Path out;

        @Option(names = "--epochs", paramLabel = "N", description = "passes over the training split (default: fashion-mnist"
                + " 20, mnist 40)")
        Integer epochs;

        @Option(names = "--seed", defaultValue = "0", description = "seed of the weights, order and shifts (default 0)")
        long seed;

        @Option(names = "--threads", defaultValue = "1", description = "compute threads (default 1)")
        int threads;

        @Option(names = "--dropout", paramLabel = "P", description = "dropout on the penultimate layer, P/2 on the"
                + " convolutions (default: fashion-mnist 0, mnist 0.25)")
        Double dropout;

        @Option(names = "--batch-norm", arity = "1", paramLabel = "BOOL", description = "batch normalisation after each convolution"
                + " (default: the recipe's)")
        Boolean batchNorm;

        @Override
        public Integer call() throws Exception {
            if (threads < 1 || (epochs != null && epochs < 1)) {
                throw new BadInputException("--threads and --epochs must be >= 1");
            }
            ImageDataset d = domainData(data, dataPath);
            Engine.setThreads(threads);
            ClassifierTraining.Options defaults = Classifiers.options(data);
            ClassifierTraining.Options o = defaults.withEpochs(epochs != null ? epochs : defaults.epochs()).withSeed(seed)
                    .withDropout(dropout != null ? dropout : defaults.dropout());
            Path file = out != null ? out : Classifiers.file(Classifiers.directory(""), data);
            System.out.printf(Locale.ROOT, "training the %s classifier on %d images (%s), %d epochs, batch %d, %d thread(s)%n",
                    data, d.size(ImageDataset.Split.TRAIN), d.name(), o.epochs(), o.batch(), threads);
            DomainClassifier.Architecture arch = batchNorm == null ? Classifiers.architecture()
                    : Classifiers.architecture().withBatchNorm(batchNorm);
            ClassifierTraining.Trained t = ClassifierTraining.train(arch, d, o, line -> System.out.println("  " + line));
            String sha = Classifiers.save(t, data, d, o, file);
            ClassifierTraining.Report r = t.report();
            System.out.printf(Locale.ROOT, "test accuracy %.4f (%d of %d test images), %d steps in %.1f s wall, %.1f s CPU"
                    + " (%d thread(s))%n", r.testAccuracy(), Math.round(r.testAccuracy() * r.testImages()), r.testImages(),
                    r.steps(), r.seconds(), r.cpuSeconds(), threads);
            System.out.println("wrote " + file);
            System.out.println("  file sha256    " + sha);
            System.out.println("  weights sha256 " + t.classifier().weightsSha256() + "  (the features id: "
                    + Classifiers.extractorName(data) + ":sha256:" + t.classifier().weightsSha256().substring(0, 12) + "...)");
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print a classifier file's metadata (architecture, data, recipe, accuracy, hashes).")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "a classifier file, or a data set name for its cached file (the"
                + " shipped one when none is cached)")
        String file;

        @Override
        public Integer call() {
            boolean domain = Classifiers.domains().contains(file);
            Path p = domain ? Classifiers.file(Classifiers.directory(""), file) : Path.of(file);
            ClassifierFile.Loaded l;
            if (domain && !java.nio.file.Files.isRegularFile(p) && Classifiers.pinned(file).isPresent()) {
                l = Classifiers.pinned(file).get();
                System.out.println("the " + file + " classifier shipped in ganflow's jar (pinned)");
            } else {
                l = ClassifierFile.load(p);
                System.out.println(p);
            }
            System.out.println("  file_sha256 = " + l.fileSha256());
            for (Map.Entry<String, String> e : l.metadata().entrySet()) {
                System.out.println("  " + e.getKey() + " = " + e.getValue());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Compute a data set's reference statistics on a classifier: the Gaussian fits (float64) of the",
                "features of its test and training splits and its train-vs-test FID floors, so that FID needs no real",
                "images (ganflow eval --data NAME --fake FILE). ganflow ships them for its pinned classifiers."})
    static final class Stats implements Callable<Integer> {
        @Option(names = "--data", required = true, paramLabel = "NAME", description = "fashion-mnist or mnist")
        String data;

        @Option(names = "--data-path", paramLabel = "DIR", description = "the data set's IDX directory (default: its"
                + " usual place)")
        String dataPath;

        @Option(names = "--classifier", paramLabel = "FILE", description = "the classifier (default: the shipped one)")
        Path classifier;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "where to write the statistics")
        Path out;

        @Override
        public Integer call() throws Exception {
            ImageDataset d = domainData(data, dataPath);
            ClassifierFile.Loaded l = classifier != null ? ClassifierFile.load(classifier) : Classifiers.pinned(data)
                    .orElseThrow(() -> new BadInputException("this build ships no " + data + " classifier; give"
                            + " --classifier FILE"));
            io.ganflow.metrics.features.FeatureExtractor fx = l.classifier().extractor(Classifiers.extractorName(data));
            io.ganflow.metrics.ImageEvaluation ie = new io.ganflow.metrics.ImageEvaluation(d, () -> fx,
                    java.util.Optional.empty(), 10_000, 10_000, 0);
            io.ganflow.engine.Rng all = new io.ganflow.engine.Rng(0);
            int n = d.size(ImageDataset.Split.TRAIN);
            org.bytedeco.pytorch.Tensor train = d.images(ImageDataset.Split.TRAIN, all.permutation(n));
            io.ganflow.metrics.ReferenceStats st = io.ganflow.metrics.ReferenceStats.compute(ie, data, train);
            st.write(out);
            System.out.printf(Locale.ROOT, "wrote %s: %s on %d test and %d training images; floors %s%n", out, fx.id(),
                    st.test().n(), st.train().n(), st.floors());
            return ExitCodes.OK;
        }
    }
}
