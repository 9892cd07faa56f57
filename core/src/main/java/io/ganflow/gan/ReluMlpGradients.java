package io.ganflow.gan;

import io.ganflow.engine.Device;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Precision;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Mlp;
import io.ganflow.nn.Module;
import io.ganflow.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The gradients of a GAN update written out for plain ReLU MLPs, without autograd's graph: the toy critics and
 * generators of every built-in point preset. Autograd records a node per operation, saves its inputs, and runs
 * its engine once per update; for these nets the backward pass is a short, fixed sequence of products and ReLU
 * masks, which this class runs directly, merged where autograd runs them apart.
 *
 * <p>Notation: a net with hidden layers 0 … H−1 and output layer H, weights W_i (out × in) and biases b_i, input
 * a_{−1} = x, hidden activations a_i = relu(a_{i−1} W_iᵀ + b_i), output y = a_{H−1} W_Hᵀ + b_H. For a seed
 * S = ∂L/∂y (one row per input row), the backward chain is e_H = S, e_{i} = 1[a_i &gt; 0] ⊙ (e_{i+1} W_{i+1})
 * (each product and mask the very operation autograd's backward runs: mm, threshold_backward), and then
 * ∂L/∂W_i = e_iᵀ a_{i−1}, ∂L/∂b_i = Σ_rows e_i, ∂L/∂x = e_0 W_0.
 *
 * <p><b>Critic update</b> with the gradient penalty P(g), g = ∇ₓD(x̂) at the interpolates x̂ (centre 1 or 0):
 * <ol>
 *   <li>one forward pass over [real; fake; x̂] (N rows), recording nothing;</li>
 *   <li>s = ∂L/∂D on the real and fake rows: in closed form for the Wasserstein objective, else by autograd on a
 *       leaf copy of D's outputs (a graph of a few nodes);</li>
 *   <li>one chain over all N rows, seeded with s on the real and fake rows and with 1 on the interpolates' rows
 *       (the chain is row by row): on the former it is the loss's backward pass, on the latter ∇ₓD, g = e_0 W_0;</li>
 *   <li>P and v = ∂P/∂g in closed form, and the penalty's gradient in the weights, differentiating g = e_0 W_0
 *       back through the chain: t_0 = v, t_i = 1[a_{i−1} &gt; 0] ⊙ (t_{i−1} W_{i−1}ᵀ), ∂P/∂W_i = e_iᵀ t_i on the
 *       interpolates' rows (i &lt; H), ∂P/∂W_H = Σ_rows t_H; the masks do not depend on the weights almost
 *       everywhere (ReLU's second derivative is zero), so the biases get nothing from P;</li>
 *   <li>each weight's two parts in one product over all N rows: ∂/∂W_i = e_iᵀ [a_{i−1}; t_i], the interpolates'
 *       rows of the right factor replaced by t_i (written over the activations they no longer need).</li>
 * </ol>
 * The same products as autograd's (forward, backward and the penalty's double backward without its zero terms,
 * as {@link GradientPenalty}'s fast path counts them), in fewer, larger calls, with no graph. The results agree
 * with autograd's to float rounding: the merged products sum their rows in another order ({@code
 * ReluMlpGradientsTest}, which also checks them against finite differences).
 *
 * <p><b>Generator update</b>: forward through G and D recording nothing, s = ∂L_G/∂D (closed form or a leaf), D's chain seeded
 * with s down to ∂L/∂x̃ = e_0 W_0, then G's chain seeded with that, and G's weight gradients.
 *
 * <p>Used by {@link GanMethod} when both nets are plain ReLU MLPs (no batch, spectral or virtual batch norm, no
 * minibatch features), the critic on (n, d) points with one output, without instance noise, with no regularizer
 * other than one gradient penalty, in float32 (not under bf16 mixed precision). -Dganflow.gan.written_backward=false
 * turns it off (to compare); so does -Dganflow.gp.fast=false where there is a penalty, since it asks for the
 * penalty through autograd's double backward.
 */
