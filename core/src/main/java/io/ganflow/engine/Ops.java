package io.ganflow.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Small tensor helpers, so that the rest of ganflow reads like the maths and not like JavaCPP plumbing.
 * All helpers return new tensors unless the name ends in an underscore.
 */
public final class Ops {
    static {
        Engine.ensureLoaded();
    }

    private Ops() {}

    // ---- creation -----------------------------------------------------------------------------------

    // Options are immutable in libtorch (every setter returns a copy), so one instance of each is shared: a
    // fresh one per call cost a native allocation and a release per random draw and per tensor created.
    private static final TensorOptions FLOAT = Scope.outlive(new TensorOptions(torch.ScalarType.Float));
    private static final TensorOptions DOUBLE = Scope.outlive(new TensorOptions(torch.ScalarType.Double));
    private static final TensorOptions LONG = Scope.outlive(new TensorOptions(torch.ScalarType.Long));
    private static final TensorOptions BYTE = Scope.outlive(new TensorOptions(torch.ScalarType.Byte));

    public static TensorOptions floatOptions() {
        return FLOAT;
    }

    public static TensorOptions doubleOptions() {
        return DOUBLE;
    }

    static TensorOptions longOptions() {
        return LONG;
    }

    static TensorOptions byteOptions() {
        return BYTE;
    }

    public static Scalar s(double v) {
        return new Scalar(v);
    }

    public static Tensor zeros(long... shape) {
        return torch.zeros(shape, floatOptions());
    }

    public static Tensor ones(long... shape) {
        return torch.ones(shape, floatOptions());
    }

    public static Tensor full(double value, long... shape) {
        return torch.full(shape, s(value), floatOptions());
    }

