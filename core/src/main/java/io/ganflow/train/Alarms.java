package io.ganflow.train;

import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Watches evaluations for mode collapse: modes covered falling, or W1 rising, for {@code evals}
 * evaluations in a row. It warns, and with {@code stop} asks the trainer to stop, which writes a checkpoint
 * of the current (finite) state. Divergence (NaN or Inf in a loss or a weight) is caught by the trainer
 * itself, which always stops and keeps the last good checkpoint.
 */
public final class Alarms implements Listener {
    private final int evals;
    private final boolean stop;
    private final Runnable requestStop;
    private final Consumer<String> warn;
    private Map<String, Double> previous;
    private int modesFalling;
    private int w1Rising;
    private boolean raised;

    /**
     * @param evals consecutive worsening evaluations that raise the alarm (0 turns it off)
     * @param stop true to stop the run when it fires
     * @param requestStop how to stop it (usually {@code trainer::requestStop})
     */
    public Alarms(int evals, boolean stop, Runnable requestStop, Consumer<String> warn) {
        this.evals = evals;
        this.stop = stop;
        this.requestStop = requestStop;
        this.warn = warn;
    }

    @Override
    public void onEval(long step, Map<String, Double> m) {
        if (evals <= 0) {
            return;
        }
        if (previous != null) {
            modesFalling = worse(m, "modes_covered", -1) ? modesFalling + 1 : 0;
            w1Rising = worse(m, "w1", +1) ? w1Rising + 1 : 0;
            String what = null;
            if (modesFalling >= evals) {
                what = String.format(Locale.ROOT, "modes covered fell for %d evaluations in a row (now %.0f)", modesFalling,
                        m.get("modes_covered"));
            } else if (w1Rising >= evals) {
                what = String.format(Locale.ROOT, "W1 rose for %d evaluations in a row (now %.4g)", w1Rising, m.get("w1"));
            }
            if (what != null && !raised) {
                raised = true;
                warn.accept("mode-collapse alarm at step " + step + ": " + what
                        + (stop ? "; stopping with a checkpoint" : "; training goes on (alarm.on_collapse=stop stops it)"));
                if (stop) {
                    requestStop.run();
                }
            }
        }
        previous = m;
    }

    /** True when metric {@code key} moved in direction {@code sign} (+1 up, −1 down) since the last evaluation. */
    private boolean worse(Map<String, Double> m, String key, int sign) {
        Double now = m.get(key);
        Double before = previous.get(key);
        return now != null && before != null && Math.signum(now - before) == sign;
    }

    public boolean raised() {
        return raised;
    }
}
