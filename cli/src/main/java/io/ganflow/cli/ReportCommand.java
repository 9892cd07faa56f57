package io.ganflow.cli;

import io.ganflow.cli.process.ExitCodes;
import com.fasterxml.jackson.core.type.TypeReference;
import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.config.ResolvedConfig;
import io.ganflow.cli.report.Charts;
import io.ganflow.cli.report.Report;
import io.ganflow.train.MetricsLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ganflow report RUN RUN ... --out page.html}: one page comparing runs, the view after a sweep: the config
 * keys whose values differ, the final metrics side by side, and each metric's curves overlaid. One self-contained
 * file (the charts are embedded), readable from the file system with no network.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare runs on one HTML page: the config keys that differ, final metrics side by side, and",
            "the training and evaluation curves overlaid (charts embedded; opens offline)."})
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN", arity = "1..*", description = "run directories (each with config.yaml and"
            + " summary.json)")
    List<Path> runs;

    @Option(names = "--out", required = true, paramLabel = "FILE.html", description = "where to write the page")
    Path out;

    /** One run as the page reads it. */
    private record Run(String name, Path dir, Config config, Map<String, Object> summary,
            List<Map<String, Object>> records) {}

    @Override
    public Integer call() throws Exception {
        List<Run> all = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Path dir : runs) {
            Path cfg = dir.resolve("config.yaml");
            Path sum = dir.resolve("summary.json");
            if (!Files.isRegularFile(cfg) || !Files.isRegularFile(sum)) {
                throw new BadInputException("RUN " + dir + ": not a finished run directory (it needs config.yaml and"
                        + " summary.json)");
            }
            Map<String, Object> summary;
            try {
                summary = Session.JSON.readValue(sum.toFile(), new TypeReference<Map<String, Object>>() {});
            } catch (IOException e) {
                throw new BadInputException("RUN " + dir + ": cannot read summary.json (" + e.getMessage() + ")", e);
            }
            Path metrics = dir.resolve("metrics.jsonl");
            List<Map<String, Object>> records = Files.isRegularFile(metrics) ? MetricsLog.read(metrics) : List.of();
            String name = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
            while (!names.add(name)) {
                name = name + "'";
            }
            all.add(new Run(name, dir, ResolvedConfig.read(cfg, cfg.toString()), summary, records));
        }
        Path tmp = out.toAbsolutePath().resolveSibling(out.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, page(all), StandardCharsets.UTF_8);
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw CliFiles.cannotWrite("--out", out, e);
        }
        System.out.println("wrote " + out.toAbsolutePath().normalize() + ": " + all.size() + " runs compared");
        return ExitCodes.OK;
    }

    private static String page(List<Run> runs) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>ganflow: ").append(runs.size())
                .append(" runs compared</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;"
                        + "color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;"
                        + "text-align:left}img{border:1px solid #ddd;margin:6px}code{font-size:90%}</style></head><body>");
        b.append(Report.imageCheck());
        b.append("<h1>").append(runs.size()).append(" runs compared</h1>");

        b.append("<h2>Configuration: the keys that differ</h2><table><tr><th>key</th>");
        runs.forEach(r -> b.append("<th>").append(esc(r.name())).append("</th>"));
        b.append("</tr>");
        Set<String> keys = new LinkedHashSet<>();
        runs.forEach(r -> keys.addAll(r.config().asText().keySet()));
        int differing = 0;
        for (String k : keys) {
            Set<String> values = new LinkedHashSet<>();
            runs.forEach(r -> values.add(Objects.toString(r.config().asText().get(k), "")));
            if (values.size() > 1) {
                differing++;
                b.append("<tr><td><code>").append(esc(k)).append("</code></td>");
                runs.forEach(r -> b.append("<td>").append(esc(Objects.toString(r.config().asText().get(k), "(none)")))
                        .append("</td>"));
                b.append("</tr>");
            }
        }
        if (differing == 0) {
            b.append("<tr><td colspan=\"").append(runs.size() + 1).append("\">every key the same</td></tr>");
        }
        b.append("</table>");

        b.append("<h2>Final metrics</h2><table><tr><th>metric</th>");
        runs.forEach(r -> b.append("<th>").append(esc(r.name())).append("</th>"));
        b.append("</tr>");
        Set<String> metrics = new LinkedHashSet<>();
        runs.forEach(r -> r.summary().forEach((k, v) -> {
            if (v instanceof Number || "NaN".equals(v)) {
                metrics.add(k);
            }
        }));
        for (String k : metrics) {
            b.append("<tr><th>").append(esc(k)).append("</th>");
            runs.forEach(r -> b.append("<td>").append(r.summary().containsKey(k)
                    ? esc(Report.value(r.summary().get(k))) : "").append("</td>"));
            b.append("</tr>");
        }
        b.append("</table>");

        b.append("<h2>Curves</h2>");
        for (String kind : List.of("train", "eval")) {
            for (String k : kind.equals("train") ? Report.LOSS_SERIES : Report.EVAL_SERIES) {
                Map<String, List<double[]>> byRun = new LinkedHashMap<>();
                for (Run r : runs) {
                    List<double[]> s = Charts.series(r.records(), kind, List.of(k)).get(k);
                    if (s != null) {
                        byRun.put(r.name(), s);
                    }
                }
                if (!byRun.isEmpty()) {
                    b.append("<img alt=\"").append(kind).append(' ').append(esc(k)).append("\" src=\"data:image/png;base64,")
                            .append(Base64.getEncoder().encodeToString(Charts.overlay(kind + ": " + k, byRun)))
                            .append("\">");
                }
            }
        }
        b.append("<h2>Runs</h2><ul>");
        runs.forEach(r -> b.append("<li><code>").append(esc(r.dir().toAbsolutePath().normalize().toString()))
                .append("</code></li>"));
        b.append("</ul></body></html>\n");
        return b.toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
