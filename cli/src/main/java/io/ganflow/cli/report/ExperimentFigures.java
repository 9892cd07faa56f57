package io.ganflow.cli.report;

import io.ganflow.experiment.Figure;
import io.ganflow.experiment.FigureWriter;
import io.ganflow.experiment.Trial;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws the figures of an experiment as PNG: line charts with ± std bars, 2-D point clouds, image grids. */
public final class ExperimentFigures implements FigureWriter {
    @Override
    public boolean write(Figure f, Path png) throws IOException {
        return switch (f.kind()) {
            case LINES -> lines(f, png);
            case POINTS -> points(f, png);
            case IMAGES -> images(f, png);
        };
    }

    static XYChart chart(Figure f, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(f.title()).xAxisTitle(f.xLabel())
                .yAxisTitle(f.yLabel()).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setXAxisLogarithmic(f.logX());
        chart.getStyler().setYAxisLogarithmic(f.logY());
        return chart;
    }

    static boolean lines(Figure f, Path png) throws IOException {
        XYChart chart = chart(f, 960, 560 + 18 * Math.max(0, f.series().size() - 4));
        boolean any = false;
        for (Figure.Series s : f.series()) {
            List<double[]> pts = new ArrayList<>();
            boolean bars = false;
            for (int i = 0; i < s.x().length; i++) {
                double x = s.x()[i];
                double y = s.y()[i];
                boolean ok = Double.isFinite(x) && Double.isFinite(y) && (!f.logX() || x > 0) && (!f.logY() || y > 0);
                if (ok) {
                    double e = Double.isFinite(s.std()[i]) ? s.std()[i] : 0;
                    if (f.logY()) {
                        e = Math.min(e, y * 0.999); // a bar below zero has no place on a log axis
                    }
                    bars |= e > 0;
                    pts.add(new double[] {x, y, e});
                }
            }
            if (pts.isEmpty()) {
                continue;
            }
            double[] x = pts.stream().mapToDouble(p -> p[0]).toArray();
            double[] y = pts.stream().mapToDouble(p -> p[1]).toArray();
            bars &= pts.size() <= 40; // error bars on a dense curve hide it
            XYSeries series = bars ? chart.addSeries(s.name(), x, y, pts.stream().mapToDouble(p -> p[2]).toArray())
                    : chart.addSeries(s.name(), x, y);
            series.setMarker(x.length > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            any = true;
        }
        if (!any) {
            return false;
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }

    static boolean points(Figure f, Path png) throws IOException {
        XYChart chart = chart(f, 760, 800);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(3);
        boolean any = false;
        for (Figure.Series s : f.series()) {
            if (s.x().length == 0) {
                continue;
            }
            chart.addSeries(s.name(), s.x(), s.y()).setMarker(SeriesMarkers.CIRCLE);
            any = true;
        }
        if (!any) {
            return false;
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }

    /** Each set of images as a square grid under its title, side by side. */
    static boolean images(Figure f, Path png) throws IOException {
        List<BufferedImage> grids = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        for (Trial.Images im : f.images()) {
            ImageGrid.Pixels p = new ImageGrid.Pixels(im.n(), im.c(), im.h(), im.w(), im.data());
            grids.add(ImageGrid.render(p, ImageGrid.columns(p.n())));
            titles.add(im.title());
        }
        if (grids.isEmpty()) {
            return false;
        }
        int band = 28;
        int gap = 16;
        int width = grids.stream().mapToInt(BufferedImage::getWidth).sum() + gap * (grids.size() - 1);
        int height = grids.stream().mapToInt(BufferedImage::getHeight).max().orElse(0) + band + 30;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(f.title(), 4, 18);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int x = 0;
            for (int i = 0; i < grids.size(); i++) {
                g.drawString(titles.get(i), x + 2, 30 + band - 8);
                g.drawImage(grids.get(i), x, 30 + band, null);
                x += grids.get(i).getWidth() + gap;
            }
        } finally {
            g.dispose();
        }
        Files.write(png, ImageGrid.png(out));
        return true;
    }
}
