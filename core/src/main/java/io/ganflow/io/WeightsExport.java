package io.ganflow.io;

import io.ganflow.BadInputException;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import io.ganflow.flow.VelocityNet;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Mlp;
import io.ganflow.nn.Module;
import io.ganflow.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p><b>Values.</b> Tensors keep the parameter's precision (F32, or F64 for double-precision networks). A
 * spectrally normalised layer exports its effective weight W/σ(W) ({@link Mlp#effectiveWeight}, computed with
 * autograd off, so the power iteration does not advance): a plain {@code nn.Linear} then reproduces
 * ganflow's forward pass with autograd off. Minibatch discrimination and virtual batch normalisation have no
 * {@code nn.Sequential} equivalent and are refused.
 */
public final class WeightsExport {
    private WeightsExport() {}

    /** An exported name's ganflow tensor (what {@link #load} writes) and its exported value. */
    private record Target(Tensor raw, Supplier<Tensor> exported) {}

    /**
     * The module's tensors under their PyTorch state_dict names, each prefixed with {@code prefix} verbatim
     * (pass {@code ""}, or e.g. {@code "generator."}), as F32 (F64 for double-precision parameters).
     *
     * @throws BadInputException for an MLP with minibatch discrimination or virtual batch normalisation
     * @throws IllegalArgumentException for a module that is neither an {@link Mlp} nor a {@link VelocityNet}
     */
    public static Map<String, SafeTensor> stateDict(Module module, String prefix) {
        Map<String, SafeTensor> out = new LinkedHashMap<>();
        try (Scope s = Scope.open()) {
            Ops.noGrad(() -> {
                for (Map.Entry<String, Target> e : targets(module).entrySet()) {
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
     * {@code producer=ganflow}, {@code kind} ({@code mlp} or {@code velocity}), {@code in}, {@code out},
     * {@code width}, {@code depth}, {@code activation} (a key of {@link Activation}; leaky_relu adds
     * {@code leaky_relu_slope}), {@code dtype}, {@code layout} (the naming convention in words), and
     * {@code spectral_norm} (comma-separated layer indices whose weights are exported normalised) if any. A
     * velocity network adds {@code dim}, {@code embedding} and {@code embed_dim}; its {@code in}, {@code out},
     * … describe the inner MLP.
     *
     * @throws IllegalArgumentException for a module that is neither an {@link Mlp} nor a {@link VelocityNet}
     */
    public static Map<String, String> architecture(Module module) {
        if (module instanceof io.ganflow.nn.Reshaped r) {
            Map<String, String> m = architecture(r.inner());
            m.put("reshape", "flattened input, output reshaped per sample (image nets)");
            return m;
        }
        Map<String, String> m = new TreeMap<>();
        m.put("format", "pt");
        m.put("producer", "ganflow");
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
        m.put("layout", "nn.Sequential: Linear at 2i and activation at 2i+1 for hidden layer i < depth,"
                + " output Linear at 2*depth; weight (out, in)");
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
        for (String k : targets.keySet()) {
            n.add(prefix + k);
        }
        return n.size() <= 12 ? String.join(", ", n) : String.join(", ", n.subList(0, 12)) + ", …";
    }

    /** The exported names of a module in state_dict order, with their tensors. */
    private static Map<String, Target> targets(Module module) {
        if (module instanceof io.ganflow.nn.Reshaped r) {
            return targets(r.inner());
        }
        Map<String, Target> out = new LinkedHashMap<>();
        if (module instanceof VelocityNet) {
            VelocityNet v = (VelocityNet) module;
            mlpTargets(v.mlp(), "mlp.", out);
            Tensor freqs = find(v.buffers(), "time.freqs", v);
            out.put("time.freqs", new Target(freqs, () -> freqs));
        } else if (module instanceof Mlp) {
            mlpTargets((Mlp) module, "", out);
        } else {
            throw unsupported(module);
        }
        return out;
    }

    private static void mlpTargets(Mlp mlp, String prefix, Map<String, Target> out) {
        for (Parameter p : mlp.parameters()) {
            if (!p.name().startsWith("layer")) {
                throw new BadInputException(mlp + " has parameter " + p.name() + " (minibatch discrimination or"
                        + " virtual batch norm), which has no nn.Sequential equivalent; it cannot be exported"
                        + " or loaded");
            }
        }
        for (int i = 0; i <= mlp.depth(); i++) {
            int layer = i;
            Tensor w = find(mlp.parameters(), "layer" + i + ".weight", mlp);
            Tensor b = find(mlp.parameters(), "layer" + i + ".bias", mlp);
            out.put(prefix + (2 * i) + ".weight", new Target(w, () -> mlp.effectiveWeight(layer)));
            out.put(prefix + (2 * i) + ".bias", new Target(b, () -> b));
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

    private static IllegalArgumentException unsupported(Module module) {
        return new IllegalArgumentException("weights export supports Mlp and VelocityNet, not "
                + module.getClass().getSimpleName());
    }
}
