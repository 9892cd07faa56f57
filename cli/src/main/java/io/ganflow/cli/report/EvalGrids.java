package io.ganflow.cli.report;

import io.ganflow.data.Dataset;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.run.TrainingRun;
import io.ganflow.train.Listener;
import io.ganflow.train.Method;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * For image data: at every evaluation, an 8 × 8 grid of generated images from one fixed latent draw
 * ({@link #COUNT} latents from the stream {@value #STREAM} of the run's seed, the same at every evaluation), so
 * the grids of a run differ only by the model and read as its progress. Written to
 * {@code grids/step-NNNNNNNNN.png} in the run directory; the same PNG is TensorBoard's picture of the
 * evaluation ({@link EvalPicture}). Sampling runs in evaluation mode and without gradient, from its own
 * generator, so it never changes training; it costs one generator pass on 64 latents per evaluation.
 *
 * <p>A resumed session first deletes the grids of steps after its checkpoint (what an interrupted session drew
 * past it), as metrics.jsonl is truncated to the checkpoint.
 */
public final class EvalGrids implements Listener {
    /** Images per grid: 8 × 8. */
    public static final int COUNT = 64;
    /** The name of the latent stream, derived from {@code train.seed}. */
    public static final String STREAM = "eval/grid";
    /** The folder of the grids in a run directory. */
    public static final String FOLDER = "grids";
    private static final Pattern NAME = Pattern.compile("step-(\\d{9,})\\.png");

    private final Method method;
    private final Dataset data;
    private final long[] chw;
    private final long seed;
    private final Optional<Path> root;
    private long lastStep = -1;
    private byte[] last;

    /**
     * @param root the run directory, if grids are written (TensorBoard pictures only need {@link #png})
     */
    public EvalGrids(Method method, Dataset data, long[] chw, long seed, Optional<Path> root) {
        this.method = method;
        this.data = data;
        this.chw = chw.clone();
        this.seed = seed;
        this.root = root;
    }

    /**
     * For a run on image data: a grid listener writing into the run's directory, added to the run. Empty for
     * points. Call before {@link TrainingRun#train()}.
     */
    public static Optional<EvalGrids> attach(TrainingRun tr) {
        Optional<long[]> shape = ImageGrid.imageShape(tr.data());
        if (shape.isEmpty()) {
            return Optional.empty();
        }
        EvalGrids g = new EvalGrids(tr.method(), tr.data(), shape.get(), tr.config().getLong("train.seed"),
                tr.directory());
        tr.addListener(g);
        return Optional.of(g);
    }

    /** The fixed latent draw's images under the method's current weights, in evaluation mode. */
    public static ImageGrid.Pixels samples(Method method, Dataset data, long[] chw, long seed, int n) {
        try (Scope s = Scope.open()) {
            return ImageGrid.inEvalMode(method, () -> ImageGrid.pixels(
                    data.standardizer().toData(method.sample(n, Rng.derived(seed, STREAM))), chw));
        }
    }

    /** Rows of a conditional method's grid: one per class, at most {@value #MAX_CLASS_ROWS}. */
    public static final int MAX_CLASS_ROWS = 16;

    /**
     * The grid of the method as it is now, as PNG bytes: {@link #COUNT} images, 8 per row; for a conditional method
     * one row of 8 per class (classes 0, 1, … in turn, at most {@value #MAX_CLASS_ROWS} rows).
     */
    public static byte[] grid(Method method, Dataset data, long[] chw, long seed) {
        int k = method.classes();
        if (k == 0) {
            return ImageGrid.png(samples(method, data, chw, seed, COUNT));
        }
        int rows = Math.min(k, MAX_CLASS_ROWS);
        long[] labels = new long[8 * rows];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i / 8;
        }
        try (Scope s = Scope.open()) {
            ImageGrid.Pixels p = ImageGrid.inEvalMode(method, () -> ImageGrid.pixels(data.standardizer().toData(
                    method.sample(io.ganflow.train.SampleRequest.of(labels.length, Rng.derived(seed, STREAM))
                            .withLabels(labels)).x()), chw));
            return ImageGrid.png(ImageGrid.render(p, 8));
        }
    }

    /** The grid at {@code step} as PNG bytes; drawn once per step and shared with TensorBoard. */
    public byte[] png(long step) {
        if (step != lastStep || last == null) {
            last = grid(method, data, chw, seed);
            lastStep = step;
        }
        return last;
    }

    @Override
    public void onStart(long startStep, long totalSteps) {
        if (root.isEmpty() || startStep == 0) {
            return;
        }
        for (long s : steps(root.get())) {
            if (s > startStep) {
                try {
                    Files.deleteIfExists(file(root.get(), s));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    @Override
    public void onEval(long step, Map<String, Double> metrics) {
        if (root.isEmpty()) {
            return;
        }
        Path f = file(root.get(), step);
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        try {
            Files.createDirectories(f.getParent());
            Files.write(tmp, png(step));
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code grids/step-NNNNNNNNN.png} of a run directory. */
    public static Path file(Path root, long step) {
        return root.resolve(FOLDER).resolve(String.format("step-%09d.png", step));
    }

    /** The steps of the grids in a run directory, ascending; empty without grids. */
    public static List<Long> steps(Path root) {
        Path dir = root.resolve(FOLDER);
        List<Long> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.add(Long.parseLong(m.group(1)));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }
}
