package io.ganflow.config;

import io.ganflow.BadInputException;
import io.ganflow.Registry;
import io.ganflow.engine.Rng;
import io.ganflow.flow.VelocityNet;
import io.ganflow.nn.Activation;
import io.ganflow.nn.Init;
import io.ganflow.nn.Mlp;
import java.util.Set;
import java.util.TreeSet;

/** The built-in networks: the MLP for generators and critics, and the velocity net of flows. */
final class NetSetup {
    private NetSetup() {}

    static void registerBuiltIns(Registry<NetFactory> r, Registry<VelocityFactory> v) {
        v.register("mlp", "MLP on [x, e(t)]: model.v.width x depth, activation, sinusoidal or Fourier time embedding",
                (c, shape, rng) -> {
                    if (shape.length != 1) {
                        throw new BadInputException("model.v.kind=mlp takes flat samples; the data's samples have shape "
                                + java.util.Arrays.toString(shape) + " (choose a velocity net for images)");
                    }
                    return velocityNet(c, (int) shape[0], rng);
                });
        r.register("mlp", "fully connected net: model.<role>.width x depth, activation, init, spectral norm,"
                + " minibatch discrimination (critic), virtual batch norm (generator); flattens shaped samples",
                (c, spec, rng) -> {
                    Mlp m = mlp(c, spec.role(), spec.inDim(), spec.outDim(), rng);
                    return spec.inShape().length == 1 && spec.outShape().length == 1 ? m
                            : new io.ganflow.nn.Reshaped(m, spec.outShape());
                });
    }

    static Mlp mlp(Config c, String who, int in, int out, Rng rng) {
        String p = "model." + who + ".";
        int depth = c.getInt(p + "depth");
        Mlp.Builder b = Mlp.builder().in(in).out(out).width(c.getInt(p + "width")).depth(depth)
                .activation(Activation.byKey(c.getString(p + "activation")))
                .init(Init.byKey(c.getString(p + "init")))
                .spectralNorm(layers(p + "spectral_norm", c.getString(p + "spectral_norm"), depth));
        if (who.equals("d") && c.getInt("model.d.minibatch.kernels") > 0) {
            if (depth < 1) {
                throw new BadInputException("model.d.minibatch.kernels=" + c.getInt("model.d.minibatch.kernels")
                        + " needs a critic with a hidden layer; model.d.depth=0");
            }
            b.minibatchDiscrimination(c.getInt("model.d.minibatch.kernels"), c.getInt("model.d.minibatch.dim"));
        }
        if (who.equals("g") && c.getInt("model.g.vbn") > 0) {
            b.virtualBatchNorm(c.getInt("model.g.vbn"));
        }
        return b.build(rng);
    }

    /** Parses none / all / a comma list of layer indices in 0..depth. */
    static Set<Integer> layers(String key, String value, int depth) {
        String v = value.trim();
        if (v.equals("none") || v.isEmpty()) {
            return Set.of();
        }
        Set<Integer> out = new TreeSet<>();
        if (v.equals("all")) {
            for (int i = 0; i <= depth; i++) {
                out.add(i);
            }
            return out;
        }
        for (String part : v.split(",")) {
            try {
                int i = Integer.parseInt(part.trim());
                if (i < 0 || i > depth) {
                    throw new NumberFormatException();
                }
                out.add(i);
            } catch (NumberFormatException e) {
                throw new BadInputException(key + "=" + value + " is not allowed; allowed: none, all, or layer indices"
                        + " from 0 to " + depth + " (the output layer) separated by commas");
            }
        }
        return out;
    }

    static VelocityNet velocityNet(Config c, int dim, Rng rng) {
        int e = c.getInt("model.v.time_dim");
        if (e % 2 != 0) {
            throw new BadInputException("model.v.time_dim=" + e + " is not allowed; allowed: an even number >= 2");
        }
        return new VelocityNet(dim, c.getInt("model.v.width"), c.getInt("model.v.depth"),
                Activation.byKey(c.getString("model.v.activation")), c.getString("model.v.time_embedding"), e, rng);
    }

}
