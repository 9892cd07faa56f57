package io.ganflow.train;

import io.ganflow.data.Dataset;
import io.ganflow.data.Standardizer;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.metrics.ModeMetrics;
import io.ganflow.metrics.ModeReport;
import io.ganflow.metrics.Transport;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * Evaluates a method's samples against held-out data. Every evaluation draws the same latent noise and
 * the same reference sample (fixed derived seeds), so successive evaluations differ only by the model,
 * and evaluating never touches the training generator.
 *
 * <p>Protocol: {@code samples} generated points for the mode metrics (2,500 by default, as in VEEGAN and
 * PacGAN); exact W1 (an optimal assignment, Euclidean cost, data space) between the first
 * {@code w1Samples} of them and as many held-out reference points; and, for methods with a critic, the
 * critic's estimate E_real f − E_generated f on those same points, so the two can be compared.
 */
public final class Evaluator {
    private final Dataset data;
    private final int samples;
    private final int w1Samples;
    private final long seed;

    public Evaluator(Dataset data, int samples, int w1Samples, long seed) {
        this.data = data;
        this.samples = samples;
        this.w1Samples = Math.min(w1Samples, Math.min(samples, Transport.MAX_EXACT));
        this.seed = seed;
        // Printed whatever the verbosity: it changes what the reported numbers mean.
        data.evaluatesOnTrainingData().ifPresent(w -> System.err.println("ganflow: warning: " + w));
    }

    public Map<String, Double> evaluate(Method method) {
        try (Scope s = Scope.open()) {
            Standardizer st = data.standardizer();
            Tensor genModel = method.sample(samples, Rng.derived(seed, "eval/generated"));
            double[][] gen = Ops.toRows(st.toData(genModel));
            for (double[] row : gen) {
                for (double v : row) {
                    if (!Double.isFinite(v)) {
                        throw new DivergenceException("training diverged: generated samples contain " + v
                                + " at evaluation");
                    }
                }
            }
            Map<String, Double> out = new LinkedHashMap<>();
            data.mixture().ifPresent(mix -> {
                ModeReport r = ModeMetrics.evaluate(gen, mix);
                out.put("modes_covered", (double) r.modesCovered());
                out.put("modes_total", (double) r.modesTotal());
                out.put("high_quality_fraction", r.highQualityFraction());
                out.put("reverse_kl_modes", r.reverseKl());
            });
            int m = Math.min(w1Samples, data.referenceSize());
            if (m >= 2) {
                Tensor refModel = data.reference(m, Rng.derived(seed, "eval/reference"));
                double[][] ref = Ops.toRows(st.toData(refModel));
                m = Math.min(m, ref.length);
                out.put("w1", Transport.exactW1(Arrays.copyOf(gen, m), Arrays.copyOf(ref, m)));
                out.put("w1_samples", (double) m);
                final int k = m;
                // The critic's own estimate on the very same points, next to the exact W1: for a 1-Lipschitz
                // critic it is a lower bound (Kantorovich–Rubinstein).
                method.critic().ifPresent(f -> out.put("critic_w_estimate",
                        Ops.item(f.apply(refModel.narrow(0, 0, k)).mean().sub(f.apply(genModel.narrow(0, 0, k)).mean()))));
            }
            out.putAll(method.diagnostics(samples, Rng.derived(seed, "eval/diagnostics")));
            return out;
        }
    }

    /** Generated samples in data space, for plots; same draws as the evaluation. */
    public double[][] samples(Method method, int n) {
        try (Scope s = Scope.open()) {
            Tensor t = data.standardizer().toData(method.sample(n, Rng.derived(seed, "eval/generated")));
            return Ops.toRows(t);
        }
    }

    /** Held-out reference samples in data space, for plots. */
    public double[][] reference(int n) {
        try (Scope s = Scope.open()) {
            int m = Math.min(n, data.referenceSize());
            return Ops.toRows(data.standardizer().toData(data.reference(m, Rng.derived(seed, "eval/reference"))));
        }
    }

    public int sampleCount() {
        return samples;
    }
}