final class ReluMlpGradients {
    static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("ganflow.gan.written_backward", "true"));
    private static final Scalar ZERO = Scope.outlive(new Scalar(0.0));
    private static final Scalar TINY = Scope.outlive(new Scalar(1e-30));

    private final Tensor[] w;
    private final Tensor[] b;
    /** The one constant this net's updates keep ({@link #constant}): the Wasserstein seed. */
    private String constantKey;
    private Tensor constantValue;

    private ReluMlpGradients(Tensor[] w, Tensor[] b) {
        this.w = w;
        this.b = b;
    }

    /**
     * The weights and biases of a plain ReLU MLP, layer by layer, or null for any other module: spectral norm and
     * virtual batch norm add buffers, minibatch features a parameter, so a plain MLP has exactly layer&lt;i&gt;.weight
     * and layer&lt;i&gt;.bias, in order.
     */
    static ReluMlpGradients of(Module m) {
        if (!(m instanceof Mlp mlp) || mlp.activation() != Activation.RELU || mlp.batchNorm()
                || !mlp.buffers().isEmpty()) {
            return null;
        }
        List<Parameter> ps = mlp.parameters();
        int layers = mlp.depth() + 1;
        if (ps.size() != 2 * layers) {
            return null;
        }
        Tensor[] w = new Tensor[layers];
        Tensor[] b = new Tensor[layers];
        for (int i = 0; i < layers; i++) {
            if (!ps.get(2 * i).name().equals("layer" + i + ".weight")
                    || !ps.get(2 * i + 1).name().equals("layer" + i + ".bias")) {
                return null;
            }
            w[i] = ps.get(2 * i).value();
            b[i] = ps.get(2 * i + 1).value();
        }
        return new ReluMlpGradients(w, b);
    }

    Tensor weight(int i) {
        return w[i];
    }

    Tensor bias(int i) {
        return b[i];
    }

    int hidden() {
        return w.length - 1;
    }

    /** True if the written-out updates apply now (float32, not under bf16 mixed precision). */
    static boolean applicableNow() {
        return ENABLED && Precision.current() == Precision.FP32;
    }

    /** The hidden activations a_0 … a_{H−1} of x, each ReLU applied in place on its layer's fresh output. */
    Tensor[] hiddenActivations(Tensor x) {
        Tensor[] a = new Tensor[hidden()];
        Tensor h = x;
        for (int i = 0; i < a.length; i++) {
            h = torch.relu_(Ops.linear(h, w[i], b[i]));
            a[i] = h;
        }
        return a;
    }

    /** The output layer on the first {@code rows} rows of the last hidden activation. */
    Tensor output(Tensor[] acts, long rows) {
        Tensor last = acts[acts.length - 1];
        return Ops.linear(rows == last.size(0) ? last : last.narrow(0, 0, rows), w[hidden()], b[hidden()]);
    }

    /**
     * The chain e_{H−1} … e_0 for the seed e_H = seed (one row per row of the activations). For a one-output net
     * the product seed·W_H is an outer product, taken as a broadcast multiplication (the same rounded products).
     */
    Tensor[] chain(Tensor seed, Tensor[] acts) {
        int h = hidden();
        Tensor[] e = new Tensor[h];
        Tensor top = seed.size(1) == 1 ? seed.mul(w[h]) : seed.mm(w[h]);
        // each mask applied in place on the product it masks (a fresh tensor), as the tangents below
        e[h - 1] = torch.threshold_backward_out(top, top, acts[h - 1], ZERO);
        for (int i = h - 1; i > 0; i--) {
            Tensor p = e[i].mm(w[i]);
            e[i - 1] = torch.threshold_backward_out(p, p, acts[i - 1], ZERO);
        }
        return e;
    }

    /**
     * The critic's gradients (in parameter order) of one critic update, its outputs, and its loss terms (the
     * objective's and the penalty's; null where not recorded, or no penalty).
     */
    record CriticUpdate(Tensor objectiveLoss, Tensor penalty, Tensor realOut, Tensor fakeOut, List<Tensor> grads) {}

    /**
     * One critic update's gradients for real and fake batches (n, d) and an optional gradient penalty, whose
     * interpolation weights α (one per real row) are drawn from {@code rng} as {@link GradientPenalty} draws them;
     * the loss terms where {@code record} asks for them.
     */
    CriticUpdate critic(Objective objective, GradientPenalty gp, Tensor real, Tensor fake, Rng rng, boolean record) {
        long nr = real.size(0);
        long nrf = nr + fake.size(0);
        Tensor x;
        if (gp != null) {
            Tensor alpha = rng.uniform(nr, 1).to(real.scalar_type());
            x = Ops.cat(List.of(real, fake, fake.add(alpha.mul(real.sub(fake)))), 0);
        } else {
            x = Ops.cat(List.of(real, fake), 0);
        }
        long n = x.size(0);
        long ni = n - nrf;
        int h = hidden();
        return Ops.noGrad(() -> {
            Tensor[] a = hiddenActivations(x);
            Tensor out = output(a, nrf);
            // s = ∂L/∂D(real; fake); the chain seeded with s on those rows and with 1 on the interpolates'
            Tensor[] loss = new Tensor[2];
            Tensor seed = criticSeed(objective, out, nr, ni, loss, record);
            Tensor[] e = chain(seed, a);
            Tensor[] in = new Tensor[h + 1];
            in[0] = x;
            System.arraycopy(a, 0, in, 1, h);
            if (gp != null) {
                // v = ∂P/∂g, and the penalty's tangents t_i, each written over the interpolates' rows of the
                // activation it masks with
                Tensor[] pv = penaltyAndGradient(gp, e[0].narrow(0, nrf, ni).mm(w[0]), record);
                loss[1] = pv[0];
                Tensor t = pv[1];
                x.narrow(0, nrf, ni).copy_(t);
                for (int i = 1; i <= h; i++) {
                    Tensor rows = in[i].narrow(0, nrf, ni);
                    t = torch.threshold_backward_out(rows, t.mm(w[i - 1].t()), rows, ZERO);
                }
            }
            List<Tensor> grads = new ArrayList<>(2 * (h + 1));
            for (int i = 0; i <= h; i++) {
                Tensor ei = i < h ? e[i] : seed;
                grads.add(ei.t().mm(in[i]));
                grads.add(ei.narrow(0, 0, nrf).sum(0));
            }
            return new CriticUpdate(loss[0], loss[1], out.narrow(0, 0, nr),
                    out.narrow(0, nr, nrf - nr), grads);
        });
    }

    /** The generator loss and the generator's gradients (in parameter order) of one generator update. */
    record GeneratorUpdate(Tensor loss, List<Tensor> grads) {}

    /** One generator update of {@code this} generator against {@code critic} on the noise batch z. */
    GeneratorUpdate generator(ReluMlpGradients critic, Objective objective, Tensor z) {
        int hg = hidden();
        return Ops.noGrad(() -> {
            Tensor[] ag = hiddenActivations(z);
            Tensor fake = output(ag, z.size(0));
            Tensor[] ad = critic.hiddenActivations(fake);
            Tensor out = critic.output(ad, fake.size(0));
            Tensor[] loss = new Tensor[1];
            Tensor s;
            if (objective == Objectives.WASSERSTEIN) {
                loss[0] = out.mean().neg();
                long n = out.size(0);
                s = constant("g " + n + " " + out.scalar_type() + " " + Device.of(out),
                        () -> out.new_full(new long[] {n, 1}, Ops.s(-1.0 / n)));
            } else {
                Tensor leaf = Ops.requiringGrad(out);
                s = Ops.withGrad(() -> {
                    loss[0] = objective.generatorLoss(leaf);
                    return Ops.grad(loss[0], List.of(leaf), false);
                }).get(0);
            }
            Tensor dx = critic.chain(s, ad)[0].mm(critic.w[0]);
            Tensor[] e = chain(dx, ag);
            List<Tensor> grads = new ArrayList<>(2 * (hg + 1));
            for (int i = 0; i <= hg; i++) {
                Tensor ei = i < hg ? e[i] : dx;
                grads.add(ei.t().mm(i == 0 ? z : ag[i - 1]));
                grads.add(ei.sum(0));
            }
            return new GeneratorUpdate(loss[0].detach(), grads);
        });
    }

    /**
     * The seed of the critic's chain: the gradient s of the critic loss in the outputs (real rows first), then
     * {@code ni} ones for the interpolates' rows; and the loss into {@code loss[0]}. For the Wasserstein objective,
     * E_q D − E_p D, s is −1/n on real rows and +1/n on generated ones, the same at every step (kept, with the loss
     * only if {@code record}); for any other objective s comes from autograd on a leaf copy of the outputs (a graph
     * of a few nodes on 2n numbers).
     */
    private Tensor criticSeed(Objective objective, Tensor out, long nr, long ni, Tensor[] loss, boolean record) {
        long nf = out.size(0) - nr;
        if (objective == Objectives.WASSERSTEIN) {
            if (record) {
                loss[0] = out.narrow(0, nr, nf).mean().sub(out.narrow(0, 0, nr).mean());
            }
            return constant("d " + nr + " " + nf + " " + ni + " " + out.scalar_type() + " " + Device.of(out),
                    () -> withOnes(Ops.cat(List.of(out.new_full(new long[] {nr, 1}, Ops.s(-1.0 / nr)),
                            out.new_full(new long[] {nf, 1}, Ops.s(1.0 / nf))), 0), ni));
        }
        Tensor leaf = Ops.requiringGrad(out);
        return withOnes(Ops.withGrad(() -> {
            // the views inside: made with recording off, they would cut the graph from the leaf
            Tensor l = objective.criticLoss(leaf.narrow(0, 0, nr), leaf.narrow(0, nr, nf));
            loss[0] = l.detach();
            return Ops.grad(l, List.of(leaf), false);
        }).get(0), ni);
    }

    private static Tensor withOnes(Tensor s, long ni) {
        return ni == 0 ? s : Ops.cat(List.of(s, s.new_ones(ni, 1)), 0);
    }

    /** A tensor that is the same at every step (for the same shapes, type and device), made once. */
    private Tensor constant(String key, java.util.function.Supplier<Tensor> make) {
        if (!key.equals(constantKey)) {
            constantValue = Scope.persistent(make.get());
            constantKey = key;
        }
        return constantValue;
    }

    /**
     * The penalty P at the input gradients g (n rows) and v = ∂P/∂g, in closed form: centre 1, P = λ·mean(‖gᵢ‖ − 1)²
     * and vᵢ = (2λ/n)·(‖gᵢ‖ − 1)·gᵢ/‖gᵢ‖ (0 where gᵢ = 0, as autograd's norm gradient); centre 0,
     * P = (λ/2)·mean ‖gᵢ‖² and vᵢ = (λ/n)·gᵢ. P only if {@code record} (else null).
     */
    static Tensor[] penaltyAndGradient(GradientPenalty gp, Tensor g, boolean record) {
        long n = g.size(0);
        if (gp.center() == 0) {
            return new Tensor[] {record ? gp.penaltyOf(g) : null, Ops.mul(g, gp.weight() / n)};
        }
        Tensor norm = Ops.sampleNorm(g).unsqueeze(1);
        Tensor dev = Ops.add(norm, -1.0);
        Tensor p = record ? Ops.mul(dev.square().mean(), gp.weight()) : null;
        // a zero row has a zero gradient: its norm, clamped away from 0, divides a zero row
        Tensor scale = dev.div(norm.clamp_min(TINY)).mul(Ops.s(2 * gp.weight() / n));
        return new Tensor[] {p, g.mul(scale)};
    }
}
