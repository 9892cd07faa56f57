package io.ganflow.cli;

import io.ganflow.train.Listener;
import io.ganflow.train.TrainResult;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows training progress: a live bar with ETA and the latest losses on a terminal, or a plain line
 * every 10 % (at most every 30 s) when the output is a file or a pipe.
 */
final class ProgressListener implements Listener {
    private final PrintStream out;
    private final boolean terminal;
    private final String task;
    private ProgressBar bar;
    private long start;
    private long total;
    private long t0;
    private long lastLine;
    private long lastLineStep;
    private String latest = "";
    private String evalText = "";
    private String shortText = "";

    ProgressListener(PrintStream out, boolean terminal, String task) {
        this.out = out;
        this.terminal = terminal;
        this.task = task;
    }

    @Override
    public void onStart(long startStep, long totalSteps) {
        start = startStep;
        total = totalSteps;
        t0 = System.nanoTime();
        lastLine = t0;
        lastLineStep = startStep;
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalSteps).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250).setConsumer(new ConsoleProgressBarConsumer(out))
                    .startsFrom(startStep, Duration.ZERO).setUnit(" steps", 1).showSpeed().build();
        } else {
            out.printf(Locale.ROOT, "%s: %d steps%s%n", task, totalSteps,
                    startStep > 0 ? " (resuming at step " + startStep + ")" : "");
        }
    }

    @Override
    public void onLog(long step, Map<String, Double> stats) {
        latest = format(stats, "d_loss", "g_loss", "w_estimate", "rf_loss", "distill_loss", "eps_loss", "dsm_loss",
                "stage");
        String compact = format(stats, "d_loss", "g_loss", "rf_loss", "distill_loss", "eps_loss", "dsm_loss", "stage")
                .replace("d_loss", "D").replace("g_loss", "G").replace("rf_loss", "RF").replace("distill_loss", "distil")
                .replace("eps_loss", "eps").replace("dsm_loss", "DSM");
        if (bar != null) {
            bar.stepTo(step);
            shortText = compact;
            bar.setExtraMessage(" | " + shortText + evalText);
            return;
        }
        long now = System.nanoTime();
        boolean tenth = (step - lastLineStep) * 10 >= total;
        if (step == total || tenth || now - lastLine > 30e9) {
            double secs = (now - t0) / 1e9;
            double rate = (step - start) / Math.max(secs, 1e-9);
            double eta = (total - step) / Math.max(rate, 1e-9);
            out.printf(Locale.ROOT, "%s: step %d/%d (%.0f%%) %.1f steps/s, ETA %s | %s%s%n", task, step, total,
                    100.0 * step / total, rate, duration(eta), latest, evalText);
            lastLine = now;
            lastLineStep = step;
        }
    }

    @Override
    public void onEval(long step, Map<String, Double> metrics) {
        StringBuilder b = new StringBuilder();
        if (metrics.containsKey("modes_covered")) {
            b.append(String.format(Locale.ROOT, " | modes %.0f/%.0f", metrics.get("modes_covered"),
                    metrics.get("modes_total")));
            if (metrics.get("high_quality_fraction") != null) {
                b.append(String.format(Locale.ROOT, " HQ %.2f", metrics.get("high_quality_fraction")));
            }
        }
        if (metrics.get("fid") != null) {
            b.append(String.format(Locale.ROOT, " FID %.4g", metrics.get("fid")));
        }
        if (metrics.containsKey("w1")) {
            b.append(String.format(Locale.ROOT, " W1 %.4f", metrics.get("w1")));
        }
        evalText = b.toString();
        if (bar != null) {
            bar.setExtraMessage(" | " + shortText + evalText);
        }
    }

    @Override
    public void onEnd(TrainResult result) {
        if (bar != null) {
            bar.stepTo(result.steps());
            bar.close();
            bar = null;
        }
    }

    static String format(Map<String, Double> stats, String... keys) {
        StringBuilder b = new StringBuilder();
        for (String k : keys) {
            Double v = stats.get(k);
            if (v != null) {
                if (b.length() > 0) {
                    b.append(' ');
                }
                b.append(k).append(' ').append(String.format(Locale.ROOT, "%.4g", v));
            }
        }
        return b.toString();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
