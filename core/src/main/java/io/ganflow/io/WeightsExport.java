package io.ganflow.io;

import io.ganflow.BadInputException;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import io.ganflow.nn.VelocityNet;
import io.ganflow.nn.Activation;
import io.ganflow.nn.BatchNorm;
import io.ganflow.nn.Conv2d;
import io.ganflow.nn.ConvTranspose2d;
import io.ganflow.nn.DcganCritic;
import io.ganflow.nn.DcganGenerator;
import io.ganflow.nn.GroupNorm;
import io.ganflow.nn.ImageSize;
import io.ganflow.nn.Linear;
import io.ganflow.nn.Mlp;
import io.ganflow.nn.Module;
import io.ganflow.nn.Norm;
import io.ganflow.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Moves the weights of ganflow networks to and from PyTorch through safetensors files.
 *
 * <p><b>Names.</b> An {@link Mlp} of depth d is exported as the state_dict of
 * {@code nn.Sequential(Linear, act, Linear, act, …, Linear)}: hidden layer i (ganflow's {@code layer<i>}) is
 * the Linear at index 2i, its activation sits at index 2i + 1, and the output layer is the Linear at 2d. So
 * depth 3 gives {@code 0.weight, 0.bias, 2.weight, 2.bias, 4.weight, 4.bias, 6.weight, 6.bias}. The activation
 * modules hold no parameters ({@code none} is an {@code nn.Identity}). Weights are (out, in) in both
 * ganflow and {@code nn.Linear}, so nothing is transposed. A {@link VelocityNet} is a module with a submodule
 * {@code mlp} (the MLP above, on [x, e(t)]) and a submodule {@code time} holding the buffer {@code freqs} of
 * shape (1, E/2): names {@code mlp.0.weight, …, time.freqs}, with e(t) = [sin(t·freqs), cos(t·freqs)] (t a
 * column (n, 1), the product a matrix product) and, as a module, input [x, t] with t in the last column.
 * tools/torch_load.py rebuilds both in PyTorch from the metadata of {@link #architecture}.
 *
 * <p>An MLP with batch norm ({@code model.g.bn}) is {@code nn.Sequential(Linear, BatchNorm1d, act, …, Linear)}:
 * hidden layer i's Linear at 3i, its BatchNorm1d at 3i + 1 (ganflow's {@code bn<i>}), its activation at 3i + 2,
 * the output Linear at 3d.
 *
 * <p>A {@link DcganGenerator} with k halvings is {@code nn.Sequential(Linear(z, c·b_H·b_W, bias=False),
 * Unflatten(1, (c, b_H, b_W)), BatchNorm2d(c), ReLU, [ConvTranspose2d(c, c/2, 4, 2, 1, bias=False),
 * BatchNorm2d(c/2), ReLU] × (k − 1), ConvTranspose2d(w, C, 4, 2, 1), Tanh)} with c = w·2^(k−1): fc at 0, bn0 at
 * 2, up_i at 3i + 1, bn_i at 3i + 2, out at 3k + 1. A {@link DcganCritic} is {@code nn.Sequential(Conv2d(C, w,
 * 4, 2, 1), LeakyReLU(0.2), [Conv2d(c, 2c, 4, 2, 1), norm, LeakyReLU(0.2)] × (k − 1), Flatten, Linear)}, the
 * norm a BatchNorm2d (batch, conv without bias), a GroupNorm(1, 2c) (layer) or absent (none, two entries per
 * block instead of three). Batch norms export {@code weight}, {@code bias}, {@code running_mean},
 * {@code running_var} and {@code num_batches_tracked}; ganflow does not count batches and writes 0 (PyTorch
 * reads the count only when momentum is None), and ignores the count on load. PyTorch's {@code eval()} mode
 * reproduces ganflow's evaluation mode.
 *
 * <p>A {@link io.ganflow.nn.UNet} keeps its own names, which are those of bench/peers/torchnets.py's
 * {@code UNet} ({@code time1.weight}, {@code down0.norm1.weight}, …), except that its frequency buffer
 * {@code time.freqs} is {@code freqs}; as a module its input is [x flattened, t]. A class-conditional velocity,
 * ε or score net ({@link io.ganflow.nn.LabelledVelocityNet}) exports its net under {@code net.} and its class table
 * as {@code label.embedding} (classes + 1 rows, the last one the null class ∅ of classifier-free guidance), which
 * is added to the net's time embedding; its input is [x, t, y].
 *
 * <p><b>Values.</b> Tensors keep the parameter's precision (F32, or F64 for double-precision networks). A
 * spectrally normalised layer exports its effective weight W/σ(W) ({@link Mlp#effectiveWeight}, computed with
 * autograd off, so the power iteration does not advance): a plain {@code nn.Linear} then reproduces
 * ganflow's forward pass with autograd off. Minibatch discrimination and virtual batch normalisation have no
 * {@code nn.Sequential} equivalent and are refused.
 */
public final class WeightsExport {
    private WeightsExport() {}

    /**
     * An exported name's ganflow tensor (what {@link #load} writes) and its exported value; a batch counter
     * (raw null) is exported as int64 0 and ignored by {@link #load}.
     */
    private record Target(Tensor raw, Supplier<Tensor> exported) {
        boolean counter() {
            return raw == null;
        }
    }

    private static final Target COUNTER = new Target(null, null);

    /**
     * The module's tensors under their PyTorch state_dict names, each prefixed with {@code prefix} verbatim
     * (pass {@code ""}, or e.g. {@code "generator."}), as F32 (F64 for double-precision parameters).
     *
     * @throws BadInputException for an MLP with minibatch discrimination or virtual batch normalisation
     * @throws BadInputException for a module that is not an {@link Mlp}, {@link VelocityNet},
     *     {@link io.ganflow.nn.UNet}, {@link DcganGenerator} or {@link DcganCritic}, a conditional generator around
     *     one, or a class-conditional velocity, ε or score net ({@link io.ganflow.nn.LabelledVelocityNet}) around a
     *     VelocityNet or UNet (ResNets and the conditional critics are not exported yet)
     */
    public static Map<String, SafeTensor> stateDict(Module module, String prefix) {
        Map<String, SafeTensor> out = new LinkedHashMap<>();
        try (Scope s = Scope.open()) {
            Ops.noGrad(() -> {
                for (Map.Entry<String, Target> e : targets(module).entrySet()) {
                    if (e.getValue().counter()) {
                        out.put(prefix + e.getKey(), SafeTensor.ofLongs(new long[] {0}));
                        continue;
                    }
                    Tensor t = e.getValue().exported().get();
                    long[] shape = Ops.shape(t);
                    out.put(prefix + e.getKey(), isDouble(t)
                            ? SafeTensor.ofDoubles(Ops.toDoubles(t), shape)
                            : SafeTensor.ofFloats(Ops.toFloats(t), shape));
                }
            });
        }
        return out;
    }

    /**
     * String metadata from which tools/torch_load.py rebuilds the network: {@code format=pt},
     * {@code producer=ganflow}, {@code kind} ({@code mlp}, {@code velocity}, {@code dcgan}), {@code in}, {@code out},
     * {@code width}, {@code depth}, {@code activation} (a key of {@link Activation}; leaky_relu adds
     * {@code leaky_relu_slope}), {@code dtype}, {@code layout} (the naming convention in words), and
     * {@code spectral_norm} (comma-separated layer indices whose weights are exported normalised) if any. A
     * velocity network adds {@code dim}, {@code embedding} and {@code embed_dim}; its {@code in}, {@code out},
     * … describe the inner MLP. An MLP with batch norm adds {@code batch_norm=true} and {@code batch_norm_eps}.
     * A DCGAN net has {@code kind=dcgan}, {@code role} (g or d), {@code channels}, {@code height},
     * {@code image_width}, {@code halvings}, {@code base_h}, {@code base_w}, {@code width} (base channels),
     * {@code batch_norm_eps}, {@code batch_norm_momentum}, {@code dtype}, {@code layout}, the generator
     * {@code z_dim}, the critic {@code norm} and {@code leaky_relu_slope}, and {@code spectral_norm} (ganflow's
     * part names, e.g. {@code conv1,fc}) if any.
     *
     * @throws BadInputException for a module that is not an {@link Mlp}, {@link VelocityNet},
     *     {@link io.ganflow.nn.UNet}, {@link DcganGenerator} or {@link DcganCritic}, a conditional generator around
     *     one, or a class-conditional velocity, ε or score net ({@link io.ganflow.nn.LabelledVelocityNet}) around a
     *     VelocityNet or UNet (ResNets and the conditional critics are not exported yet)
     */
    public static Map<String, String> architecture(Module module) {
        Optional<Module> inner = conditionalInner(module);
        if (inner.isPresent()) {
            Map<String, String> m = architecture(inner.get());
            int classes = module instanceof io.ganflow.nn.LabelledVelocityNet v ? v.classes()
                    : ((io.ganflow.nn.ConditionalModule) module).classes();
            m.put("classes", Integer.toString(classes));
            String base = m.get("layout");
            if (module instanceof io.ganflow.nn.LabelEmbedding e) {
                m.put("condition", "embedding");
                m.put("label_dim", Long.toString(e.table().size(1)));
                m.put("layout", "net: " + base + "; label.embedding (classes, label_dim); input [z, y] with the class"
                        + " y in the last column; net([z, embedding[y]])");
            } else if (module instanceof io.ganflow.nn.LabelledVelocityNet v) {
                m.put("condition", "time_embedding");
                m.put("label_dim", Long.toString(v.table().size(1)));
                m.put("layout", "net: " + base + "; label.embedding (classes + 1, label_dim), row classes the null class"
                        + " of classifier-free guidance; input [x, t, y] with t and the class y in the last two columns;"
                        + " the net with the time embedding e(t) + label.embedding[y]");
            } else if (module instanceof io.ganflow.nn.ClassNormGenerator) {
                m.put("condition", "batchnorm");
                m.put("layout", "net: " + base + "; cbn<i>.gain and cbn<i>.shift (classes, C_i) for the i-th BatchNorm2d"
                        + " of net: its output h becomes h * (1 + gain[y]) + shift[y]; input [z, y] with the class y in"
                        + " the last column");
            } else {
                m.put("condition", "onehot");
                m.put("layout", "net: " + base + "; input [x, y] with the class y in the last column; net([x,"
                        + " one_hot(y, classes)])");
            }
            return m;
        }
        if (module instanceof io.ganflow.nn.Reshaped r) {
            Map<String, String> m = architecture(r.inner());
            m.put("reshape", "flattened input, output reshaped per sample (image nets)");
            return m;
        }
        Map<String, String> m = new TreeMap<>();
        m.put("format", "pt");
        m.put("producer", "ganflow");
        if (module instanceof DcganGenerator g) {
            dcganArchitecture(m, "g", g.imageSize(), g.width(), g);
            m.put("z_dim", Integer.toString(g.zDim()));
            m.put("layout", "nn.Sequential: Linear(z_dim, c*base_h*base_w, bias=False) at 0, Unflatten(1, (c, base_h,"
                    + " base_w)) at 1, BatchNorm2d(c) at 2, ReLU at 3; for i = 1 .. halvings-1: ConvTranspose2d(c, c/2,"
                    + " 4, 2, 1, bias=False) at 3i+1, BatchNorm2d(c/2) at 3i+2, ReLU at 3i+3, c halving each time;"
                    + " ConvTranspose2d(width, channels, 4, 2, 1) at 3*halvings+1, Tanh; c = width*2^(halvings-1);"
                    + " evaluation mode (running statistics) reproduces ganflow's sampling");
            return m;
        }
        if (module instanceof DcganCritic d) {
            dcganArchitecture(m, "d", d.imageSize(), d.width(), d);
            m.put("norm", d.norm().key());
            m.put("leaky_relu_slope", "0.2");
            m.put("layout", "nn.Sequential: Conv2d(channels, width, 4, 2, 1) at 0, LeakyReLU(0.2) at 1; for i = 1 .."
                    + " halvings-1: Conv2d(c, 2c, 4, 2, 1, bias = norm != batch), then BatchNorm2d(2c) (norm=batch) or"
                    + " GroupNorm(1, 2c) (norm=layer) or nothing (norm=none), LeakyReLU(0.2), c doubling from width;"
                    + " Flatten; Linear(c*base_h*base_w, 1)");
            return m;
        }
        if (module instanceof io.ganflow.nn.UNet u) {
            long[] shape = u.shape();
            m.put("kind", "unet");
            m.put("channels", Long.toString(shape[0]));
            m.put("height", Long.toString(shape[1]));
            m.put("image_width", Long.toString(shape[2]));
            m.put("width", Long.toString(u.width()));
            m.put("embed_dim", Integer.toString(u.embedDim()));
            m.put("max_frequency", Double.toString(io.ganflow.nn.UNet.MAX_FREQUENCY));
            m.put("group_norm_eps", Double.toString(io.ganflow.nn.GroupNorm.EPS));
            m.put("dtype", isDouble(u.parameters().get(0).value()) ? "F64" : "F32");
            m.put("layout", "freqs (1, embed_dim/2); e = time2(SiLU(time1([sin(t freqs), cos(t freqs)]))); in Conv2d(C,"
                    + " w, 3); down0 TimeResBlock(w, w); pool Conv2d(w, w, 3, 2, 1); down1 (w, 2w); mid (2w, 2w); up1"
                    + " ([h, s1]: 4w, 2w); upconv nearest x2 then Conv2d(2w, 2w, 3); up0 ([h, s0]: 3w, w); out"
                    + " Conv2d(w, C, 3) after outnorm and SiLU; a TimeResBlock is conv1(SiLU(norm1 x)) + temb(SiLU e),"
                    + " conv2(SiLU(norm2 h)), plus x or shortcut(x) (1x1 conv); module input [x flattened, t]");
            return m;
        }
        if (module instanceof VelocityNet) {
            VelocityNet v = (VelocityNet) module;
            mlpArchitecture(v.mlp(), m);
            m.put("kind", "velocity");
            m.put("dim", Integer.toString(v.dim()));
            m.put("embedding", v.embedding());
            m.put("embed_dim", Integer.toString(v.embedDim()));
            m.put("layout", "mlp: " + m.get("layout") + "; time.freqs (1, embed_dim/2): e(t) = [sin(t freqs),"
                    + " cos(t freqs)], mlp input [x, e(t)]; module input [x, t]");
        } else if (module instanceof Mlp) {
            mlpArchitecture((Mlp) module, m);
        } else {
            throw unsupported(module);
        }
        return m;
    }

    private static void dcganArchitecture(Map<String, String> m, String role, ImageSize size, long width,
            io.ganflow.nn.Composite net) {
        m.put("kind", "dcgan");
        m.put("role", role);
        m.put("channels", Long.toString(size.channels()));
        m.put("height", Long.toString(size.height()));
        m.put("image_width", Long.toString(size.width()));
        m.put("halvings", Integer.toString(size.halvings()));
        m.put("base_h", Long.toString(size.baseH()));
        m.put("base_w", Long.toString(size.baseW()));
        m.put("width", Long.toString(width));
        m.put("batch_norm_eps", Double.toString(BatchNorm.EPS));
        m.put("batch_norm_momentum", Double.toString(BatchNorm.MOMENTUM));
        m.put("dtype", isDouble(net.parameters().get(0).value()) ? "F64" : "F32");
        List<String> sn = new ArrayList<>();
        for (Parameter b : net.buffers()) {
            if (b.name().endsWith(".sn_u")) {
                sn.add(b.name().substring(0, b.name().length() - ".sn_u".length()));
            }
        }
        if (!sn.isEmpty()) {
            m.put("spectral_norm", String.join(",", sn));
        }
    }

    private static void mlpArchitecture(Mlp mlp, Map<String, String> m) {
        m.put("kind", "mlp");
        m.put("in", Integer.toString(mlp.in()));
        m.put("out", Integer.toString(mlp.out()));
        m.put("width", Integer.toString(mlp.width()));
        m.put("depth", Integer.toString(mlp.depth()));
        m.put("activation", mlp.activation().key());
        if (mlp.activation() == Activation.LEAKY_RELU) {
            m.put("leaky_relu_slope", "0.2");
        }
        boolean doubles = isDouble(mlp.parameters().get(0).value());
        m.put("dtype", doubles ? "F64" : "F32");
        if (mlp.batchNorm()) {
            m.put("batch_norm", "true");
            m.put("batch_norm_eps", Double.toString(BatchNorm.EPS));
            m.put("layout", "nn.Sequential: Linear at 3i, BatchNorm1d at 3i+1 and activation at 3i+2 for hidden layer"
                    + " i < depth, output Linear at 3*depth; weight (out, in)");
        } else {
            m.put("layout", "nn.Sequential: Linear at 2i and activation at 2i+1 for hidden layer i < depth,"
                    + " output Linear at 2*depth; weight (out, in)");
        }
        List<String> sn = new ArrayList<>();
        for (Parameter b : mlp.buffers()) {
            if (b.name().endsWith(".sn_u")) {
                sn.add(b.name().substring("layer".length(), b.name().length() - ".sn_u".length()));
            }
        }
        if (!sn.isEmpty()) {
            m.put("spectral_norm", String.join(",", sn));
        }
    }

    /** Writes {@code stateDict(module, "")} with {@code architecture(module)} as metadata to {@code file}. */
    public static void save(Path file, Module module) throws IOException {
        Safetensors.write(file, stateDict(module, ""), architecture(module));
    }

    /**
     * Copies tensors named {@code prefix + name} from {@code file} into the module's parameters (and a
     * velocity network's {@code time.freqs}), converting any floating-point dtype to the parameter's. Tensors
     * whose names do not start with {@code prefix} are ignored; all checks pass before anything is copied.
     * For a spectrally normalised layer the file's weight becomes the raw weight W, which forward passes
     * divide by the power-iteration estimate σ(W), so a weight exported normalised (σ ≈ 1) is divided once
     * more by that estimate; the power-iteration vector is kept.
     *
     * @throws BadInputException naming the file and the tensor if one the module needs is missing, one under
     *     the prefix is not one the module has, or a dtype or shape does not match
     */
    public static void load(Module module, SafetensorsFile file, String prefix) {
        Map<String, Target> targets = targets(module);
        for (String name : file.tensors().keySet()) {
            if (name.startsWith(prefix) && !targets.containsKey(name.substring(prefix.length()))) {
                throw new BadInputException(file.path() + ": unexpected tensor '" + name + "' for " + module
                        + "; expected " + names(targets, prefix));
            }
        }
        for (Map.Entry<String, Target> e : targets.entrySet()) {
            String name = prefix + e.getKey();
            SafeTensor t = file.tensors().get(name);
            if (e.getValue().counter()) {
                continue; // num_batches_tracked: optional, ignored
            }
            if (t == null) {
                throw new BadInputException(file.path() + ": missing tensor '" + name + "' for " + module
                        + "; expected " + names(targets, prefix));
            }
            long[] want = Ops.shape(e.getValue().raw());
            if (!t.dtype().isFloatingPoint()) {
                throw new BadInputException(file.path() + ": tensor '" + name + "' has dtype " + t.dtype()
                        + ", expected a floating-point dtype");
            }
            if (!Arrays.equals(t.shape(), want)) {
                throw new BadInputException(file.path() + ": tensor '" + name + "' has shape "
                        + Arrays.toString(t.shape()) + " but " + module + " expects " + Arrays.toString(want));
            }
        }
        try (Scope s = Scope.open()) {
            Ops.noGrad(() -> {
                for (Map.Entry<String, Target> e : targets.entrySet()) {
                    if (e.getValue().counter()) {
                        continue;
                    }
                    SafeTensor t = file.tensors().get(prefix + e.getKey());
                    Tensor raw = e.getValue().raw();
                    raw.copy_(isDouble(raw)
                            ? Ops.fromDoubles(t.doubles(), t.shape())
                            : Ops.fromFloats(t.floats(), t.shape()));
                }
            });
        }
    }

    /** JavaCPP hands back a fresh enum object for a native value: intern() gives the constant. */
    private static boolean isDouble(Tensor t) {
        return t.scalar_type().intern() == torch.ScalarType.Double;
    }

    private static String names(Map<String, Target> targets, String prefix) {
        List<String> n = new ArrayList<>();
        for (Map.Entry<String, Target> e : targets.entrySet()) {
            if (!e.getValue().counter()) {
                n.add(prefix + e.getKey());
            }
        }
        return n.size() <= 12 ? String.join(", ", n) : String.join(", ", n.subList(0, 12)) + ", …";
    }

    /** The exported names of a module in state_dict order, with their tensors. */
    private static Map<String, Target> targets(Module module) {
        Optional<Module> inner = conditionalInner(module);
        if (inner.isPresent()) {
            Map<String, Target> out = new LinkedHashMap<>();
            targets(inner.get()).forEach((k, v) -> out.put("net." + k, v));
            if (module instanceof io.ganflow.nn.LabelEmbedding e) {
                Tensor t = e.table();
                out.put("label.embedding", new Target(t, () -> t));
            } else if (module instanceof io.ganflow.nn.LabelledVelocityNet v) {
                Tensor t = v.table();
                out.put("label.embedding", new Target(t, () -> t));
            } else if (module instanceof io.ganflow.nn.ClassNormGenerator g) {
                for (int i = 0; i < g.norms(); i++) {
                    Tensor gain = g.gain(i);
                    Tensor shift = g.shift(i);
                    out.put("cbn" + i + ".gain", new Target(gain, () -> gain));
                    out.put("cbn" + i + ".shift", new Target(shift, () -> shift));
                }
            }
            return out;
        }
        if (module instanceof io.ganflow.nn.Reshaped r) {
            return targets(r.inner());
        }
        Map<String, Target> out = new LinkedHashMap<>();
        if (module instanceof io.ganflow.nn.UNet u) {
            // the parts' names are PyTorch's (bench/peers/torchnets.py's UNet); no layer is spectrally normalised
            for (Parameter p : u.parameters()) {
                Tensor t = p.value();
                out.put(p.name(), new Target(t, () -> t));
            }
            Tensor freqs = find(u.buffers(), "time.freqs", u);
            out.put("freqs", new Target(freqs, () -> freqs));
        } else if (module instanceof VelocityNet) {
            VelocityNet v = (VelocityNet) module;
            mlpTargets(v.mlp(), "mlp.", out);
            Tensor freqs = find(v.buffers(), "time.freqs", v);
            out.put("time.freqs", new Target(freqs, () -> freqs));
        } else if (module instanceof Mlp) {
            mlpTargets((Mlp) module, "", out);
        } else if (module instanceof DcganGenerator g) {
            int k = g.imageSize().halvings();
            linearTargets((Linear) g.part("fc"), "0.", out);
            batchNormTargets((BatchNorm) g.part("bn0"), "2.", out);
            for (int i = 1; i < k; i++) {
                convTransposeTargets((ConvTranspose2d) g.part("up" + i), (3 * i + 1) + ".", out);
                batchNormTargets((BatchNorm) g.part("bn" + i), (3 * i + 2) + ".", out);
            }
            convTransposeTargets((ConvTranspose2d) g.part("out"), (3 * k + 1) + ".", out);
        } else if (module instanceof DcganCritic d) {
            int k = d.imageSize().halvings();
            convTargets((Conv2d) d.part("conv0"), "0.", out);
            int index = 2;
            for (int i = 1; i < k; i++) {
                convTargets((Conv2d) d.part("conv" + i), index + ".", out);
                index++;
                if (d.norm() == Norm.BATCH) {
                    batchNormTargets((BatchNorm) d.part("norm" + i), index + ".", out);
                    index++;
                } else if (d.norm() == Norm.LAYER) {
                    GroupNorm n = (GroupNorm) d.part("norm" + i);
                    plainTargets(n.parameters(), index + ".", out);
                    index++;
                }
                index++; // LeakyReLU
            }
            linearTargets((Linear) d.part("fc"), (index + 1) + ".", out); // after Flatten
        } else {
            throw unsupported(module);
        }
        return out;
    }

    private static void linearTargets(Linear l, String prefix, Map<String, Target> out) {
        Tensor w = find(l.parameters(), "weight", l);
        out.put(prefix + "weight", new Target(w, l::effectiveWeight));
        if (l.hasBias()) {
            Tensor b = find(l.parameters(), "bias", l);
            out.put(prefix + "bias", new Target(b, () -> b));
        }
    }

    private static void convTargets(Conv2d c, String prefix, Map<String, Target> out) {
        Tensor w = find(c.parameters(), "weight", c);
        out.put(prefix + "weight", new Target(w, c::effectiveWeight));
        if (c.hasBias()) {
            Tensor b = find(c.parameters(), "bias", c);
            out.put(prefix + "bias", new Target(b, () -> b));
        }
    }

    private static void convTransposeTargets(ConvTranspose2d c, String prefix, Map<String, Target> out) {
        Tensor w = find(c.parameters(), "weight", c);
        out.put(prefix + "weight", new Target(w, c::effectiveWeight));
        if (c.hasBias()) {
            Tensor b = find(c.parameters(), "bias", c);
            out.put(prefix + "bias", new Target(b, () -> b));
        }
    }

    private static void plainTargets(List<Parameter> tensors, String prefix, Map<String, Target> out) {
        for (Parameter p : tensors) {
            Tensor t = p.value();
            out.put(prefix + p.name(), new Target(t, () -> t));
        }
    }

    /** weight, bias, running_mean, running_var, num_batches_tracked: nn.BatchNorm's state_dict. */
    private static void batchNormTargets(BatchNorm bn, String prefix, Map<String, Target> out) {
        plainTargets(bn.parameters(), prefix, out);
        plainTargets(bn.buffers(), prefix, out);
        out.put(prefix + "num_batches_tracked", COUNTER);
    }

    private static void mlpTargets(Mlp mlp, String prefix, Map<String, Target> out) {
        for (Parameter p : mlp.parameters()) {
            if (!p.name().startsWith("layer") && !p.name().startsWith("bn")) {
                throw new BadInputException(mlp + " has parameter " + p.name() + " (minibatch discrimination or"
                        + " virtual batch norm), which has no nn.Sequential equivalent; it cannot be exported"
                        + " or loaded");
            }
        }
        int stride = mlp.batchNorm() ? 3 : 2;
        for (int i = 0; i <= mlp.depth(); i++) {
            int layer = i;
            Tensor w = find(mlp.parameters(), "layer" + i + ".weight", mlp);
            Tensor b = find(mlp.parameters(), "layer" + i + ".bias", mlp);
            out.put(prefix + (stride * i) + ".weight", new Target(w, () -> mlp.effectiveWeight(layer)));
            out.put(prefix + (stride * i) + ".bias", new Target(b, () -> b));
            if (mlp.batchNorm() && i < mlp.depth()) {
                String bn = prefix + (stride * i + 1) + ".";
                for (String n : List.of("weight", "bias")) {
                    Tensor t = find(mlp.parameters(), "bn" + i + "." + n, mlp);
                    out.put(bn + n, new Target(t, () -> t));
                }
                for (String n : List.of("running_mean", "running_var")) {
                    Tensor t = find(mlp.buffers(), "bn" + i + "." + n, mlp);
                    out.put(bn + n, new Target(t, () -> t));
                }
                out.put(bn + "num_batches_tracked", COUNTER);
            }
        }
    }

    private static Tensor find(List<Parameter> params, String name, Module owner) {
        for (Parameter p : params) {
            if (p.name().equals(name)) {
                return p.value();
            }
        }
        throw new IllegalStateException(owner + " has no tensor " + name);
    }

    /**
     * The plain net inside a conditional generator that export supports (the one-hot or embedding beside z, conditional
     * batch norm); empty for an unconditional module.
     *
     * @throws BadInputException for a conditional net export does not support (the conditional critics)
     */
    private static Optional<Module> conditionalInner(Module module) {
        if (module instanceof io.ganflow.nn.LabelEmbedding e) {
            return Optional.of(e.net());
        }
        if (module instanceof io.ganflow.nn.ClassNormGenerator g) {
            return Optional.of(g.net());
        }
        if (module instanceof io.ganflow.nn.LabelledVelocityNet v) {
            return Optional.of(v.net());
        }
        if (module instanceof io.ganflow.nn.LabelConcat c && !c.asChannels()) {
            return Optional.of(c.net());
        }
        if (module instanceof io.ganflow.nn.ConditionalModule) {
            throw new BadInputException("weights export supports conditional generators (one-hot or embedding beside"
                    + " z, conditional batch norm) but not " + module.getClass().getSimpleName() + "; export the"
                    + " generator (--what generator)");
        }
        return Optional.empty();
    }

    private static BadInputException unsupported(Module module) {
        return new BadInputException("weights export supports Mlp, VelocityNet, UNet, DcganGenerator and DcganCritic,"
                + " not "
                + module.getClass().getSimpleName());
    }
}
