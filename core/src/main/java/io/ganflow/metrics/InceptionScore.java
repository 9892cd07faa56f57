package io.ganflow.metrics;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The Inception-style score (Salimans et al. 2016) of a classifier's logits on generated samples:
 * exp(E_x KL(p(y|x) ‖ p(y))), p(y|x) = softmax of the logits (float64), p(y) the mean of p(y|x) over the
 * split. The n rows are cut, in their given order, into {@code splits} contiguous chunks
 * [i·n/splits, (i+1)·n/splits) (integer division); the result is the mean and the population standard
 * deviation of the per-chunk scores. It ranges from 1 (every sample gets the same class distribution) to K
 * (confident, and all K classes equally often). Default 10 splits. "Inception" only when the logits come
 * from the Inception network; with another classifier it is that classifier's score.
 */
public final class InceptionScore {
    public static final int DEFAULT_SPLITS = 10;

    private InceptionScore() {}

    /**
     * @param mean the mean of the per-split scores
     * @param std the population standard deviation of the per-split scores
     * @param splits the number of chunks
     * @param scores the score of each chunk
     */
    public record Result(double mean, double std, int splits, double[] scores) {}

    public static Result compute(Tensor logits) {
        return compute(logits, DEFAULT_SPLITS);
    }

    public static Result compute(Tensor logits, int splits) {
        long n = logits.size(0);
        if (logits.dim() != 2 || splits < 1 || n < splits) {
            throw new IllegalArgumentException("the score needs logits (n, K) and 1 <= splits <= n, got "
                    + java.util.Arrays.toString(Ops.shape(logits)) + " and " + splits + " splits");
        }
        double[] scores = new double[splits];
        try (Scope s = Scope.open()) {
            Tensor logp = torch.log_softmax(logits.to(torch.ScalarType.Double), 1);
            for (int i = 0; i < splits; i++) {
                long lo = i * n / splits;
                long hi = (i + 1) * n / splits;
                Tensor lp = logp.narrow(0, lo, hi - lo);
                Tensor p = lp.exp();
                Tensor logq = p.mean(new long[] {0}, true, null).log();
                double kl = Ops.item(p.mul(lp.sub(logq)).sum(new long[] {1}, false, null).mean());
                scores[i] = Math.exp(kl);
            }
        }
        double mean = 0;
        for (double v : scores) {
            mean += v;
        }
        mean /= splits;
        double var = 0;
        for (double v : scores) {
            var += (v - mean) * (v - mean);
        }
        return new Result(mean, Math.sqrt(var / splits), splits, scores);
    }
}
