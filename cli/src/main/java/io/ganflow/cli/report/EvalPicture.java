package io.ganflow.cli.report;

import io.ganflow.data.Dataset;
import io.ganflow.engine.Ops;
import io.ganflow.train.Evaluator;
import io.ganflow.train.Method;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The picture of an evaluation for TensorBoard. Points: samples.png's scatter of held-out against generated
 * points over the critic's contours, at the evaluation's step (760 x 760 pixels, about 100 kB). Images: the
 * evaluation's grid of {@link EvalGrids} (the PNG written to grids/). Both draw with fixed seeds and without
 * gradient, so drawing them leaves training exactly as it would have been.
 */
public final class EvalPicture {
    private EvalPicture() {}

    /**
     * PNG bytes for a step: the grid of {@code grids} when given (image data), else the scatter; null for each
     * step when the data has fewer than 2 dimensions.
     */
    public static LongFunction<byte[]> source(String preset, Method method, Dataset data, Evaluator evaluator,
            Optional<EvalGrids> grids) {
        if (grids.isPresent()) {
            return grids.get()::png;
        }
        return source(preset, method, data, evaluator);
    }

    /** The scatter's PNG bytes for a step, or null for each step when the data has fewer than 2 dimensions. */
    public static LongFunction<byte[]> source(String preset, Method method, Dataset data, Evaluator evaluator) {
        return step -> {
            if (data.dim() < 2) {
                return null;
            }
            int n = Math.min(2000, evaluator.sampleCount());
            double[][] fake = evaluator.samples(method, n);
            double[][] real = evaluator.reference(n);
            Function<double[][], double[]> critic = data.dim() == 2 ? Report.criticField(method, data.standardizer())
                    : null;
            Function<double[][], double[]> field = critic == null ? null : pts -> Ops.noGrad(() -> critic.apply(pts));
            String title = preset + ", step " + step + ": real (blue) vs generated (red)"
                    + (field != null ? " over the critic" : ", first two coordinates");
            return FieldPlot.png(title, real, fake, field);
        };
    }
}
