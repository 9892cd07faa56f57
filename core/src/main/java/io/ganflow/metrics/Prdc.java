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
 */
public final class Prdc {
    private Prdc() {}

    public record Result(double precision, double recall, double density, double coverage, int kPrecisionRecall,
            int kDensityCoverage) {}

    public static Result compute(Tensor real, Tensor fake) {
        return compute(real, fake, 3, 5);
    }

    public static Result compute(Tensor real, Tensor fake, int kPr, int kDc) {
        try (Scope s = Scope.open()) {
            Tensor x = real.to(torch.ScalarType.Double);
            Tensor y = fake.to(torch.ScalarType.Double);
            Tensor dxy = torch.cdist(x, y); // (n, m)
            Tensor rx3 = Ops.fromDoubles(Knn.radii(x, kPr), x.size(0), 1);
            Tensor ry3 = Ops.fromDoubles(Knn.radii(y, kPr), 1, y.size(0));
            Tensor rx5 = Ops.fromDoubles(Knn.radii(x, kDc), x.size(0), 1);
            Tensor inRealBall3 = dxy.le(rx3); // y_j in B(x_i)
            Tensor inFakeBall3 = dxy.le(ry3); // x_i in B(y_j)
            Tensor inRealBall5 = dxy.le(rx5);
            double precision = fraction(inRealBall3.any(0));
            double recall = fraction(inFakeBall3.any(1));
            double density = Ops.item(inRealBall5.to(torch.ScalarType.Double).sum()) / ((double) kDc * y.size(0));
            double coverage = fraction(inRealBall5.any(1));
            return new Result(precision, recall, density, coverage, kPr, kDc);
        }
    }

    private static double fraction(Tensor mask) {
        return Ops.item(mask.to(torch.ScalarType.Double).mean());
    }
}
