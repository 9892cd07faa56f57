package io.ganflow.cli.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line charts of logged statistics against the step (XChart, PNG). */
public final class Charts {
    private Charts() {}

    /** The named series of a metrics log, (step, value) pairs of the finite values, in the order of {@code keys}. */
    public static Map<String, List<double[]>> series(List<Map<String, Object>> records, String kind, List<String> keys) {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        for (String k : keys) {
            series.put(k, new ArrayList<>());
        }
        for (Map<String, Object> r : records) {
            if (!kind.equals(r.get("kind"))) {
                continue;
            }
            double step = ((Number) r.get("step")).doubleValue();
            for (String k : keys) {
                Object v = r.get(k);
                if (v instanceof Number && Double.isFinite(((Number) v).doubleValue())) {
                    series.get(k).add(new double[] {step, ((Number) v).doubleValue()});
                }
            }
        }
        series.values().removeIf(List::isEmpty);
        return series;
    }

    /**
     * Small multiples: one panel per series of a metrics log, each with its own y-axis (a loss of scale 10 beside a
     * penalty of scale 0.01 would flatten the penalty on a shared axis), three panels a row.
     *
     * @return false when nothing was plotted (no data)
     */
    public static boolean panels(Path file, String title, List<Map<String, Object>> records, String kind,
            List<String> keys) throws IOException {
        Map<String, List<double[]>> series = series(records, kind, keys);
        if (series.isEmpty()) {
            return false;
        }
        List<XYChart> charts = new ArrayList<>();
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            XYChart c = chart(300, 220, title + ": " + e.getKey());
            c.getStyler().setLegendVisible(false);
            add(c, e.getKey(), e.getValue());
            charts.add(c);
        }
        int cols = Math.min(3, charts.size());
        int rows = (charts.size() + cols - 1) / cols;
        java.awt.image.BufferedImage sheet = new java.awt.image.BufferedImage(cols * 300, rows * 220,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = sheet.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % cols) * 300, (i / cols) * 220, null);
        }
        g.dispose();
        javax.imageio.ImageIO.write(sheet, "png", file.toFile());
        return true;
    }

    /** One chart of several runs' series of one statistic, overlaid (the comparison page), as PNG bytes. */
    public static byte[] overlay(String title, Map<String, List<double[]>> byRun) throws IOException {
        XYChart c = chart(460, 300, title);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        for (Map.Entry<String, List<double[]>> e : byRun.entrySet()) {
            add(c, e.getKey(), e.getValue());
        }
        return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart chart(int width, int height, String title) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("step").build();
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setPlotGridLinesVisible(true);
        return c;
    }

    private static void add(XYChart c, String name, List<double[]> pts) {
        double[] x = new double[pts.size()];
        double[] y = new double[pts.size()];
        double top = 0;
        for (int i = 0; i < pts.size(); i++) {
            x[i] = pts.get(i)[0];
            y[i] = pts.get(i)[1];
            top = Math.max(top, Math.abs(y[i]));
        }
        // about 4 significant digits on the y axis (a single point otherwise gets its value to 17 digits)
        int decimals = top == 0 ? 4 : Math.max(0, Math.min(8, 3 - (int) Math.floor(Math.log10(top))));
        c.getStyler().setYAxisDecimalPattern(decimals == 0 ? "#,##0" : "#,##0." + "#".repeat(decimals));
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(pts.size() > 30 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
    }
}
