package io.ganflow.data.image;

import io.ganflow.BadInputException;
import io.ganflow.data.idx.IdxArray;
import io.ganflow.data.idx.IdxBytes;
import io.ganflow.data.idx.IdxReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Images and labels from IDX files: one images file (3-D, N x H x W grey, or 4-D, N x C x H x W, unsigned
 * bytes) with an optional labels file (N integer class indices), or a directory holding the four files of the
 * MNIST layout (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
 * t10k-labels-idx1-ubyte, each plain or .gz, a '.' instead of the '-' before idx also accepted).
 */
public final class IdxImages {
    private IdxImages() {}

    /** The ten Fashion-MNIST classes, in label order. */
    public static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The ten digits. */
    public static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    /** The files of the MNIST directory layout, in the order train images, train labels, test images, test labels. */
    public static final List<String> LAYOUT = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /** Reads an images file and, if given, its labels file; every error names the file. */
    public static ImageSet read(Path images, Optional<Path> labels) {
        IdxBytes img = IdxReader.readUnsignedBytes(images);
        int[] d = img.dims();
        int c;
        int h;
        int w;
        if (d.length == 3) {
            c = 1;
            h = d[1];
            w = d[2];
        } else if (d.length == 4) {
            c = d[1];
            h = d[2];
            w = d[3];
            if (c < 1 || c > 4) {
                throw new BadInputException(images + ": a 4-D IDX file is read as N x C x H x W with C from 1 to 4; this"
                        + " one is " + dims(d) + (d[3] >= 1 && d[3] <= 4 ? " (channels last? store it channels first)" : ""));
            }
        } else {
            throw new BadInputException(images + ": holds a " + d.length + "-D array " + dims(d) + "; images are 3-D"
                    + " (N x H x W) or 4-D (N x C x H x W)");
        }
        if (img.count() < 1 || h < 1 || w < 1) {
            throw new BadInputException(images + ": holds no images (" + dims(d) + ")");
        }
        Optional<int[]> lab = labels.map(p -> readLabels(p, images, img.count()));
        return new ImageSet(img.count(), c, h, w, img.data(), lab);
    }

    private static int[] readLabels(Path file, Path images, int n) {
        IdxArray a = IdxReader.read(file);
        if (a.itemSize() != 1) {
            throw new BadInputException(file + ": labels must be one number per image, but the file is " + dims(a.dims()));
        }
        if (a.count() != n) {
            throw new BadInputException(file + ": holds " + a.count() + " labels, but " + images + " holds " + n + " images");
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            float v = a.data()[i];
            if (v < 0 || v != Math.rint(v) || v > 1_000_000) {
                throw new BadInputException(file + ": label " + (i + 1) + " is " + v
                        + "; labels are class indices, whole numbers from 0 to 1000000");
            }
            out[i] = (int) v;
        }
        return out;
    }

    /**
     * The data set of a directory in the MNIST layout: the official training and test splits, labels kept.
     *
     * @param what how the directory was chosen, for messages (e.g. {@code data.name=fashion-mnist})
     * @param install what to do when it is missing (e.g. {@code install it with: sudo apt-get install ...})
     */
    public static ImageDataset directory(String name, Path dir, List<String> classNames, String what, String install) {
        if (!Files.exists(dir)) {
            throw new BadInputException(what + ": " + dir + " not found; " + install);
        }
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(what + ": " + dir + " is a file; expected a directory with " + String.join(", ", LAYOUT)
                    + " (each plain or .gz)");
        }
        List<Path> files = new ArrayList<>();
        for (String f : LAYOUT) {
            files.add(find(dir, f).orElseThrow(() -> new BadInputException(what + ": " + dir.resolve(f)
                    + "[.gz] not found; " + install)));
        }
        ImageSet train = read(files.get(0), Optional.of(files.get(1)));
        ImageSet test = read(files.get(2), Optional.of(files.get(3)));
        if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()) {
            throw new BadInputException(files.get(2) + ": holds " + ImageDataset.shapeText(test) + " images, but "
                    + files.get(0) + " holds " + ImageDataset.shapeText(train) + " images");
        }
        return ImageDataset.of(name, train, test, classNames, files);
    }

    /** The file of the layout under dir: NAME, NAME.gz, or the same with '.' before idx. */
    static Optional<Path> find(Path dir, String name) {
        String dotted = name.replace("-idx", ".idx");
        for (String n : List.of(name, name + ".gz", dotted, dotted + ".gz")) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static String dims(int[] d) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < d.length; i++) {
            b.append(i == 0 ? "" : " x ").append(d[i]);
        }
        return b.toString();
    }
}