    /** A float32 tensor holding a copy of {@code data}, row-major, with the given shape. */
    public static Tensor fromFloats(float[] data, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape holds " + n + " values but data has " + data.length);
        }
        Tensor t = torch.empty(shape, floatOptions(), null);
        if (data.length > 0) {
            t.data_ptr_float().put(data);
        }
        return t;
    }

    /** An int64 tensor (class labels, indices) holding a copy of {@code data}, shape (data.length). */
    public static Tensor fromLongs(long[] data) {
        Tensor t = torch.empty(new long[] {data.length}, longOptions(), null);
        if (data.length > 0) {
            t.data_ptr_long().put(data);
        }
        return t;
    }

    /**
     * One-hot rows (n, classes) of int64 labels (n), of {@code like}'s type and device: a constant, never part
     * of a gradient.
     */
    public static Tensor oneHot(Tensor labels, int classes, Tensor like) {
        return torch.one_hot(labels, classes).to(like.device(), like.scalar_type());
    }

    /** The values of an int64 tensor (class labels, indices), copied to the host. */
    public static long[] toLongs(Tensor t) {
        Tensor c = t.to(torch.ScalarType.Long).contiguous().cpu();
        long[] out = new long[(int) c.numel()];
        if (out.length > 0) {
            c.data_ptr_long().get(out);
        }
        return out;
    }

    /** A float32 (n, d) tensor from a row-major double matrix. */
    public static Tensor fromRows(double[][] rows) {
        int n = rows.length;
        int d = n == 0 ? 0 : rows[0].length;
        float[] flat = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                flat[i * d + j] = (float) rows[i][j];
            }
        }
        return fromFloats(flat, n, d);
    }

    /** A float64 (n, d) tensor from a row-major double matrix, without rounding. */
    public static Tensor fromRowsExact(double[][] rows) {
        int n = rows.length;
        int d = n == 0 ? 0 : rows[0].length;
        double[] flat = new double[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i], 0, flat, i * d, d);
        }
        return fromDoubles(flat, n, d);
    }

    /** A float64 tensor from doubles. */
    public static Tensor fromDoubles(double[] data, long... shape) {
        Tensor t = torch.empty(shape, doubleOptions(), null);
        if (data.length > 0) {
            t.data_ptr_double().put(data);
        }
        return t;
    }

    /**
     * A tensor on the device of the run's training state ({@link Engine#device}): itself when it is there
     * already, else a copy. Noise drawn on the host for sampling a network goes through here.
     */
    public static Tensor toDevice(Tensor t) {
        return onDevice(t, Engine.device());
    }

    /**
     * A tensor on {@code d}: itself when it is there already, else a copy. To a GPU, the host tensor is first copied
     * into pinned memory (libtorch's caching host allocator) and sent asynchronously, so the host does not wait for
     * the GPU's queue to drain: a copy from ordinary memory would be a full synchronisation at every draw and batch.
     */
    public static Tensor onDevice(Tensor t, Device d) {
        if (Device.of(t) == d) {
            return t;
        }
        if (d == Device.CUDA && !t.is_cuda()) {
            return t.pin_memory().to(d.torch(), t.scalar_type(), true, false, NO_MEMORY_FORMAT);
        }
        return t.to(d.torch(), t.scalar_type());
    }

    private static final org.bytedeco.pytorch.MemoryFormatOptional NO_MEMORY_FORMAT = Scope.outlive(
            new org.bytedeco.pytorch.MemoryFormatOptional());

    /** A tensor on the host: itself for a CPU tensor, else a copy (which waits for the device). */
    public static Tensor toHost(Tensor t) {
        return t.is_cuda() || t.is_meta() ? t.cpu() : t;
    }

    /** All values of a tensor as float32, row-major (copied from the device first where it is elsewhere). */
    public static float[] toFloats(Tensor t) {
        Tensor c = toHost(t.detach()).to(torch.ScalarType.Float).contiguous();
        float[] out = new float[(int) c.numel()];
        if (out.length > 0) {
            c.data_ptr_float().get(out);
        }
        return out;
    }

    /** All values of a tensor as float64, row-major. */
    public static double[] toDoubles(Tensor t) {
        Tensor c = toHost(t.detach()).to(torch.ScalarType.Double).contiguous();
        double[] out = new double[(int) c.numel()];
        if (out.length > 0) {
            c.data_ptr_double().get(out);
        }
        return out;
    }

    /** An (n, d) tensor as a double matrix. */
    public static double[][] toRows(Tensor t) {
        if (t.dim() != 2) {
            throw new IllegalArgumentException("expected a 2-D tensor, got " + t.dim() + " dimensions");
        }
        int n = (int) t.size(0);
        int d = (int) t.size(1);
        double[] flat = toDoubles(t);
        double[][] rows = new double[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, rows[i], 0, d);
        }
        return rows;
    }

    /** The value of a one-element tensor. This synchronises with the device. */
    public static double item(Tensor t) {
        return t.item_double();
    }

    public static long[] shape(Tensor t) {
        long[] s = new long[(int) t.dim()];
        for (int i = 0; i < s.length; i++) {
            s[i] = t.size(i);
        }
        return s;
    }

    // ---- arithmetic with scalars ----------------------------------------------------------------------

    public static Tensor mul(Tensor a, double v) {
        return a.mul(s(v));
    }

    public static Tensor add(Tensor a, double v) {
        return a.add(s(v));
    }

    /** v − a. */
    public static Tensor rsub(double v, Tensor a) {
        return a.neg().add(s(v));
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return a.sub(b);
    }

    /** x Wᵀ + b; in bfloat16 under {@link Precision#BF16} (float32 in and out). */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        if (Precision.lowers(x)) {
            return Precision.high(linearIn(Precision.low(x), Precision.low(w), Precision.low(b)));
        }
        return linearIn(x, w, b);
    }

    private static Tensor linearIn(Tensor x, Tensor w, Tensor b) {
        return b == null ? torch.linear(x, w) : torch.linear(x, w, new TensorOptional(b));
    }

    /** The matrix product a·b; in bfloat16 under {@link Precision#BF16} (float32 in and out). */
    public static Tensor mm(Tensor a, Tensor b) {
        if (Precision.lowers(a)) {
            return Precision.high(Precision.low(a).mm(Precision.low(b)));
        }
        return a.mm(b);
    }

    /**
     * A 2-D convolution (no dilation, one group), bias optional; in bfloat16 under {@link Precision#BF16}
     * (float32 in and out).
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, long stride, long padding) {
        if (Precision.lowers(x)) {
            return Precision.high(conv2dIn(Precision.low(x), Precision.low(w), Precision.low(b), stride, padding));
        }
        return conv2dIn(x, w, b, stride, padding);
    }

    private static Tensor conv2dIn(Tensor x, Tensor w, Tensor b, long stride, long padding) {
        return torch.conv2d(x, w, optional(b), new long[] {stride, stride}, new long[] {padding, padding},
                new long[] {1, 1}, 1);
    }

    /**
     * A transposed 2-D convolution (no output padding or dilation, one group), weight (in, out, k, k), bias
     * optional; in bfloat16 under {@link Precision#BF16} (float32 in and out).
     */
    public static Tensor convTranspose2d(Tensor x, Tensor w, Tensor b, long stride, long padding) {
        if (Precision.lowers(x)) {
            return Precision.high(convTranspose2dIn(Precision.low(x), Precision.low(w), Precision.low(b), stride,
                    padding));
        }
        return convTranspose2dIn(x, w, b, stride, padding);
    }

    private static Tensor convTranspose2dIn(Tensor x, Tensor w, Tensor b, long stride, long padding) {
        return torch.conv_transpose2d(x, w, optional(b), new long[] {stride, stride}, new long[] {padding, padding},
                new long[] {0, 0}, 1, 1, 1);
    }

    private static TensorOptional optional(Tensor t) {
        return t == null ? new TensorOptional() : new TensorOptional(t);
    }

    public static Tensor softplus(Tensor x) {
        return torch.softplus(x);
    }

    public static Tensor logSigmoid(Tensor x) {
        return torch.log_sigmoid(x);
    }

    public static Tensor clamp(Tensor x, double lo, double hi) {
        return torch.clamp(x, new ScalarOptional(s(lo)), new ScalarOptional(s(hi)));
    }

    /** Clamps x to [lo, hi] in place. */
    public static Tensor clamp_(Tensor x, double lo, double hi) {
        return x.clamp_(new ScalarOptional(s(lo)), new ScalarOptional(s(hi)));
    }

    public static Tensor mean(Tensor x) {
        return x.mean();
    }

    /** The Euclidean norm of each row of an (n, d) tensor, shape (n); same as {@link #sampleNorm} on 2-D tensors. */
    public static Tensor rowNorm(Tensor x) {
        return sampleNorm(x);
    }

    /** The squared Euclidean norm of each row of an (n, d) tensor, shape (n); see {@link #sampleSquaredNorm}. */
    public static Tensor rowSquaredNorm(Tensor x) {
        return sampleSquaredNorm(x);
    }

    // ---- per-sample helpers for batches (n, s1, s2, ...) ---------------------------------------------------

    /** The non-batch dimensions 1 … k − 1 of a k-dimensional batch (empty for a 1-D tensor). */
    public static long[] sampleDims(Tensor x) {
        long[] dims = new long[(int) Math.max(0, x.dim() - 1)];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = i + 1;
        }
        return dims;
    }

    /**
     * The Euclidean norm of each sample of a batch (n, s1, s2, ...) over all its non-batch dimensions (the
     * Frobenius norm of an image), shape (n). On (n, d) this is the norm of each row; on (n) the absolute value.
     */
    public static Tensor sampleNorm(Tensor x) {
        if (x.dim() < 2) {
            return x.abs();
        }
        return x.norm(new ScalarOptional(s(2.0)), sampleDims(x), false);
    }

    /** The squared Euclidean norm of each sample over all its non-batch dimensions, shape (n). */
    public static Tensor sampleSquaredNorm(Tensor x) {
        if (x.dim() < 2) {
            return x.square();
        }
        return x.square().sum(sampleDims(x), false, null);
    }

    /** ⟨aᵢ, bᵢ⟩ for each sample i of two batches of the same shape, summed over all non-batch dimensions, shape (n). */
    public static Tensor sampleDot(Tensor a, Tensor b) {
        Tensor p = a.mul(b);
        return p.dim() < 2 ? p : p.sum(sampleDims(p), false, null);
    }

    /**
     * A per-sample value (shape (n) or (n, 1)) viewed as (n, 1, …, 1) with as many dimensions as {@code like},
     * so that it broadcasts over every non-batch dimension of a batch of that shape: an interpolation weight α
     * or a flow time t applied to images. Values and their order are unchanged.
     */
    public static Tensor perSample(Tensor v, Tensor like) {
        long[] shape = new long[(int) Math.max(2, like.dim())];
        java.util.Arrays.fill(shape, 1);
        shape[0] = v.size(0);
        return v.reshape(shape);
    }

    /** A batch (n, s1, s2, ...) flattened to (n, s1·s2·…); an (n, d) tensor is returned as it is. */
    public static Tensor flatten(Tensor x) {
        return x.dim() == 2 ? x : x.reshape(x.size(0), -1);
    }

    /** The shape (n, shape...) of a batch of n samples of the given sample shape. */
    public static long[] batchShape(long n, long[] sampleShape) {
        long[] s = new long[sampleShape.length + 1];
        s[0] = n;
        System.arraycopy(sampleShape, 0, s, 1, sampleShape.length);
        return s;
    }

    public static Tensor cat(List<Tensor> parts, long dim) {
        return torch.cat(new TensorVector(parts.toArray(new Tensor[0])), dim);
    }

    // ---- autograd --------------------------------------------------------------------------------------

    /**
     * The gradients of a scalar {@code output} with respect to {@code inputs}. With {@code createGraph}
     * the result is itself differentiable, which gradient penalties need (double backward).
     */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, boolean createGraph) {
        return grad(output, null, inputs, createGraph, createGraph);
    }

    /**
     * The vector–Jacobian product of {@code output} with {@code gradOutput} (ones if null) with respect to
     * each of {@code inputs}. Inputs the output does not depend on get a zero gradient.
     */
    public static List<Tensor> grad(Tensor output, Tensor gradOutput, List<Tensor> inputs, boolean retainGraph,
            boolean createGraph) {
        Tensor go = gradOutput != null ? gradOutput : torch.ones_like(output);
        TensorVector res = torch.grad(new TensorVector(output), new TensorVector(inputs.toArray(new Tensor[0])),
                new TensorVector(go), new BoolOptional(retainGraph), createGraph, true);
        List<Tensor> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            // an owning handle: get(i) points into the vector, which the garbage collector may free once this
            // method returns (outside a scope), leaving the caller a dangling tensor
            Tensor g = new Tensor(res.get(i));
            out.add(g.defined() ? g : torch.zeros_like(inputs.get(i)));
        }
        return out;
    }

    /** ∇ₓ Σᵢ f(x)ᵢ for a per-sample output f(x) of shape (n) or (n, 1): each row's input gradient. */
    public static Tensor inputGrad(Tensor output, Tensor x, boolean createGraph) {
        return grad(output, null, List.of(x), createGraph, createGraph).get(0);
    }

    /** Runs {@code body} with autograd recording off. */
    public static <R> R noGrad(Supplier<R> body) {
        return withGradMode(false, body);
    }

    /** Runs {@code body} with autograd recording on (a small graph inside a pass that records nothing). */
    public static <R> R withGrad(Supplier<R> body) {
        return withGradMode(true, body);
    }

    private static <R> R withGradMode(boolean on, Supplier<R> body) {
        boolean prev = GradMode.is_enabled();
        GradMode.set_enabled(on);
        try {
            return body.get();
        } finally {
            GradMode.set_enabled(prev);
        }
    }

    /** Runs {@code body} with autograd recording off. */
    public static void noGrad(Runnable body) {
        noGrad(() -> {
            body.run();
            return null;
        });
    }

    /** A leaf copy of x that records gradients. */
    public static Tensor requiringGrad(Tensor x) {
        Tensor t = x.detach().clone();
        t.set_requires_grad(true);
        return t;
    }

    /** True if every element is finite. Synchronises. */
    public static boolean allFinite(Tensor t) {
        return torch.isfinite(t).all().item_bool();
    }
}
