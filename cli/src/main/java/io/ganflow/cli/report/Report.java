package io.ganflow.cli.report;

import io.ganflow.StorageException;
import io.ganflow.engine.Rng;

import io.ganflow.config.Config;
import io.ganflow.data.Dataset;
import io.ganflow.data.Standardizer;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import io.ganflow.train.Evaluator;
import io.ganflow.train.Method;
import io.ganflow.train.SampleRequest;
import io.ganflow.train.Samples;
import io.ganflow.train.SamplingProcedure;
import io.ganflow.train.MetricsLog;
import io.ganflow.train.RunDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;

/**
 * Writes a run's pictures (samples.png, losses.png, eval.png; for flows trajectories.png on points,
 * trajectory.png on images) and report.html. On image data samples.png is the grid of the fixed latent draw
 * that every evaluation drew into grids/ ({@link EvalGrids}), and the report shows those grids over time.
 */
public final class Report {
    private Report() {}

    /**
     * Writes the pictures and the page. When the disk is full or read-only, the partial file is removed
     * and a {@link StorageException} names it; the checkpoints and summary.json written before stay.
     */
    public static void write(RunDirectory run, Config c, String preset, Method method, Dataset data, Evaluator evaluator,
            Map<String, Object> summary) throws IOException {
        Path[] current = {run.root()};
        try {
            write(run, c, preset, method, data, evaluator, summary, current);
        } catch (IOException e) {
            if (!StorageException.isStorageProblem(e) && !StorageException.isStorageProblem(rootCause(e))) {
                throw e;
            }
            Files.deleteIfExists(current[0]);
            IOException cause = StorageException.isStorageProblem(e) ? e : rootCause(e);
            throw new StorageException("cannot write " + current[0] + ": " + StorageException.reason(cause)
                    + "; the checkpoints are kept", e);
        }
    }

    private static IOException rootCause(IOException e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t instanceof IOException ? (IOException) t : e;
    }

    private static void write(RunDirectory run, Config c, String preset, Method method, Dataset data,
            Evaluator evaluator, Map<String, Object> summary, Path[] current) throws IOException {
        List<String> images = new ArrayList<>();
        Path samples = run.root().resolve("samples.png");
        current[0] = samples;
        Optional<long[]> chw = ImageGrid.imageShape(data);
        long seed = c.getLong("train.seed");
        if (chw.isPresent()) {
            // the grid of the fixed latent draw, as at every evaluation: the last grid of grids/
            Files.write(samples, EvalGrids.grid(method, data, chw.get(), seed));
            images.add("samples.png");
        } else if (data.dim() >= 2) {
            int n = Math.min(2000, evaluator.sampleCount());
            double[][] fake = evaluator.samples(method, n);
            double[][] real = evaluator.reference(n);
            Function<double[][], double[]> field = data.dim() == 2 ? criticField(method, data.standardizer()) : null;
            String title = preset + ": real (blue) vs generated (red)"
                    + (field != null ? " over the critic" : ", first two coordinates");
            FieldPlot.write(samples, title, real, fake, field);
            images.add("samples.png");
        }
        boolean paths = method.samplingProcedures().stream().anyMatch(SamplingProcedure::hasPath);
        if (paths && chw.isPresent()) {
            Files.write(run.root().resolve("trajectory.png"), trajectoryStrip(method, data, chw.get(), seed));
            images.add("trajectory.png");
        } else if (paths && data.dim() == 2) {
            try (Scope s = Scope.open()) {
                Samples r = path(method, 300, Rng.derived(c.getLong("train.seed"), "plot/trajectories"), 50);
                List<double[][]> path = new ArrayList<>();
                current[0] = run.root().resolve("trajectories.png");
                for (Tensor x : r.path()) {
                    path.add(Ops.toRows(data.standardizer().toData(x)));
                }
                boolean reflowed = c.getInt("flow.reflow.rounds") > 0 || c.getBool("flow.distill");
                FieldPlot.trajectories(run.root().resolve("trajectories.png"), preset + ": flow trajectories, t = 0 (black)"
                        + " to 1 (red)" + (reflowed ? ", after reflow" : ""),
                        path, evaluator.reference(1000));
            }
            images.add("trajectories.png");
        }
        List<Map<String, Object>> records = Files.exists(run.metrics()) ? MetricsLog.read(run.metrics()) : List.of();
        current[0] = run.root().resolve("losses.png");
        if (Charts.panels(run.root().resolve("losses.png"), "train", records, "train", LOSS_SERIES)) {
            images.add("losses.png");
        }
        current[0] = run.root().resolve("eval.png");
        if (Charts.panels(run.root().resolve("eval.png"), "eval", records, "eval", EVAL_SERIES)) {
            images.add("eval.png");
        }
        current[0] = run.root().resolve("report.html");
        Html.write(current[0], preset, summary, c, images, EvalGrids.steps(run.root()));
    }

