package io.ganflow.cli.report;

import io.ganflow.data.Dataset;
import io.ganflow.data.image.ImageDataset;
import io.ganflow.engine.Ops;
import io.ganflow.nn.Module;
import io.ganflow.train.Method;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.bytedeco.pytorch.Tensor;

/**
 * Image samples as a grid picture: cells of C × H × W 8-bit images in rows and columns, separated and
 * framed by {@link #GUTTER} pixels of {@link #GUTTER_VALUE} (white), each image enlarged by pixel replication
 * ({@link #scale}) so that small images stay readable. One channel gives a grey PNG, three (or four, alpha
 * dropped) an RGB PNG; two channels show the first one in grey.
 */
public final class ImageGrid {
    /** Pixels between cells and around the grid. */
    public static final int GUTTER = 2;
    /** The gutters' value in every channel: white. */
    public static final int GUTTER_VALUE = 255;
    /** Cells are enlarged to at least this many pixels on their longer side (by a whole factor). */
    static final int MIN_CELL = 56;

    private ImageGrid() {}

    /**
     * Images as 8-bit values: {@code n} images of {@code c × h × w}, row-major (image, channel, row, column).
     * Values are unsigned ({@code b & 0xFF}).
     */
    public record Pixels(int n, int c, int h, int w, byte[] data) {
        public Pixels {
            if ((long) n * c * h * w != data.length) {
                throw new IllegalArgumentException(n + " x " + c + " x " + h + " x " + w + " pixels expected, got "
                        + data.length);
            }
        }

        /** The pixel value (0 to 255) of image i, channel ch, row y, column x. */
        public int at(int i, int ch, int y, int x) {
            return data[((i * c + ch) * h + y) * w + x] & 0xFF;
        }

        /** The first k images. */
        public Pixels first(int k) {
            return new Pixels(k, c, h, w, java.util.Arrays.copyOf(data, k * c * h * w));
        }
    }

    /**
     * The image shape {@code [C, H, W]} of a data set's samples: its {@link Dataset#shape()} when that has three
     * dimensions, the image shape of a flattened {@link ImageDataset} ({@code data.flatten=true}); empty for
     * points.
     */
    public static Optional<long[]> imageShape(Dataset data) {
        long[] s = data.shape();
        if (s.length == 3) {
            return Optional.of(s.clone());
        }
        if (data instanceof ImageDataset) {
            return Optional.of(((ImageDataset) data).imageShape().clone());
        }
        return Optional.empty();
    }

    /** A data-space value as a pixel: rounded to the nearest whole number, clamped to 0..255 (NaN gives 0). */
    public static int pixel(double v) {
        if (!(v > 0)) {
            return 0;
        }
        return (int) Math.min(255, Math.round(v));
    }

