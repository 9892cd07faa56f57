package io.ganflow.config;

import io.ganflow.BadInputException;
import io.ganflow.Registry;
import io.ganflow.engine.Rng;
import io.ganflow.nn.VelocityNet;
import io.ganflow.nn.Activation;
import io.ganflow.nn.DcganCritic;
import io.ganflow.nn.DcganGenerator;
import io.ganflow.nn.ImageSize;
import io.ganflow.nn.Init;
import io.ganflow.nn.LayerInit;
import io.ganflow.nn.Mlp;
import io.ganflow.nn.Module;
import io.ganflow.nn.Norm;
import io.ganflow.nn.ResNetCritic;
import io.ganflow.nn.ResNetGenerator;
import io.ganflow.nn.UNet;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * The built-in networks: the MLP, DCGAN and ResNet generators and critics, and the MLP and U-Net velocity nets
 * of flows (docs/nets.md).
 */
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
        v.register("unet", "U-Net on images [C, H, W]: 2 resolution levels, base channels model.v.width (32-64),"
                + " sinusoidal time embedding of model.v.time_dim added in every residual block, group norm",
                (c, shape, rng) -> {
                    int e = c.getInt("model.v.time_dim");
                    if (e % 2 != 0) {
                        throw new BadInputException("model.v.time_dim=" + e + " is not allowed; allowed: an even number"
                                + " >= 2");
                    }
                    return image("model.v.kind=unet", () -> new UNet(new LayerInit(Init.TORCH, rng), shape,
                            c.getInt("model.v.width"), e));
                });
        r.register("dcgan", "DCGAN conv net for images [C, H, W] (8, 28, 32 px ...): generator linear + transposed"
                + " convs with batch norm and tanh, critic strided convs with model.d.norm and LeakyReLU(0.2);"
                + " base channels model.<role>.width (e.g. 64)", NetSetup::dcgan);
        r.register("resnet", "WGAN-GP / SNGAN ResNet for images [C, H, W]: up- / down-sampling residual blocks of"
                + " model.<role>.width channels (e.g. 128); critic norm model.d.norm", NetSetup::resnet);
    }

    private static Module dcgan(Config c, NetSpec spec, Rng rng) {
        String p = "model." + spec.role() + ".";
        LayerInit li = new LayerInit(Init.byKey(c.getString(p + "init")), rng);
        int width = c.getInt(p + "width");
        if (spec.role().equals("g")) {
            long[] out = imageShape(spec.outShape(), "model.g.kind=dcgan");
            int k = image("model.g.kind=dcgan", () -> ImageSize.of(out, "model.g.kind=dcgan")).halvings();
            return new DcganGenerator(li, latent(spec), out, width, layers(p + "spectral_norm",
                    c.getString(p + "spectral_norm"), k));
        }
        long[] in = imageShape(spec.inShape(), "model.d.kind=dcgan");
        int k = image("model.d.kind=dcgan", () -> ImageSize.of(in, "model.d.kind=dcgan")).halvings();
        return new DcganCritic(li, in, width, criticNorm(c), layers(p + "spectral_norm", c.getString(p + "spectral_norm"),
                k), spec.outDim());
    }

    private static Module resnet(Config c, NetSpec spec, Rng rng) {
        String p = "model." + spec.role() + ".";
        LayerInit li = new LayerInit(Init.byKey(c.getString(p + "init")), rng);
        int width = c.getInt(p + "width");
        String sn = c.getString(p + "spectral_norm").trim();
        if (!sn.equals("none") && !sn.equals("all") && !sn.isEmpty()) {
            throw new BadInputException(p + "spectral_norm=" + sn + " is not allowed for " + p + "kind=resnet; allowed:"
                    + " none, all");
        }
        boolean spectral = sn.equals("all");
        if (spec.role().equals("g")) {
            long[] out = imageShape(spec.outShape(), "model.g.kind=resnet");
            return image("model.g.kind=resnet", () -> new ResNetGenerator(li, latent(spec), out, width, spectral));
        }
        long[] in = imageShape(spec.inShape(), "model.d.kind=resnet");
        Norm norm = criticNorm(c);
        return image("model.d.kind=resnet", () -> new ResNetCritic(li, in, width, norm, spectral, spec.outDim()));
    }

    private static int latent(NetSpec spec) {
        if (spec.inShape().length != 1) {
            throw new BadInputException("a generator's input is a latent vector; got shape "
                    + Arrays.toString(spec.inShape()));
        }
        return (int) spec.inShape()[0];
    }

    private static long[] imageShape(long[] shape, String who) {
        if (shape.length != 3) {
            throw new BadInputException(who + " needs image samples of shape [C, H, W]; the data's samples have shape "
                    + Arrays.toString(shape) + " (use kind mlp for flat data)");
        }
        return shape;
    }

    /** Runs a constructor, turning a size it refuses into a one-line input error. */
    private static <T> T image(String who, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new BadInputException(who + ": " + e.getMessage());
        }
    }

    /** model.d.norm, refusing batch norm together with a gradient penalty (it couples the samples). */
    static Norm criticNorm(Config c) {
        Norm norm = Norm.byKey(c.getString("model.d.norm"));
        if (norm == Norm.BATCH) {
            for (String k : new String[] {"gan.gp.weight", "gan.r1.weight", "gan.r2.weight"}) {
                if (c.getDouble(k) > 0) {
                    throw new BadInputException("model.d.norm=batch cannot be combined with " + k + "="
                            + c.asText().get(k) + ": a gradient penalty is a per-sample quantity and batch norm couples"
                            + " the samples of a batch; use model.d.norm=layer or none");
                }
            }
        }
        return norm;
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
            if (c.getBool("model.g.bn")) {
                throw new BadInputException("model.g.bn=true and model.g.vbn=" + c.getInt("model.g.vbn") + " exclude each"
                        + " other: choose batch norm or virtual batch norm");
            }
            b.virtualBatchNorm(c.getInt("model.g.vbn"));
        }
        if (who.equals("g") && c.getBool("model.g.bn")) {
            b.batchNorm(true);
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
