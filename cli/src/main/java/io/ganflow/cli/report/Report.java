package io.ganflow.cli.report;

import io.ganflow.StorageException;
import io.ganflow.engine.Rng;
import io.ganflow.flow.FlowMethod;
import io.ganflow.flow.Solver;

import io.ganflow.config.Config;
import io.ganflow.data.Dataset;
import io.ganflow.data.Standardizer;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import io.ganflow.train.Evaluator;
import io.ganflow.train.Method;
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

/** Writes a run's pictures (samples.png, losses.png, eval.png) and report.html. */
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
        if (data.dim() >= 2) {
            int n = Math.min(2000, evaluator.sampleCount());
            double[][] fake = evaluator.samples(method, n);
            double[][] real = evaluator.reference(n);
            Function<double[][], double[]> field = data.dim() == 2 ? criticField(method, data.standardizer()) : null;
            String title = preset + ": real (blue) vs generated (red)"
                    + (field != null ? " over the critic" : ", first two coordinates");
            FieldPlot.write(samples, title, real, fake, field);
            images.add("samples.png");
        }
        if (method instanceof FlowMethod && data.dim() == 2) {
            FlowMethod fm = (FlowMethod) method;
            try (Scope s = Scope.open()) {
                Solver.Result r = fm.trajectories(300, Rng.derived(c.getLong("train.seed"), "plot/trajectories"), 50);
                List<double[][]> path = new ArrayList<>();
                current[0] = run.root().resolve("trajectories.png");
                for (Tensor x : r.states()) {
                    path.add(Ops.toRows(data.standardizer().toData(x)));
                }
                FieldPlot.trajectories(run.root().resolve("trajectories.png"), preset + ": flow trajectories, t = 0 (black)"
                        + " to 1 (red)" + (fm.stages() > 1 ? ", after reflow" : ""),
                        path, evaluator.reference(1000));
            }
            images.add("trajectories.png");
        }
        List<Map<String, Object>> records = Files.exists(run.metrics()) ? MetricsLog.read(run.metrics()) : List.of();
        current[0] = run.root().resolve("losses.png");
        if (Charts.lines(run.root().resolve("losses.png"), "training losses", records, "train",
                List.of("d_loss", "g_loss", "w_estimate", "gp", "gp0", "rf_loss", "distill_loss"))) {
            images.add("losses.png");
        }
        current[0] = run.root().resolve("eval.png");
        if (Charts.lines(run.root().resolve("eval.png"), "evaluation", records, "eval",
                List.of("w1", "high_quality_fraction", "reverse_kl_modes"))) {
            images.add("eval.png");
        }
        current[0] = run.root().resolve("report.html");
        Html.write(current[0], preset, summary, c, images);
    }

    /** The critic as a function of data-space points, or null when the method has none. */
    private static Function<double[][], double[]> criticField(Method method, Standardizer st) {
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
                return Ops.toDoubles(critic.get().apply(Ops.fromRows(z)));
            }
        };
    }

    /** The HTML page: summary table, pictures, resolved config. */
    static final class Html {
        private Html() {}

        static void write(Path file, String preset, Map<String, Object> summary, Config c, List<String> images)
                throws IOException {
            StringBuilder b = new StringBuilder();
            b.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>ganflow run: ").append(esc(preset))
                    .append("</title><style>body{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}"
                            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
                            + "img{max-width:100%;border:1px solid #ddd;margin:8px 0}code{font-size:90%}</style>"
                            + "</head><body>");
            b.append("<h1>ganflow run: ").append(esc(preset)).append("</h1><h2>Summary</h2><table>");
            for (Map.Entry<String, Object> e : summary.entrySet()) {
                b.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(String.valueOf(e.getValue())))
                        .append("</td></tr>");
            }
            b.append("</table>");
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

        private static String esc(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }
    }
}
