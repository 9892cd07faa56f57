package io.ganflow.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one seed of an experiment measured: table rows (labels naming the condition, then named numbers),
 * points of line figures, 2-D point clouds and image samples. The runner aggregates the rows and line points
 * of every seed (mean ± std); point clouds and images are kept from the first seed.
 */
public final class Trial {
    /** One row: the labels name the condition (e.g. data = uniforms, theta = 1.5), the values are measured. */
    public static final class Row {
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final Map<String, Double> values = new LinkedHashMap<>();

        Row(String... labelPairs) {
            if (labelPairs.length % 2 != 0) {
                throw new IllegalArgumentException("labels come in name, value pairs");
            }
            for (int i = 0; i < labelPairs.length; i += 2) {
                labels.put(labelPairs[i], labelPairs[i + 1]);
            }
        }

        public Row put(String name, double value) {
            values.put(name, value);
            return this;
        }

        public Map<String, String> labels() {
            return labels;
        }

        public Map<String, Double> values() {
            return values;
        }
    }

    /** A point of a line figure. */
    public record Point(String figure, String series, double x, double y) {}

    /** A cloud of 2-D points of one series. */
    public record Cloud(String figure, String series, double[][] points) {}

    /** Images as 8-bit pixel values (0 to 255, {@code b & 0xFF}), (n, c, h, w) row-major, under a title. */
    public record Images(String figure, String title, int n, int c, int h, int w, byte[] data) {}

    private final long seed;
    private final List<Row> rows = new ArrayList<>();
    private final List<Point> points = new ArrayList<>();
    private final List<Cloud> clouds = new ArrayList<>();
    private final List<Images> images = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Trial(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** A new row for the condition named by {@code labelPairs} (name, value, name, value ...). */
    public Row row(String... labelPairs) {
        Row r = new Row(labelPairs);
        rows.add(r);
        return r;
    }

    /** Adds a point (x, y) to a series of a line figure declared by {@link Experiment#figures}. */
    public Trial point(String figure, String series, double x, double y) {
        points.add(new Point(figure, series, x, y));
        return this;
    }

    public Trial cloud(String figure, String series, double[][] pts) {
        clouds.add(new Cloud(figure, series, pts));
        return this;
    }

    public Trial images(Images img) {
        images.add(img);
        return this;
    }

    /** A remark for verdict.json (e.g. a run that diverged). */
    public Trial note(String text) {
        notes.add(text);
        return this;
    }

    public List<Row> rows() {
        return rows;
    }

    public List<Point> points() {
        return points;
    }

    public List<Cloud> clouds() {
        return clouds;
    }

    public List<Images> images() {
        return images;
    }

    public List<String> notes() {
        return notes;
    }
}
