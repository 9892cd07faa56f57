package io.ganflow.cli;

import io.ganflow.experiment.Progress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One bar over a whole experiment: live with an ETA on a terminal, otherwise a line every 10 % (at most every
 * 30 s) and whenever the experiment moves to another condition.
 */
final class ExperimentProgress implements Progress {
    private final PrintStream out;
    private final boolean terminal;
    private ProgressBar bar;
    private String task = "";
    private long total;
    private long done;
    private long t0;
    private long lastLine;
    private long lastLineDone;
    private String status = "";

    ExperimentProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void start(String task, long totalUnits) {
        this.task = task;
        this.total = Math.max(1, totalUnits);
        t0 = System.nanoTime();
        lastLine = t0;
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250).setConsumer(new ConsoleProgressBarConsumer(out))
                    .startsFrom(0, Duration.ZERO).build();
        } else {
            out.printf(Locale.ROOT, "%s: %d units of work%n", task, total);
        }
    }

    @Override
    public synchronized void advance(long units) {
        done = Math.min(total, done + units);
        if (bar != null) {
            bar.stepTo(done);
            return;
        }
        long now = System.nanoTime();
        if ((done - lastLineDone) * 10 >= total || now - lastLine > 30e9) {
            line(now);
        }
    }

    private void line(long now) {
        double secs = (now - t0) / 1e9;
        double eta = done == 0 ? Double.NaN : secs * (total - done) / done;
        out.printf(Locale.ROOT, "%s: %.0f%% after %s%s | %s%n", task, 100.0 * done / total,
                ProgressListener.duration(secs), Double.isFinite(eta) ? ", ETA " + ProgressListener.duration(eta) : "",
                status);
        lastLine = now;
        lastLineDone = done;
    }

    @Override
    public synchronized void status(String text) {
        boolean changed = !text.equals(status);
        status = text;
        if (bar != null) {
            bar.setExtraMessage(" " + text);
        } else if (changed && System.nanoTime() - lastLine > 5e9) {
            line(System.nanoTime());
        }
    }

    @Override
    public synchronized void end() {
        if (bar != null) {
            bar.stepTo(total);
            bar.close();
            bar = null;
        }
    }
}