    /** The training statistics of losses.png, a panel each where logged. */
    public static final List<String> LOSS_SERIES = List.of("d_loss", "g_loss", "w_estimate", "gp", "gp0", "r1", "r2",
            "rf_loss", "distill_loss", "acgan", "eps_loss", "dsm_loss");
    /** The evaluation metrics of eval.png, a panel each where measured (points, then images). */
    public static final List<String> EVAL_SERIES = List.of("w1", "high_quality_fraction", "reverse_kl_modes",
            "modes_covered", "fid", "kid", "classes_covered", "class_kl", "precision", "recall", "is", "class_hit_fraction",
            "class_accuracy", "intra_fid");

    /** Samples in trajectory.png: rows, one per sample. */
    public static final int TRAJECTORY_SAMPLES = 8;
    /** The times of trajectory.png's columns. */
    public static final double[] TRAJECTORY_TIMES = {0, 0.25, 0.5, 0.75, 1};
    /** RK4 steps of the trajectories, a multiple of 4 so that every time of {@link #TRAJECTORY_TIMES} is a step. */
    static final int TRAJECTORY_STEPS = 100;

    /**
     * A flow on images: x_t of {@value #TRAJECTORY_SAMPLES} prior samples (latent stream {@code plot/trajectory})
     * at t = 0, 0.25, 0.5, 0.75 and 1, one sample per row, solved by RK4 in {@value #TRAJECTORY_STEPS} steps in
     * evaluation mode; a band above the columns names t. As PNG bytes.
     */
    public static byte[] trajectoryStrip(Method m, Dataset data, long[] chw, long seed) {
        try (Scope s = Scope.open()) {
            Samples r = ImageGrid.inEvalMode(m, () -> path(m, TRAJECTORY_SAMPLES, Rng.derived(seed, "plot/trajectory"),
                    TRAJECTORY_STEPS));
            int k = TRAJECTORY_TIMES.length;
            List<ImageGrid.Pixels> at = new ArrayList<>();
            for (double t : TRAJECTORY_TIMES) {
                Tensor x = r.path().get((int) Math.round(t * TRAJECTORY_STEPS));
                at.add(ImageGrid.pixels(data.standardizer().toData(x), chw));
            }
            ImageGrid.Pixels p0 = at.get(0);
            int per = p0.c() * p0.h() * p0.w();
            byte[] all = new byte[TRAJECTORY_SAMPLES * k * per];
            for (int i = 0; i < TRAJECTORY_SAMPLES; i++) {
                for (int j = 0; j < k; j++) {
                    System.arraycopy(at.get(j).data(), i * per, all, (i * k + j) * per, per);
                }
            }
            ImageGrid.Pixels strip = new ImageGrid.Pixels(TRAJECTORY_SAMPLES * k, p0.c(), p0.h(), p0.w(), all);
            List<String> labels = new ArrayList<>();
            for (double t : TRAJECTORY_TIMES) {
                labels.add("t = " + (t == Math.rint(t) ? String.valueOf((long) t) : String.valueOf(t)));
            }
            return ImageGrid.png(ImageGrid.withColumnLabels(ImageGrid.render(strip, k), strip, k, labels));
        }
    }

    /**
     * The path of n samples under the method's first procedure that keeps one, in {@code steps} RK4 steps where
     * it takes a solver (states at t = 0, 1/steps, ..., 1).
     */
    static Samples path(Method m, int n, Rng rng, int steps) {
        SamplingProcedure p = m.samplingProcedures().stream().filter(SamplingProcedure::hasPath).findFirst()
                .orElseThrow();
        SampleRequest r = SampleRequest.of(n, rng).withProcedure(p.name()).withPath();
        if (p.options().contains("solver")) {
            r = r.withOption("solver", "rk4");
        }
        if (p.options().contains("nfe")) {
            r = r.withOption("nfe", 4 * steps);
        }
        return m.sample(r);
    }

    /** The critic as a function of data-space points, or null when the method has none. */
    static Function<double[][], double[]> criticField(Method method, Standardizer st) {
        Optional<UnaryOperator<Tensor>> critic = method.critic();
        if (critic.isEmpty()) {
            return null;
        }
        return pts -> {
            try (Scope s = Scope.open()) {
                double[][] z = new double[pts.length][];
                for (int i = 0; i < pts.length; i++) {
                    z[i] = st.toModel(pts[i]);
                }
                return Ops.toDoubles(critic.get().apply(Ops.toDevice(Ops.fromRows(z)))); // the critic's device
            }
        };
    }

