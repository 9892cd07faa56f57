package io.ganflow.cli.report;

import io.ganflow.data.Dataset;
import io.ganflow.engine.Ops;
import io.ganflow.train.Evaluator;
import io.ganflow.train.Method;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The picture of an evaluation for TensorBoard: samples.png's scatter of held-out against generated points
 * over the critic's contours, at the evaluation's step (760 x 760 pixels, about 100 kB). It draws with the
 * evaluator's fixed seeds and without gradient, so drawing it leaves training exactly as it would have been.
 */
public final class EvalPicture {
    private EvalPicture() {}

    /** PNG bytes for a step, or null for each step when the data has fewer than 2 dimensions. */
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
