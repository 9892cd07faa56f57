package io.ganflow.metrics;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Precision and recall of a generated sample against a real one, by k-NN balls (Kynkäänniemi et al.
 * 2019), and density and coverage (Naeem et al. 2020).
 *
 * <ul>
 *   <li>precision: the fraction of generated points inside at least one real ball B(xᵢ, ρₖ(xᵢ));</li>
 *   <li>recall: the fraction of real points inside at least one generated ball B(yⱼ, ρₖ(yⱼ));</li>
 *   <li>density: (1/(k·m)) Σⱼ #{i : yⱼ ∈ B(xᵢ, ρₖ(xᵢ))}, which can exceed 1;</li>
 *   <li>coverage: the fraction of real balls that contain at least one generated point.</li>
 * </ul>
 * Protocol defaults: k = 3 for precision/recall (Kynkäänniemi), k = 5 for density/coverage (Naeem).
 * Exact distances in float64, taken in row chunks of at most 2²⁵ at a time (256 MiB), so 10,000 features
 * per side never hold the whole distance matrix.
 */
public final class Prdc {
    private Prdc() {}

    public record Result(double precision, double recall, double density, double coverage, int kPrecisionRecall,
            int kDensityCoverage) {}

    public static Result compute(Tensor real, Tensor fake) {
        return compute(real, fake, 3, 5);
    }

    public static Result compute(Tensor real, Tensor fake, int kPr, int kDc) {
        return compute(real, fake, kPr, kDc, Knn.CHUNK_ELEMENTS);
    }

    /** {@link #compute(Tensor, Tensor, int, int)} holding at most about {@code chunkElements} distances at once. */
    static Result compute(Tensor real, Tensor fake, int kPr, int kDc, long chunkElements) {
        try (Scope s = Scope.open()) {
            Tensor x = real.to(torch.ScalarType.Double);
            Tensor y = fake.to(torch.ScalarType.Double);
            long n = x.size(0);
            long m = y.size(0);
            double[] rx3 = Knn.radii(x, kPr, chunkElements);
            double[] rx5 = Knn.radii(x, kDc, chunkElements);
            Tensor ry3 = Ops.fromDoubles(Knn.radii(y, kPr, chunkElements), 1, m);
            // the (n, m) distances in row chunks (Knn.CHUNK_ELEMENTS at a time; one chunk for small samples)
            boolean[] inSomeRealBall3 = new boolean[(int) m]; // y_j in at least one B(x_i), over the chunks so far
            double recallHits = 0;
            double densityHits = 0;
            double coverageHits = 0;
            long rows = Knn.chunkRows(m, chunkElements);
            for (long a = 0; a < n; a += rows) {
                long len = Math.min(rows, n - a);
                try (Scope c = Scope.open()) {
                    Tensor dxy = torch.cdist(x.narrow(0, a, len), y); // (len, m)
                    Tensor rx3c = Ops.fromDoubles(java.util.Arrays.copyOfRange(rx3, (int) a, (int) (a + len)), len, 1);
                    Tensor rx5c = Ops.fromDoubles(java.util.Arrays.copyOfRange(rx5, (int) a, (int) (a + len)), len, 1);
                    Tensor inRealBall3 = dxy.le(rx3c); // y_j in B(x_i)
                    Tensor inFakeBall3 = dxy.le(ry3); // x_i in B(y_j)
                    Tensor inRealBall5 = dxy.le(rx5c);
                    double[] any = Ops.toDoubles(inRealBall3.any(0));
                    for (int j = 0; j < any.length; j++) {
                        inSomeRealBall3[j] |= any[j] > 0;
                    }
                    recallHits += count(inFakeBall3.any(1));
                    densityHits += count(inRealBall5);
                    coverageHits += count(inRealBall5.any(1));
                }
            }
            double precisionHits = 0;
            for (boolean b : inSomeRealBall3) {
                precisionHits += b ? 1 : 0;
            }
            double precision = precisionHits / m;
            return new Result(precision, recallHits / n, densityHits / ((double) kDc * m), coverageHits / n, kPr, kDc);
        }
    }

    private static double count(Tensor mask) {
        return Ops.item(mask.to(torch.ScalarType.Double).sum());
    }
}
