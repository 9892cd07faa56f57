package io.ganflow.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.gan.AuxClassifierLoss;
import io.ganflow.gan.CriticBatch;
import io.ganflow.gan.GeneratorBatch;
import java.util.List;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The projection critic and AC-GAN's critic and loss against their formulas, evaluated by hand in double precision
 * on an identity body (so the features are the input): D(x, y) = w·x + b + E_y·x and ∂D/∂x = w + E_y (Miyato &amp;
 * Koyama 2018, eq. 3); AC-GAN's terms λ(CE(real) + CE(fake)) and λ·CE(fake) with CE(l, y) = log Σ_k e^{l_k} − l_y
 * (Odena et al. 2017, eq. 2).
 */
class ConditionalCriticsTest {
    /** The identity on (n, F): its features are the input. */
    private static final Module IDENTITY = new Module() {
        @Override
        public Tensor forward(Tensor x) {
            return x;
        }

        @Override
        public List<Parameter> parameters() {
            return List.of();
        }
    };

    private static double[][] rows(Tensor t) {
        return Ops.toRows(t.detach());
    }

    private static double[] param(Module m, String name) {
        return m.parameters().stream().filter(p -> p.name().equals(name)).findFirst().map(p -> Ops.toDoubles(
                p.value().detach())).orElseThrow();
    }

    @Test
    void projectionIsTheLinearTermPlusTheClassInnerProduct() {
        try (Scope s = Scope.open()) {
            int f = 5;
            int k = 3;
            ProjectionCritic d = new ProjectionCritic(IDENTITY, f, k, new Rng(4));
            double[] w = param(d, "projection.weight");
            double b = param(d, "projection.bias")[0];
            double[] table = param(d, "projection.embedding");
            Tensor x = Ops.requiringGrad(new Rng(5).normal(6, f));
            long[] y = {0, 1, 2, 2, 1, 0};
            Tensor out = d.forward(x, Ops.fromLongs(y));
            Tensor g = Ops.inputGrad(out, x, false);
            double[][] xs = rows(x);
            double[][] gs = rows(g);
            double[][] outs = rows(out);
            for (int i = 0; i < y.length; i++) {
                double want = b;
                for (int j = 0; j < f; j++) {
                    want += (w[j] + table[(int) y[i] * f + j]) * xs[i][j];
                    assertEquals(w[j] + table[(int) y[i] * f + j], gs[i][j], 1e-6, "dD/dx at row " + i);
                }
                assertEquals(want, outs[i][0], 1e-5, "D at row " + i);
            }
        }
    }

    @Test
    void aConvCriticTakesTheClassAsConstantChannels() {
        try (Scope s = Scope.open()) {
            LabelConcat c = LabelConcat.channels(IDENTITY, 3);
            Tensor x = new Rng(9).normal(2, 1, 4, 4);
            float[] in = Ops.toFloats(x);
            float[] out = Ops.toFloats(c.forward(x, Ops.fromLongs(new long[] {2, 0})));
            // (2, 1 + 3, 4, 4): channel 0 the image, channel 1 + y all ones, the other class channels zeros
            assertEquals(2 * 4 * 16, out.length);
            long[] y = {2, 0};
            for (int i = 0; i < 2; i++) {
                for (int ch = 0; ch < 4; ch++) {
                    for (int p = 0; p < 16; p++) {
                        float want = ch == 0 ? in[i * 16 + p] : ch == 1 + y[i] ? 1f : 0f;
                        assertEquals(want, out[(i * 4 + ch) * 16 + p], 0f, "sample " + i + ", channel " + ch);
                    }
                }
            }
        }
    }

    /** log Σ_k e^{l_k} − l_y, in double precision. */
    private static double crossEntropy(double[] logits, int y) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - max);
        }
        return max + Math.log(sum) - logits[y];
    }

    private static double meanCe(double[][] rows, long[] y) {
        double total = 0;
        for (int i = 0; i < rows.length; i++) {
            total += crossEntropy(java.util.Arrays.copyOfRange(rows[i], 1, rows[i].length), (int) y[i]);
        }
        return total / rows.length;
    }

    @Test
    void acganReadsTheFirstOutputAndAddsTheClassCrossEntropy() {
        try (Scope s = Scope.open()) {
            int k = 4;
            AuxClassifierCritic d = new AuxClassifierCritic(IDENTITY, k);
            Rng rng = new Rng(6);
            Tensor real = Ops.mul(rng.normal(8, 1 + k), 2.0);
            Tensor fake = Ops.mul(rng.normal(8, 1 + k), 2.0);
            long[] y = {0, 1, 2, 3, 3, 2, 1, 0};
            Tensor labels = Ops.fromLongs(y);
            // the critic's output is column 0 whatever the class
            assertEquals(rows(real.narrow(1, 0, 1))[3][0], rows(d.forward(real, labels))[3][0], 0.0);
            assertEquals(rows(d.forward(real, labels))[3][0], rows(d.forward(real, Ops.fromLongs(new long[8])))[3][0],
                    0.0);
            double lambda = 0.7;
            AuxClassifierLoss loss = new AuxClassifierLoss(lambda);
            double critic = Ops.item(loss.criticTerm(new CriticBatch(d, real, fake, rng, Optional.of(labels))));
            assertEquals(lambda * (meanCe(rows(real), y) + meanCe(rows(fake), y)), critic, 1e-5);
            double gen = Ops.item(loss.generatorTerm(new GeneratorBatch(d, IDENTITY, fake, () -> real,
                    Optional.of(labels))));
            assertEquals(lambda * meanCe(rows(fake), y), gen, 1e-5);
        }
    }
}
