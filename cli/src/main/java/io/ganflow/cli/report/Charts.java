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

    /**
     * Plots the named series of a metrics log.
     *
     * @param records the metrics.jsonl records
     * @param kind "train" or "eval"
     * @param keys which series, in order; missing ones are skipped
     * @return false when nothing was plotted (no data)
     */
    public static boolean lines(Path file, String title, List<Map<String, Object>> records, String kind, List<String> keys)
            throws IOException {
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
        XYChart chart = new XYChartBuilder().width(900).height(420).title(title).xAxisTitle("step").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        boolean any = false;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            List<double[]> pts = e.getValue();
            if (pts.isEmpty()) {
                continue;
            }
            double[] x = new double[pts.size()];
            double[] y = new double[pts.size()];
            for (int i = 0; i < pts.size(); i++) {
                x[i] = pts.get(i)[0];
                y[i] = pts.get(i)[1];
            }
            XYSeries s = chart.addSeries(e.getKey(), x, y);
            s.setMarker(pts.size() > 30 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            any = true;
        }
        if (!any) {
            return false;
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }
}