    /**
     * A number as the page shows it: whole numbers as they are, others to 4 significant digits, non-finite ones
     * in words (the summary's JSON writes them as text).
     */
    public static String value(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                return "n/a";
            }
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString((long) d);
            }
            return new java.math.BigDecimal(d).round(new java.math.MathContext(4)).stripTrailingZeros()
                    .toPlainString();
        }
        String t = String.valueOf(v);
        return t.equals("NaN") || t.equals("Infinity") || t.equals("-Infinity") ? "n/a" : t;
    }

    /**
     * Marks the page once loaded with how many of its images decoded and how many did not
     * ({@code data-images-loaded}, {@code data-images-broken} on the body): what a headless browser reads back.
     */
    private static final String IMAGE_CHECK = "<script>window.addEventListener('load',function(){var ok=0,bad=0;"
            + "document.querySelectorAll('img').forEach(function(i){if(i.complete&&i.naturalWidth>0){ok++}else{bad++}});"
            + "document.body.setAttribute('data-images-loaded',ok);document.body.setAttribute('data-images-broken',"
            + "bad)});</script>";

    /** The script of {@link #IMAGE_CHECK}, for every page the application writes. */
    public static String imageCheck() {
        return IMAGE_CHECK;
    }

    /** The HTML page: summary table, pictures, resolved config. */
    static final class Html {
        private Html() {}

        /** Thumbnails in the strip of grids at most; more evaluations show an evenly spaced selection. */
        static final int MAX_THUMBNAILS = 16;

        static void write(Path file, String preset, Map<String, Object> summary, Config c, List<String> images,
                List<Long> gridSteps) throws IOException {
            StringBuilder b = new StringBuilder();
            b.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>ganflow run: ").append(esc(preset))
                    .append("</title><style>body{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}"
                            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
                            + "img{max-width:100%;border:1px solid #ddd;margin:8px 0}code{font-size:90%}"
                            + ".grids{display:flex;gap:6px;overflow-x:auto;padding-bottom:4px}"
                            + ".grids figure{margin:0;text-align:center;font-size:80%;color:#555}"
                            + ".grids img{width:150px;margin:0}</style>"
                            + "</head><body>");
            b.append(IMAGE_CHECK);
            b.append("<h1>ganflow run: ").append(esc(preset)).append("</h1><h2>Summary</h2><table>");
            for (Map.Entry<String, Object> e : summary.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> m) {
                    // a nested map (last_step_stats): a row per entry
                    for (Map.Entry<?, ?> f : m.entrySet()) {
                        b.append("<tr><th>").append(esc(e.getKey() + "." + f.getKey())).append("</th><td>")
                                .append(esc(value(f.getValue()))).append("</td></tr>");
                    }
                    continue;
                }
                b.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(value(e.getValue())))
                        .append("</td></tr>");
            }
            b.append("</table>");
            if (!gridSteps.isEmpty()) {
                List<Long> shown = thumbnails(gridSteps);
                b.append("<h2>Samples over training</h2><p>The same ").append(c.getString("model.condition")
                        .equals("none") ? EvalGrids.COUNT + " latents at every evaluation"
                        : "latents at every evaluation, one row of 8 per class asked for (class 0 at the top)");
                if (shown.size() < gridSteps.size()) {
                    b.append(" (").append(shown.size()).append(" of ").append(gridSteps.size())
                            .append(" evaluations; every one in <code>grids/</code>)");
                }
                b.append("; the last one large below.</p><div class=\"grids\">");
                for (long step : shown) {
                    String src = EvalGrids.FOLDER + "/" + EvalGrids.file(Path.of(""), step).getFileName();
                    b.append("<figure><a href=\"").append(src).append("\"><img src=\"").append(src)
                            .append("\" alt=\"step ").append(step).append("\"></a><figcaption>step ").append(step)
                            .append("</figcaption></figure>");
                }
                b.append("</div>");
            }
            for (String img : images) {
                b.append("<p><img src=\"").append(img).append("\" alt=\"").append(img).append("\"></p>");
            }
            b.append("<h2>Configuration</h2><table><tr><th>key</th><th>value</th><th>source</th></tr>");
            for (Map.Entry<String, String> e : c.asText().entrySet()) {
                b.append("<tr><td><code>").append(esc(e.getKey())).append("</code></td><td>").append(esc(e.getValue()))
                        .append("</td><td>").append(esc(c.source(e.getKey()))).append("</td></tr>");
            }
            b.append("</table><p>Metrics per step: <code>metrics.jsonl</code>. Provenance: <code>provenance.json</code>."
                    + "</p></body></html>\n");
            Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
        }

        /** At most {@link #MAX_THUMBNAILS} steps, evenly spaced, always with the first and the last. */
        static List<Long> thumbnails(List<Long> steps) {
            if (steps.size() <= MAX_THUMBNAILS) {
                return steps;
            }
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < MAX_THUMBNAILS; i++) {
                long s = steps.get((int) Math.round(i * (steps.size() - 1) / (double) (MAX_THUMBNAILS - 1)));
                if (out.isEmpty() || out.get(out.size() - 1) != s) {
                    out.add(s);
                }
            }
            return out;
        }

        private static String esc(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }
    }
}
