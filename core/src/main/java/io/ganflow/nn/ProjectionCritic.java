package io.ganflow.nn;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * The projection discriminator (Miyato &amp; Koyama 2018, eq. 3): D(x, y) = ψ(φ(x)) + ⟨E_y, φ(x)⟩. The body φ is
 * any critic net whose output is widened to F features; ψ is a linear map F → 1 and E a learned table of one
 * F-vector per class. The class enters only through the inner product with the features, the form the paper
 * derives from a log-linear model of p(y|x); a gradient with respect to x never passes through the label.
 */
public final class ProjectionCritic extends ClassWrapper {
    private final int features;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor table;

    /**
     * @param body the feature net φ: samples to (n, features)
     * @param features F, the width of φ's output
     * @param classes the classes (labels 0..classes-1)
     * @param rng draws ψ's weights and the table, N(0, 1/F) (bias 0)
     */
    public ProjectionCritic(Module body, int features, int classes, Rng rng) {
        super(body, classes);
        if (features < 1) {
            throw new IllegalArgumentException("features must be >= 1, got " + features);
        }
        this.features = features;
        double scale = 1 / Math.sqrt(features);
        this.weight = Ops.mul(rng.normal(features, 1), scale);
        this.bias = org.bytedeco.pytorch.global.torch.zeros(new long[] {1}, Ops.floatOptions());
        this.table = Ops.mul(rng.normal(classes, features), scale);
        for (Tensor t : List.of(weight, bias, table)) {
            t.set_requires_grad(true);
        }
    }

    public int features() {
        return features;
    }

    @Override
    public Tensor forward(Tensor x, Tensor labels) {
        Tensor h = net().forward(x);
        Tensor proj = table.index_select(0, labels).mul(h).sum(new long[] {1}, true, null);
        return h.matmul(weight).add(bias).add(proj);
    }

    @Override
    List<Parameter> own() {
        return List.of(new Parameter("projection.weight", weight), new Parameter("projection.bias", bias),
                new Parameter("projection.embedding", table));
    }
}
