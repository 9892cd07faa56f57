package io.ganflow.data.image;

import io.ganflow.BadInputException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A folder of PNG and JPEG files as people keep them. With subfolders, each subfolder (searched
 * recursively) is a class, labelled 0, 1, ... in the order of the subfolders' names, as torchvision's
 * ImageFolder does; with files directly in the folder, the images have no labels. Files and folders whose
 * names start with '.' are ignored; any other file that is not a .png, .jpg or .jpeg, an image that cannot
 * be decoded, a file next to class folders or an empty class folder is an error naming it. Nothing is
 * skipped.
 *
 * <p>Each image is converted to grey (ITU-R 601 luma, 0.299 R + 0.587 G + 0.114 B, the conversion PIL's
 * {@code convert("L")} makes) or RGB (grey images repeated in 3 channels; alpha is dropped), resized so that
 * its shorter side is {@code size} (an antialiasing triangle filter), centre-cropped to size x size and
 * rounded to 8 bits. The result is cached (see {@link ImageCache}) under a name made from the folder's
 * absolute path, the size and the channels, and read from there while the folder's listing is unchanged.
 */
public final class ImageFolder {
    private ImageFolder() {}

    /** What was read: the images, the class names (empty without classes), the image files, and where from. */
    public record Loaded(ImageSet images, List<String> classNames, List<Path> files, boolean fromCache,
            Optional<Path> cacheFile) {}

    private record Listing(List<Path> files, int[] labels, List<String> classNames, byte[] sha256) {}

    /**
     * Reads a folder.
     *
     * @param size the side of the square images
     * @param channels 1 (grey) or 3 (RGB)
     * @param cacheDir where the cache lives; empty: no cache
     */
    public static Loaded load(Path folder, int size, int channels, Optional<Path> cacheDir) {
        if (channels != 1 && channels != 3) {
            throw new BadInputException("data.channels=" + channels + " is not allowed; allowed: 1, 3");
        }
        Listing listing = list(folder, size, channels);
        Optional<Path> cacheFile = cacheDir.map(d -> d.resolve(cacheName(folder, size, channels)));
        if (cacheFile.isPresent()) {
            Optional<ImageCache.Entry> hit = ImageCache.read(cacheFile.get(), listing.sha256);
            if (hit.isPresent() && hit.get().images().count() == listing.files.size()) {
                return new Loaded(hit.get().images(), hit.get().classNames(), listing.files, true, cacheFile);
            }
        }
        ImageSet images = decodeAll(listing, size, channels);
        if (cacheFile.isPresent()) {
            try {
                ImageCache.write(cacheFile.get(), listing.sha256, images, listing.classNames);
            } catch (IOException | UncheckedIOException e) {
                System.err.println("ganflow: warning: cannot write the image cache " + cacheFile.get() + " (" + e
                        + "); " + folder + " will be decoded again next time");
                cacheFile = Optional.empty();
            }
        }
        return new Loaded(images, listing.classNames, listing.files, false, cacheFile);
    }

    /** The cache file's name: the folder's name, a hash of its absolute path, the size and the channels. */
    static String cacheName(Path folder, int size, int channels) {
        Path abs = folder.toAbsolutePath().normalize();
        String base = abs.getFileName() == null ? "root" : abs.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        byte[] h = ImageCache.sha256().digest(abs.toString().getBytes(StandardCharsets.UTF_8));
        return base + "-" + HexFormat.of().formatHex(h, 0, 8) + "-" + size + "px-" + channels + "ch.gfimg";
    }

    // ---- listing ----------------------------------------------------------------------------------------