    /**
     * Data-space samples (n, ...) whose C·H·W values per sample are an image (pixel values, as
     * {@code data.standardizer().toData} gives them) as 8-bit pixels, by {@link #pixel}.
     */
    public static Pixels pixels(Tensor dataSpace, long[] chw) {
        float[] v = Ops.toFloats(dataSpace);
        int c = (int) chw[0];
        int h = (int) chw[1];
        int w = (int) chw[2];
        int per = c * h * w;
        if (per == 0 || v.length % per != 0) {
            throw new IllegalArgumentException("samples of " + v.length + " values are not images of " + c + " x " + h
                    + " x " + w);
        }
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) pixel(v[i]);
        }
        return new Pixels(v.length / per, c, h, w, b);
    }

    /** The enlargement of an h × w image: the whole factor that brings its longer side to at least 56 pixels. */
    public static int scale(int h, int w) {
        int side = Math.max(h, w);
        return Math.max(1, (MIN_CELL + side - 1) / side);
    }

    /** Columns of the square-ish layout of n images: ⌈√n⌉ (8 for 64, 16 for 256). */
    public static int columns(int n) {
        int c = (int) Math.ceil(Math.sqrt(n));
        while (c * c < n) {
            c++;
        }
        while (c > 1 && (c - 1) * (c - 1) >= n) {
            c--;
        }
        return Math.max(1, c);
    }

    /** Whether {@link #render} makes an RGB picture (three or four channels) rather than a grey one. */
    public static boolean isColour(int channels) {
        return channels >= 3;
    }

    /** Width of a grid of {@code cols} cells of images {@code w} wide at {@code scale}. */
    public static int width(int cols, int w, int scale) {
        return cols * w * scale + (cols + 1) * GUTTER;
    }

    /** The x coordinate in the picture of column {@code col}'s first pixel. */
    public static int cellX(int col, int w, int scale) {
        return GUTTER + col * (w * scale + GUTTER);
    }

    /**
     * The images in a grid of {@code cols} columns, filled row by row; cells after the last image are left in the
     * gutter colour.
     */
    public static BufferedImage render(Pixels p, int cols) {
        int rows = (p.n() + cols - 1) / cols;
        int s = scale(p.h(), p.w());
        int width = width(cols, p.w(), s);
        int height = width(Math.max(rows, 1), p.h(), s);
        boolean rgb = isColour(p.c());
        BufferedImage img = new BufferedImage(width, height, rgb ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        int[] fill = new int[width * height];
        int gutter = rgb ? (GUTTER_VALUE << 16 | GUTTER_VALUE << 8 | GUTTER_VALUE) : GUTTER_VALUE;
        java.util.Arrays.fill(fill, gutter);
        for (int i = 0; i < p.n(); i++) {
            int x0 = cellX(i % cols, p.w(), s);
            int y0 = cellX(i / cols, p.h(), s);
            for (int y = 0; y < p.h() * s; y++) {
                for (int x = 0; x < p.w() * s; x++) {
                    int yy = y / s;
                    int xx = x / s;
                    int v;
                    if (rgb) {
                        v = p.at(i, 0, yy, xx) << 16 | p.at(i, 1, yy, xx) << 8 | p.at(i, 2, yy, xx);
                    } else {
                        v = p.at(i, 0, yy, xx);
                    }
                    fill[(y0 + y) * width + x0 + x] = v;
                }
            }
        }
        if (rgb) {
            img.setRGB(0, 0, width, height, fill, 0, width);
        } else {
            // a grey raster takes the values as they are (setRGB would pass them through a colour conversion)
            img.getRaster().setPixels(0, 0, width, height, fill);
        }
        return img;
    }

    /**
     * A grid with a band above it holding a label centred over each column (the flow's time steps in
     * trajectory.png). The band is white with black text; the grid below is unchanged.
     */
    public static BufferedImage withColumnLabels(BufferedImage grid, Pixels p, int cols, List<String> labels) {
        int s = scale(p.h(), p.w());
        int band = 20;
        BufferedImage out = new BufferedImage(grid.getWidth(), grid.getHeight() + band, grid.getType());
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), band);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.BLACK);
            FontMetrics fm = g.getFontMetrics();
            for (int col = 0; col < Math.min(cols, labels.size()); col++) {
                String t = labels.get(col);
                int cx = cellX(col, p.w(), s) + p.w() * s / 2;
                g.drawString(t, cx - fm.stringWidth(t) / 2, band - 5);
            }
        } finally {
            g.dispose();
        }
        // copied as raw values: drawing a grey image through Graphics2D may pass it through a colour conversion
        out.getRaster().setRect(0, band, grid.getRaster());
        return out;
    }

    /** A picture as PNG bytes. */
    public static byte[] png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The images in the square-ish grid of {@link #columns}, as PNG bytes. */
    public static byte[] png(Pixels p) {
        return png(render(p, columns(p.n())));
    }

    /**
     * Runs {@code body} with every network of the method in evaluation mode (batch norm on its running
     * statistics, so each sample depends on its own latent only), then restores each network's mode.
     */
    public static <R> R inEvalMode(Method method, Supplier<R> body) {
        Map<Module, Boolean> was = new IdentityHashMap<>();
        List<Module> nets = new ArrayList<>(method.networks().values());
        method.trainable("generator").ifPresent(nets::add);
        for (Module m : nets) {
            was.putIfAbsent(m, m.isTraining());
        }
        try {
            was.keySet().forEach(m -> m.train(false));
            return body.get();
        } finally {
            was.forEach(Module::train);
        }
    }
}
