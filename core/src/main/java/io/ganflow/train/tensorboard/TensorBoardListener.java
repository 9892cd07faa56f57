package io.ganflow.train.tensorboard;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import io.ganflow.nn.Parameter;
import io.ganflow.train.Listener;
import io.ganflow.train.Method;
import io.ganflow.train.TrainResult;
import io.ganflow.optim.Optimizer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Writes a run's progress as TensorBoard event files in the run directory, next to metrics.jsonl and with
 * the same names: each logged step's statistics as scalars {@code train/<key>}, each evaluation's metrics
 * as {@code eval/<key>}, optionally a PNG per evaluation ({@link #images}) and histograms of the trained
 * weights ({@link #histograms}). Every call's events are flushed at once, so TensorBoard can follow a run
 * live.
 *
 * <p>Each session (a fresh run, or each {@code --resume}) writes a new file. A resumed session starts it
 * with {@code session_log { status: START }} at the step after the checkpoint, which makes TensorBoard drop
 * what an interrupted session logged beyond the checkpoint, so the timeline has no step twice.
 */
public final class TensorBoardListener implements Listener, AutoCloseable {
    private final Path dir;
    private DoubleSupplier clock = () -> System.currentTimeMillis() / 1000.0;
    private int histogramsEvery;
    private Supplier<Map<String, float[]>> weights;
    private String imageTag;
    private LongFunction<byte[]> images;
    private EventFileWriter writer;
    private Path file;
    private long lastHistogramStep = -1;
    private boolean ended;

    /** Writes into {@code dir}, usually the run directory. */
    public TensorBoardListener(Path dir) {
        this.dir = dir;
    }

    /**
     * Histograms of {@code weights} (tag to values) at the first logged step of a fresh run and then at the
     * first logged step at or after each multiple of {@code every}; 0 turns them off.
     */
    public TensorBoardListener histograms(int every, Supplier<Map<String, float[]>> weights) {
        if (every < 0) {
            throw new IllegalArgumentException("histogram interval must be >= 0: " + every);
        }
        this.histogramsEvery = every;
        this.weights = weights;
        return this;
    }

    /** After each evaluation, the PNG that {@code pngAtStep} returns for its step (null: none) under {@code tag}. */
    public TensorBoardListener images(String tag, LongFunction<byte[]> pngAtStep) {
        this.imageTag = tag;
        this.images = pngAtStep;
        return this;
    }

    /** The wall-time source of every event, in seconds since the epoch (tests fix it). */
    public TensorBoardListener clock(DoubleSupplier clock) {
        this.clock = clock;
        return this;
    }

    /** The file of the current (or last) session, or null before {@link #onStart}. */
    public Path file() {
        return file;
    }

    /**
     * The trained parameters of a method, read through its optimisers: tag {@code weights/<optimiser>/<name>}
     * (e.g. {@code weights/d/layer0.weight}) to a host copy of the values.
     */
    public static Supplier<Map<String, float[]>> weightsOf(Method method) {
        return () -> {
            Map<String, float[]> out = new LinkedHashMap<>();
            try (Scope s = Scope.open()) {
                for (Map.Entry<String, Optimizer> e : method.optimizers().entrySet()) {
                    for (Parameter p : e.getValue().parameters()) {
                        out.put("weights/" + e.getKey() + "/" + p.name(), Ops.toFloats(p.value()));
                    }
                }
            }
            return out;
        };
    }

    @Override
    public void onStart(long startStep, long totalSteps) {
        close();
        ended = false;
        writer = EventFileWriter.create(dir, clock);
        file = writer.file();
        if (startStep > 0) {
            // START at step s discards the steps >= s that TensorBoard read before; the checkpoint's own
            // step stays, the steps an interrupted session wrote past it go.
            writer.sessionStart(startStep + 1);
        }
        // a resumed session continues the histogram cadence instead of starting it again
        lastHistogramStep = startStep > 0 ? startStep : -1;
        writer.flush();
    }

    @Override
    public void onLog(long step, Map<String, Double> stats) {
        open().scalars(step, prefixed("train/", stats));
        if (histogramsDue(step)) {
            for (Map.Entry<String, float[]> e : weights.get().entrySet()) {
                Histogram h = Histogram.of(List.of(e.getValue()), Histogram.BUCKETS);
                if (h != null) {
                    writer.histogram(step, e.getKey(), h);
                }
            }
            lastHistogramStep = step;
        }
        writer.flush();
    }

    @Override
    public void onEval(long step, Map<String, Double> metrics) {
        open().scalars(step, prefixed("eval/", metrics));
        if (images != null) {
            byte[] png = images.apply(step);
            if (png != null) {
                writer.image(step, imageTag, png);
            }
        }
        writer.flush();
    }

    /** Writes one PNG image at {@code step}, for callers that render their own pictures. */
    public void image(long step, String tag, byte[] png) {
        open().image(step, tag, png);
        writer.flush();
    }

    @Override
    public void onEnd(TrainResult result) {
        close();
    }

    /** Closes the file; a later event needs a new {@link #onStart}. */
    @Override
    public void close() {
        ended = true;
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }

    private boolean histogramsDue(long step) {
        if (histogramsEvery <= 0 || weights == null) {
            return false;
        }
        return lastHistogramStep < 0 || step / histogramsEvery > lastHistogramStep / histogramsEvery;
    }

    private EventFileWriter open() {
        if (ended) {
            throw new IllegalStateException("the TensorBoard listener is closed");
        }
        if (writer == null) {
            onStart(0, 0);
        }
        return writer;
    }

    private static Map<String, Double> prefixed(String prefix, Map<String, Double> values) {
        Map<String, Double> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v != null) {
                out.put(prefix + k, v);
            }
        });
        return out;
    }
}
