package io.ganflow.cli;

import io.ganflow.cli.process.ExitCodes;
import io.ganflow.BadInputException;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.io.SafeTensor;
import io.ganflow.io.Safetensors;
import io.ganflow.run.TrainedRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.pytorch.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ganflow export}: a run's weights as safetensors, with PyTorch state_dict names. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a trained run's weights as safetensors with PyTorch state_dict names; the architecture,"
                + " the config and the checkpoint's SHA-256 go in __metadata__.",
            "tools/torch_load.py rebuilds the network in PyTorch from that file."})
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--run", paramLabel = "DIR", description = "the run directory (its newest intact checkpoint)")
    Path run;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "a specific checkpoint instead of --run")
    Path checkpoint;

    @Option(names = "--out", paramLabel = "FILE.safetensors", required = true, description = "where to write the weights")
    Path out;

    @Option(names = "--what", paramLabel = "NET", defaultValue = "default",
            description = "generator, critic, velocity, velocity_distilled or all (default: the generator, or the"
                    + " velocity net of a flow)")
    String what;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "0",
            description = "GAN generators: also write N latent draws and the generator's outputs for them"
                    + " (tensors input and output of FILE.samples.safetensors), the draws of `ganflow sample --seed S`")
    int samples;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of those latent draws (default 0)")
    long seed;

    @Override
    public Integer call() throws IOException {
        if ((run == null) == (checkpoint == null)) {
            throw new BadInputException("give either --run DIR or --checkpoint FILE");
        }
        if (samples < 0 || samples > 1_000_000) {
            throw new BadInputException("--samples " + samples + " is out of range (allowed: 0 to 1000000)");
        }
        TrainedRun tr = run != null ? TrainedRun.open(run) : TrainedRun.openCheckpoint(checkpoint);
        String w = what.equals("default") ? (tr.networks().contains("generator") ? "generator" : "velocity") : what;
        Map<String, String> meta = tr.export(out, w);
        System.out.println("wrote " + w + " weights of step " + tr.step() + " (" + meta.getOrDefault("kind", "several")
                + " nets: " + String.join(", ", tr.networks()) + ") to " + out);
        if (samples > 0) {
            java.util.OptionalInt zDim = tr.method().latentDim();
            if (zDim.isEmpty() || !w.equals("generator")) {
                throw new BadInputException("--samples applies to the generator of a GAN run (method gan); this export"
                        + " is " + w + " of method " + tr.config().getString("method"));
            }
            Path file = out.resolveSibling(stripSuffix(out.getFileName().toString()) + ".samples.safetensors");
            Map<String, SafeTensor> t = new LinkedHashMap<>();
            try (Scope s = Scope.open()) {
                // a method with a latent dimension draws z = N(0, I) of shape (n, z_dim) first from the stream it
                // is given, then applies the (EMA) generator: the same two calls, made with two streams of one seed.
                // a conditional generator then draws a class per sample from the same stream: the input is [z, y],
                // the class in the last column, as tools/torch_load.py reads it
                Rng draws = new Rng(seed);
                Tensor z = draws.normal(samples, zDim.getAsInt());
                int k = tr.method().classes();
                Tensor in = k == 0 ? z : Ops.cat(java.util.List.of(z, draws.integers(k, samples)
                        .to(org.bytedeco.pytorch.global.torch.ScalarType.Float).reshape(samples, 1)), 1);
                Tensor x = tr.method().sample(samples, new Rng(seed));
                t.put("input", SafeTensor.ofFloats(Ops.toFloats(in), Ops.shape(in)));
                t.put("output", SafeTensor.ofFloats(Ops.toFloats(x), Ops.shape(x)));
            }
            Map<String, String> m = new LinkedHashMap<>();
            m.put("ganflow.seed", Long.toString(seed));
            m.put("ganflow.space", "model (apply ganflow.data_mean / data_scale of the weights file for data units)");
            Safetensors.write(file, t, m);
            System.out.println("wrote " + samples + " latent draws (seed " + seed + ")" + (tr.method().classes() > 0
                    ? " with their classes (the last column)" : "") + " and their generator outputs to " + file);
            System.out.println("check in PyTorch: /usr/bin/python3 tools/torch_load.py " + out + " --input " + file
                    + " --expected " + file);
        }
        return ExitCodes.OK;
    }

    private static String stripSuffix(String name) {
        return name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
    }
}
