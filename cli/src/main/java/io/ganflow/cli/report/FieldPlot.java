package io.ganflow.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.List;
import java.util.function.Function;
import javax.imageio.ImageIO;

/**
 * A 2-D scatter of real against generated samples, drawn over a scalar field (the critic) shown as filled
 * contour bands with iso-lines. Plain Java2D, so the field and the points share one coordinate frame.
 */
public final class FieldPlot {
    private static final int SIZE = 760;
    private static final int MARGIN_LEFT = 64;
    private static final int MARGIN_TOP = 46;
    private static final int MARGIN_RIGHT = 110;
    private static final int MARGIN_BOTTOM = 52;
    private static final int LEVELS = 14;
    private static final Color REAL = new Color(33, 102, 172, 150);
    private static final Color FAKE = new Color(214, 96, 77, 150);

    private FieldPlot() {}

    /**
     * @param real held-out data, rows of (x, y)
     * @param fake generated samples
     * @param field the critic evaluated on a grid: called with an (n, 2) array of points, returns n values;
     *     null draws no background
     */
    public static void write(Path file, String title, double[][] real, double[][] fake,
            Function<double[][], double[]> field) throws IOException {
        ImageIO.write(render(title, real, fake, field), "png", file.toFile());
    }

    /** The picture of {@link #write} as PNG bytes. */
    public static byte[] png(String title, double[][] real, double[][] fake, Function<double[][], double[]> field) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(render(title, real, fake, field), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static BufferedImage render(String title, double[][] real, double[][] fake,
            Function<double[][], double[]> field) {
        double[] box = bounds(real, fake);
        int plotW = SIZE - MARGIN_LEFT - MARGIN_RIGHT;
        int plotH = SIZE - MARGIN_TOP - MARGIN_BOTTOM;
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);

        double[] range = null;
        if (field != null) {
            range = drawField(g, field, box, plotW, plotH);
        }
        g.setColor(new Color(120, 120, 120));
        g.drawRect(MARGIN_LEFT, MARGIN_TOP, plotW, plotH);
        drawPoints(g, real, REAL, box, plotW, plotH);
        drawPoints(g, fake, FAKE, box, plotW, plotH);
        drawAxes(g, box, plotW, plotH);

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.setColor(Color.BLACK);
        g.drawString(title, MARGIN_LEFT, 28);
        legend(g, plotW, range);
        g.dispose();
        return img;
    }

    /**
     * Flow trajectories: {@code path.get(k)} holds every particle's position at the k-th time, rows of (x, y).
     * Paths in grey, start points black, end points red, held-out data blue underneath.
     */
    public static void trajectories(Path file, String title, List<double[][]> path, double[][] real) throws IOException {
        double[] box = bounds(path.get(0), path.get(path.size() - 1), real);
        int plotW = SIZE - MARGIN_LEFT - MARGIN_RIGHT;
        int plotH = SIZE - MARGIN_TOP - MARGIN_BOTTOM;
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        g.setColor(new Color(120, 120, 120));
        g.drawRect(MARGIN_LEFT, MARGIN_TOP, plotW, plotH);
        drawPoints(g, real, new Color(33, 102, 172, 60), box, plotW, plotH);
        g.setColor(new Color(90, 90, 90, 110));
        g.setStroke(new java.awt.BasicStroke(0.8f));
        int n = path.get(0).length;
        for (int i = 0; i < n; i++) {
            java.awt.geom.Path2D.Double line = new java.awt.geom.Path2D.Double();
            for (int k = 0; k < path.size(); k++) {
                double[] p = path.get(k)[i];
                double x = px(p, box, plotW);
                double y = py(p, box, plotH);
                if (k == 0) {
                    line.moveTo(x, y);
                } else {
                    line.lineTo(x, y);
                }
            }
            g.draw(line);
        }
        drawPoints(g, path.get(0), new Color(0, 0, 0, 200), box, plotW, plotH);
        drawPoints(g, path.get(path.size() - 1), new Color(214, 96, 77, 220), box, plotW, plotH);
        drawAxes(g, box, plotW, plotH);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.setColor(Color.BLACK);
        g.drawString(title, MARGIN_LEFT, 28);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    /** A white, antialiased canvas on the image. */
    private static Graphics2D canvas(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, SIZE, SIZE);
        return g;
    }

    /** Pixel column of a data point in the plot frame {@code box} = (xmin, xmax, ymin, ymax). */
    private static double px(double[] p, double[] box, int w) {
        return MARGIN_LEFT + (p[0] - box[0]) / (box[1] - box[0]) * w;
    }

    /** Pixel row of a data point (y grows upwards in data, downwards on screen). */
    private static double py(double[] p, double[] box, int h) {
        return MARGIN_TOP + (box[3] - p[1]) / (box[3] - box[2]) * h;
    }

    private static double[] bounds(double[][]... sets) {
        double[] box = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        for (double[][] set : sets) {
            for (double[] p : set) {
                if (Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                    box[0] = Math.min(box[0], p[0]);
                    box[1] = Math.max(box[1], p[0]);
                    box[2] = Math.min(box[2], p[1]);
                    box[3] = Math.max(box[3], p[1]);
                }
            }
        }
        if (!Double.isFinite(box[0])) {
            return new double[] {-1, 1, -1, 1};
        }
        // square, padded frame around the real data's extent and the bulk of the samples
        double cx = (box[0] + box[1]) / 2;
        double cy = (box[2] + box[3]) / 2;
        double half = Math.max(box[1] - box[0], box[3] - box[2]) / 2 * 1.15 + 1e-6;
        return new double[] {cx - half, cx + half, cy - half, cy + half};
    }