    private static Listing list(Path folder, int size, int channels) {
        if (!Files.exists(folder)) {
            throw new BadInputException("data.path=" + folder + ": folder not found");
        }
        if (!Files.isDirectory(folder)) {
            throw new BadInputException("data.path=" + folder + ": is a file; data.name=images takes a folder of PNG or JPEG"
                    + " files (or of class subfolders holding them)");
        }
        List<Path> top = entries(folder);
        List<Path> dirs = top.stream().filter(Files::isDirectory).toList();
        List<Path> loose = top.stream().filter(p -> !Files.isDirectory(p)).toList();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> classNames = new ArrayList<>();
        if (!dirs.isEmpty()) {
            if (!loose.isEmpty()) {
                throw new BadInputException(loose.get(0) + ": a file directly in " + folder + ", which also has class"
                        + " subfolders (" + dirs.size() + "); move it into a class folder, or out of " + folder);
            }
            for (Path d : dirs) {
                List<Path> inClass = walk(d);
                if (inClass.isEmpty()) {
                    throw new BadInputException(d + ": class folder holds no .png, .jpg or .jpeg files");
                }
                for (Path f : inClass) {
                    files.add(f);
                    labels.add(classNames.size());
                }
                classNames.add(d.getFileName().toString());
            }
        } else {
            for (Path f : loose) {
                requireImageName(f);
                files.add(f);
            }
            if (files.isEmpty()) {
                throw new BadInputException("data.path=" + folder + ": holds no .png, .jpg or .jpeg files (and no class"
                        + " subfolders)");
            }
        }
        MessageDigest md = ImageCache.sha256();
        md.update(("ganflow image folder, size " + size + ", channels " + channels + "\n").getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            try {
                md.update((folder.relativize(f) + "\t" + (dirs.isEmpty() ? -1 : labels.get(i)) + "\t" + Files.size(f) + "\t"
                        + Files.getLastModifiedTime(f).toMillis() + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new BadInputException(f + ": cannot read: " + e.getMessage());
            }
        }
        int[] lab = dirs.isEmpty() ? null : labels.stream().mapToInt(Integer::intValue).toArray();
        return new Listing(List.copyOf(files), lab, List.copyOf(classNames), md.digest());
    }

    /** The non-hidden entries of a folder, sorted by name. */
    private static List<Path> entries(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new BadInputException(dir + ": cannot list the folder: " + e.getMessage());
        }
    }

    /** The image files under a class folder, recursively, sorted by path; hidden entries ignored. */
    private static List<Path> walk(Path dir) {
        List<Path> out = new ArrayList<>();
        for (Path p : entries(dir)) {
            if (Files.isDirectory(p)) {
                out.addAll(walk(p));
            } else {
                requireImageName(p);
                out.add(p);
            }
        }
        return out;
    }

    private static void requireImageName(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!Files.isRegularFile(f)) {
            throw new BadInputException(f + ": not a regular file; image folders hold only .png, .jpg and .jpeg files");
        }
        if (!(n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"))) {
            throw new BadInputException(f + ": not a .png, .jpg or .jpeg file; image folders hold only those (names"
                    + " starting with '.' are ignored)");
        }
    }

    // ---- decoding ---------------------------------------------------------------------------------------

    private static ImageSet decodeAll(Listing listing, int size, int channels) {
        int n = listing.files.size();
        int d = channels * size * size;
        byte[] px = new byte[n * d];
        for (int i = 0; i < n; i++) {
            float[][] planes = square(decode(listing.files.get(i), channels), size);
            for (int c = 0; c < channels; c++) {
                float[] p = planes[c];
                int off = i * d + c * size * size;
                for (int j = 0; j < p.length; j++) {
                    px[off + j] = (byte) Math.max(0, Math.min(255, Math.round(p[j])));
                }
            }
        }
        return new ImageSet(n, channels, size, size, px, Optional.ofNullable(listing.labels));
    }

    /** An image's planes in 0..255 before resizing. */
    record Planes(float[][] values, int width, int height) {}

    static Planes decode(Path f, int channels) {
        BufferedImage img;
        try {
            img = ImageIO.read(f.toFile());
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new BadInputException(f + ": cannot decode the image: " + why);
        }
        if (img == null) {
            throw new BadInputException(f + ": cannot decode the image: it is not a PNG or JPEG file that Java's ImageIO"
                    + " reads");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        ColorModel cm = img.getColorModel();
        boolean grey = !(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        float[][] out = new float[channels][w * h];
        if (grey) {
            // the raster's own values: getRGB would convert linear grey to sRGB and brighten it
            Raster r = img.getRaster();
            double max = (1L << cm.getComponentSize(0)) - 1;
            float[] g = new float[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    g[y * w + x] = (float) (r.getSample(x, y, 0) * 255.0 / max);
                }
            }
            for (int c = 0; c < channels; c++) {
                out[c] = c == 0 ? g : g.clone();
            }
        } else {
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < argb.length; i++) {
                int r = (argb[i] >> 16) & 0xFF;
                int g = (argb[i] >> 8) & 0xFF;
                int b = argb[i] & 0xFF;
                if (channels == 1) {
                    out[0][i] = (float) (0.299 * r + 0.587 * g + 0.114 * b);
                } else {
                    out[0][i] = r;
                    out[1][i] = g;
                    out[2][i] = b;
                }
            }
        }
        return new Planes(out, w, h);
    }

    /** Shorter side resized to size, then the centre size x size (offsets rounded down). */
    static float[][] square(Planes p, int size) {
        int w = p.width();
        int h = p.height();
        int nw;
        int nh;
        if (w <= h) {
            nw = size;
            nh = Math.max(size, (int) Math.round((double) h * size / w));
        } else {
            nh = size;
            nw = Math.max(size, (int) Math.round((double) w * size / h));
        }
        int top = (nh - size) / 2;
        int left = (nw - size) / 2;
        float[][] out = new float[p.values().length][];
        for (int c = 0; c < out.length; c++) {
            float[] r = Resize.plane(p.values()[c], w, h, nw, nh);
            float[] crop = new float[size * size];
            for (int y = 0; y < size; y++) {
                System.arraycopy(r, (top + y) * nw + left, crop, y * size, size);
            }
            out[c] = crop;
        }
        return out;
    }
}
