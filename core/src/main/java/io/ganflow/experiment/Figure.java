package io.ganflow.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A figure of an experiment, as data: the runner fills it from every seed's {@link Trial} and a
 * {@link FigureWriter} draws it (the command line draws PNGs with XChart).
 *
 * @param name file name without extension
 * @param kind lines (mean over seeds, ± std as error bars), points (2-D clouds of the first seed) or images
 */
public record Figure(String name, Kind kind, String title, String xLabel, String yLabel, boolean logX, boolean logY,
        List<Series> series, List<Trial.Images> images) {
    public enum Kind { LINES, POINTS, IMAGES }

    /** One series: x, mean y and std of y over the seeds (0 with one seed), or a cloud's x and y. */
    public record Series(String name, double[] x, double[] y, double[] std) {}

    /** Declares a line figure; {@link Experiment#figures} returns these. */
    public static Figure lines(String name, String title, String xLabel, String yLabel, boolean logX, boolean logY) {
        return new Figure(name, Kind.LINES, title, xLabel, yLabel, logX, logY, List.of(), List.of());
    }

    public static Figure points(String name, String title) {
        return new Figure(name, Kind.POINTS, title, "x", "y", false, false, List.of(), List.of());
    }

    public static Figure images(String name, String title) {
        return new Figure(name, Kind.IMAGES, title, "", "", false, false, List.of(), List.of());
    }

    /** This figure filled from the trials of every seed. */
    Figure filled(List<Trial> trials) {
        List<Series> out = new ArrayList<>();
        List<Trial.Images> imgs = new ArrayList<>();
        switch (kind) {
            case LINES -> {
                // series -> x -> values over seeds, in first-seen order
                Map<String, Map<Double, List<Double>>> acc = new LinkedHashMap<>();
                for (Trial t : trials) {
                    for (Trial.Point p : t.points()) {
                        if (p.figure().equals(name)) {
                            acc.computeIfAbsent(p.series(), k -> new LinkedHashMap<>())
                                    .computeIfAbsent(p.x(), k -> new ArrayList<>()).add(p.y());
                        }
                    }
                }
                for (Map.Entry<String, Map<Double, List<Double>>> e : acc.entrySet()) {
                    int n = e.getValue().size();
                    double[] x = new double[n];
                    double[] y = new double[n];
                    double[] s = new double[n];
                    int i = 0;
                    for (Map.Entry<Double, List<Double>> pt : e.getValue().entrySet()) {
                        x[i] = pt.getKey();
                        y[i] = Stats.mean(pt.getValue());
                        s[i] = Stats.std(pt.getValue());
                        i++;
                    }
                    out.add(new Series(e.getKey(), x, y, s));
                }
            }
            case POINTS -> {
                if (!trials.isEmpty()) {
                    for (Trial.Cloud c : trials.get(0).clouds()) {
                        if (c.figure().equals(name)) {
                            double[] x = new double[c.points().length];
                            double[] y = new double[c.points().length];
                            for (int i = 0; i < x.length; i++) {
                                x[i] = c.points()[i][0];
                                y[i] = c.points()[i].length > 1 ? c.points()[i][1] : 0;
                            }
                            out.add(new Series(c.series(), x, y, new double[x.length]));
                        }
                    }
                }
            }
            case IMAGES -> {
                if (!trials.isEmpty()) {
                    for (Trial.Images im : trials.get(0).images()) {
                        if (im.figure().equals(name)) {
                            imgs.add(im);
                        }
                    }
                }
            }
            default -> throw new IllegalStateException();
        }
        return new Figure(name, kind, title, xLabel, yLabel, logX, logY, out, imgs);
    }

    public boolean isEmpty() {
        return series.isEmpty() && images.isEmpty();
    }
}
