package io.ganflow.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ganflow.BadInputException;
import io.ganflow.StorageException;
import io.ganflow.Version;
import io.ganflow.engine.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs an {@link Experiment} over its seeds and writes its folder:
 * <pre>
 *   table.csv     each condition: the labels, every value's mean and std over the seeds, the seed count
 *   table.md      the same as a Markdown table, mean ± std
 *   seeds.csv     every seed's rows as measured
 *   NAME.png      the figures (lines: mean over seeds with ± std bars)
 *   verdict.json  claim, source, threshold, protocol, the numbers judged, holds / does not hold, seeds, time,
 *                 CPU time, machine load, ganflow version and commit, the command
 * </pre>
 */
public final class ExperimentRunner {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The files a run writes; an earlier run's are replaced. */
    static final List<String> OWN_FILES = List.of("table.csv", "table.md", "seeds.csv", "verdict.json");

    /** What a run produced. */
    public record Outcome(Path dir, Verdict verdict, ResultTable table, Map<String, Object> record) {}

    private ExperimentRunner() {}

    /**
     * Checks the output folder before anything runs: it must be new, empty, or an earlier experiment's folder
     * (one holding verdict.json), whose files are then replaced.
     */
    public static void checkOutput(Path out) {
        if (Files.isRegularFile(out)) {
            throw new BadInputException("--out " + out + " is a file; give a folder");
        }
        if (Files.isDirectory(out) && !Files.exists(out.resolve("verdict.json"))) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new BadInputException("--out " + out + " is not empty and holds no verdict.json; give a new"
                            + " or empty folder, or an earlier experiment's folder");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Runs {@code seeds} seeds (firstSeed, firstSeed + 1, ...) and writes the folder.
     *
     * @param commandLine recorded in verdict.json
     */
    public static Outcome run(String name, Experiment e, Scale scale, int seeds, long firstSeed, Path out,
            Progress progress, FigureWriter figures, Consumer<String> warnings, String commandLine) {
        if (seeds < 1) {
            throw new BadInputException("--seeds " + seeds + " is not allowed; give 1 or more");
        }
        checkOutput(out);
        Engine.ensureInitialised();
        LoadSampler load = new LoadSampler();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        List<Trial> trials = new ArrayList<>();
        progress.start(name + (scale == Scale.QUICK ? " (quick)" : ""), e.units(scale) * seeds);
        try {
            for (int i = 0; i < seeds; i++) {
                Trial t = new Trial(firstSeed + i);
                e.run(new Context(scale, firstSeed + i, i, seeds, progress, warnings), t);
                trials.add(t);
            }
        } finally {
            progress.end();
            load.stop();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
        ResultTable table = new ResultTable(trials);
        Verdict verdict = e.judge(table, scale);
        try {
            Files.createDirectories(out);
            for (String f : OWN_FILES) {
                Files.deleteIfExists(out.resolve(f));
            }
            try (Stream<Path> s = Files.list(out)) {
                for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".png")).toList()) {
                    Files.delete(p);
                }
            }
            write(out.resolve("table.csv"), table.csv());
            write(out.resolve("table.md"), table.markdown());
            write(out.resolve("seeds.csv"), table.seedsCsv());
            List<String> files = new ArrayList<>(List.of("table.csv", "table.md", "seeds.csv"));
            for (Figure f : e.figures()) {
                Figure filled = f.filled(trials);
                if (!filled.isEmpty() && figures.write(filled, out.resolve(f.name() + ".png"))) {
                    files.add(f.name() + ".png");
                }
            }
            files.add("verdict.json");
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("experiment", name);
            rec.put("claim", e.claim());
            rec.put("source", e.source());
            rec.put("threshold", e.threshold());
            rec.put("protocol", e.protocol(scale));
            rec.put("scale", scale.key());
            rec.put("seeds", trials.stream().map(Trial::seed).toList());
            rec.put("verdict", verdict.word());
            rec.put("holds", verdict.holds());
            rec.put("headline", verdict.headline());
            rec.put("numbers", verdict.numbers());
            List<String> notes = new ArrayList<>();
            trials.forEach(t -> t.notes().forEach(n -> notes.add("seed " + t.seed() + ": " + n)));
            rec.put("notes", notes);
            rec.put("seconds", Math.round(seconds * 10) / 10.0);
            rec.put("cpu_seconds", Math.round(cpuSeconds * 10) / 10.0);
            rec.put("machine", machine(load));
            Map<String, Object> gf = new LinkedHashMap<>();
            gf.put("version", Version.ganflow());
            gf.put("commit", io.ganflow.io.Provenance.gitCommit());
            // what ./ganflow read from the checkout it ran in; differs from the baked commit when the jar was built
            // in a linked git worktree, where the build bakes the main checkout's HEAD
            String launcher = System.getProperty("ganflow.git.commit");
            if (launcher != null && !launcher.isBlank()) {
                gf.put("launcher_commit", launcher.trim());
            }
            rec.put("ganflow", gf);
            rec.put("started", started);
            rec.put("command", commandLine);
            rec.put("files", files);
            write(out.resolve("verdict.json"), JSON.writeValueAsString(rec) + "\n");
            return new Outcome(out, verdict, table, rec);
        } catch (IOException ex) {
            if (StorageException.isStorageProblem(ex)) {
                throw StorageException.writing(out, ex);
            }
            throw new UncheckedIOException(ex);
        }
    }

    static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static Map<String, Object> machine(LoadSampler load) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", cpuModel());
        m.put("threads", Engine.threads());
        m.put("load_start", round2(load.first));
        m.put("load_mean", round2(load.mean()));
        m.put("load_max", round2(load.max));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.version"));
        return m;
    }

    static double round2(double v) {
        return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : -1;
    }

    static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1)
                    .trim()).orElse("unknown");
        } catch (IOException | UncheckedIOException ex) {
            return "unknown";
        }
    }

    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    /** The machine's one-minute load average, sampled every 5 s while the experiment runs. */
    static final class LoadSampler {
        private final ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ganflow-load-sampler");
            t.setDaemon(true);
            return t;
        });
        private double sum;
        private int n;
        private double first = Double.NaN;
        private double max = Double.NaN;

        LoadSampler() {
            sample();
            ex.scheduleAtFixedRate(this::sample, 5, 5, TimeUnit.SECONDS);
        }

        synchronized void sample() {
            double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            if (l < 0) {
                return;
            }
            if (n == 0) {
                first = l;
            }
            sum += l;
            n++;
            max = Double.isNaN(max) ? l : Math.max(max, l);
        }

        synchronized double mean() {
            return n == 0 ? Double.NaN : sum / n;
        }

        void stop() {
            sample();
            ex.shutdownNow();
        }
    }
}