    private static double[] drawField(Graphics2D g, Function<double[][], double[]> field, double[] box, int w, int h) {
        int res = 160;
        double[][] pts = new double[res * res][2];
        for (int iy = 0; iy < res; iy++) {
            for (int ix = 0; ix < res; ix++) {
                pts[iy * res + ix][0] = box[0] + (ix + 0.5) / res * (box[1] - box[0]);
                pts[iy * res + ix][1] = box[3] - (iy + 0.5) / res * (box[3] - box[2]);
            }
        }
        double[] v = field.apply(pts);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            if (Double.isFinite(x)) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        int[] level = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            double t = Double.isFinite(v[i]) ? (v[i] - lo) / (hi - lo) : 0;
            level[i] = Math.min(LEVELS - 1, (int) (t * LEVELS));
        }
        double cw = (double) w / res;
        double ch = (double) h / res;
        for (int iy = 0; iy < res; iy++) {
            for (int ix = 0; ix < res; ix++) {
                g.setColor(band(level[iy * res + ix]));
                int x0 = MARGIN_LEFT + (int) Math.floor(ix * cw);
                int y0 = MARGIN_TOP + (int) Math.floor(iy * ch);
                int x1 = MARGIN_LEFT + (int) Math.floor((ix + 1) * cw);
                int y1 = MARGIN_TOP + (int) Math.floor((iy + 1) * ch);
                g.fillRect(x0, y0, x1 - x0, y1 - y0);
            }
        }
        g.setColor(new Color(90, 90, 90, 110));
        g.setStroke(new BasicStroke(1f));
        for (int iy = 0; iy < res; iy++) {
            for (int ix = 0; ix < res; ix++) {
                int l = level[iy * res + ix];
                int x = MARGIN_LEFT + (int) Math.floor((ix + 1) * cw);
                int y = MARGIN_TOP + (int) Math.floor((iy + 1) * ch);
                if (ix + 1 < res && level[iy * res + ix + 1] != l) {
                    g.drawLine(x, MARGIN_TOP + (int) Math.floor(iy * ch), x, y);
                }
                if (iy + 1 < res && level[(iy + 1) * res + ix] != l) {
                    g.drawLine(MARGIN_LEFT + (int) Math.floor(ix * cw), y, x, y);
                }
            }
        }
        return new double[] {lo, hi};
    }

    /** A light sequential palette (pale yellow to teal), so the points stay readable on top. */
    private static Color band(int level) {
        double t = (double) level / (LEVELS - 1);
        int r = (int) Math.round(255 * (1 - t) + 120 * t);
        int gr = (int) Math.round(250 * (1 - t) + 190 * t);
        int b = (int) Math.round(205 * (1 - t) + 200 * t);
        return new Color(r, gr, b);
    }

    private static void drawPoints(Graphics2D g, double[][] pts, Color c, double[] box, int w, int h) {
        g.setColor(c);
        for (double[] p : pts) {
            if (!Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
                continue;
            }
            double x = px(p, box, w);
            double y = py(p, box, h);
            if (x >= MARGIN_LEFT && x <= MARGIN_LEFT + w && y >= MARGIN_TOP && y <= MARGIN_TOP + h) {
                g.fill(new Ellipse2D.Double(x - 1.8, y - 1.8, 3.6, 3.6));
            }
        }
    }

    private static void drawAxes(Graphics2D g, double[] box, int w, int h) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.DARK_GRAY);
        double step = niceStep((box[1] - box[0]) / 6);
        for (double t = Math.ceil(box[0] / step) * step; t <= box[1]; t += step) {
            int x = MARGIN_LEFT + (int) Math.round((t - box[0]) / (box[1] - box[0]) * w);
            g.drawLine(x, MARGIN_TOP + h, x, MARGIN_TOP + h + 5);
            String s = tick(t, step);
            g.drawString(s, x - fm.stringWidth(s) / 2, MARGIN_TOP + h + 19);
        }
        for (double t = Math.ceil(box[2] / step) * step; t <= box[3]; t += step) {
            int y = MARGIN_TOP + (int) Math.round((box[3] - t) / (box[3] - box[2]) * h);
            g.drawLine(MARGIN_LEFT - 5, y, MARGIN_LEFT, y);
            String s = tick(t, step);
            g.drawString(s, MARGIN_LEFT - 8 - fm.stringWidth(s), y + 4);
        }
    }

    private static void legend(Graphics2D g, int plotW, double[] range) {
        int x = MARGIN_LEFT + plotW + 14;
        int y = MARGIN_TOP + 10;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(REAL);
        g.fillOval(x, y, 9, 9);
        g.setColor(Color.BLACK);
        g.drawString("real", x + 14, y + 9);
        g.setColor(FAKE);
        g.fillOval(x, y + 20, 9, 9);
        g.setColor(Color.BLACK);
        g.drawString("generated", x + 14, y + 29);
        if (range != null) {
            g.drawString("critic", x, y + 62);
            for (int l = LEVELS - 1; l >= 0; l--) {
                g.setColor(band(l));
                g.fillRect(x, y + 70 + (LEVELS - 1 - l) * 12, 16, 12);
            }
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.3g", range[1]), x + 20, y + 80);
            g.drawString(String.format(Locale.ROOT, "%.3g", range[0]), x + 20, y + 70 + LEVELS * 12);
        }
    }

    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / p;
        return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
    }

    private static String tick(double t, double step) {
        if (Math.abs(t) < step * 1e-6) {
            t = 0;
        }
        return step >= 1 ? String.format(Locale.ROOT, "%.0f", t) : String.format(Locale.ROOT, "%.2g", t);
    }
}
