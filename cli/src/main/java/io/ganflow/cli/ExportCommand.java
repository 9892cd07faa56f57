package io.ganflow.cli;

import io.ganflow.cli.process.ExitCodes;
import io.ganflow.BadInputException;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.io.SafeTensor;
import io.ganflow.io.Safetensors;
import io.ganflow.flow.FlowMethod;
import io.ganflow.flow.Solver;
import io.ganflow.flow.VectorField;
import io.ganflow.nn.LabelledVelocityNet;
import io.ganflow.nn.VelocityModel;
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
            description = "generator, critic, velocity, velocity_distilled, eps, denoiser or all (default: the"
                    + " generator, or the net that samples: the velocity net of a flow, eps of DDPM, denoiser of a"
                    + " score model)")
    String what;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "0",
            description = "also write N inputs and the net's outputs for them (tensors input and output of"
                    + " FILE.samples.safetensors): for a GAN generator the latent draws of `ganflow sample --seed S`"
                    + " (with their classes in the last column for a conditional one); for a velocity, eps or"
                    + " denoiser net points x ~ N(0, I) and times t ~ U(0, 1) as [x, t], with the classes 0 .. K (K:"
                    + " the null class) in turn as a last column for a conditional one")
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
        String w = what.equals("default")
                ? (tr.networks().contains("generator") ? "generator" : tr.networks().iterator().next()) : what;
        if (samples > 0 && !(w.equals("generator") && tr.method().latentDim().isPresent())
                && !(tr.method().networks().get(w) instanceof VelocityModel)) {
            throw new BadInputException("--samples applies to a GAN generator or to a velocity, eps or denoiser net;"
                    + " this export is " + w + " of method " + tr.config().getString("method"));
        }
        Map<String, String> meta = tr.export(out, w);
        System.out.println("wrote " + w + " weights of step " + tr.step() + " (" + meta.getOrDefault("kind", "several")
                + " nets: " + String.join(", ", tr.networks()) + ") to " + out);
        if (samples > 0 && tr.method().networks().get(w) instanceof VelocityModel field) {
            writeFieldSamples(tr, w, field);
        } else if (samples > 0) {
            java.util.OptionalInt zDim = tr.method().latentDim();
            Path file = samplesFile();
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

    /**
     * N points x ~ N(0, I) (model space) and times t ~ U(0, 1) from the stream of --seed, as [x, t] (with the classes
     * 0, 1, …, K in turn as a last column for a conditional net, K the null class), and the net's outputs on them.
     */
    private void writeFieldSamples(TrainedRun tr, String w, VelocityModel field) throws IOException {
        Path file = samplesFile();
        Map<String, SafeTensor> t = new LinkedHashMap<>();
        int k = field instanceof LabelledVelocityNet l ? l.classes() : 0;
        try (Scope s = Scope.open()) {
            Rng draws = new Rng(seed);
            Tensor xt = Ops.cat(java.util.List.of(draws.normal(samples, tr.data().dim()), draws.uniform(samples, 1)), 1);
            Tensor in = xt;
            if (k > 0) {
                float[] y = new float[samples];
                for (int i = 0; i < samples; i++) {
                    y[i] = i % (k + 1);
                }
                in = Ops.cat(java.util.List.of(xt, Ops.fromFloats(y, samples, 1)), 1);
            }
            Tensor net = in;
            Tensor out = Ops.noGrad(() -> field instanceof LabelledVelocityNet l ? l.forwardLabelled(net) : field.forward(net));
            t.put("input", SafeTensor.ofFloats(Ops.toFloats(in), Ops.shape(in)));
            t.put("output", SafeTensor.ofFloats(Ops.toFloats(out), Ops.shape(out)));
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ganflow.seed", Long.toString(seed));
        m.put("ganflow.space", "model (the net's own input and output)");
        String ode = w.equals("velocity") ? flowSamples(tr, field, k, t, m) : "";
        Safetensors.write(file, t, m);
        System.out.println("wrote " + samples + " inputs [x, t" + (k > 0 ? ", y" : "") + "] (seed " + seed + ") and the "
                + w + " net's outputs to " + file);
        if (!ode.isEmpty()) {
            System.out.println("and " + samples + " samples of the flow: " + ode);
        }
        System.out.println("check in PyTorch: /usr/bin/python3 tools/torch_load.py " + out + " --input " + file
                + " --expected " + file);
    }

    /**
     * For a flow from a Gaussian prior: N prior draws (tensor prior: those of {@code ganflow sample --seed S}, a
     * fresh stream of the seed), the classes 0 .. K-1 in turn (tensor classes, a conditional flow) and the samples
     * the flow's fixed-step solver makes from them with the run's guidance (tensor sample, model space), which
     * tools/torch_load.py integrates again; the solver, steps and guidance go in the metadata. A dopri5 run is
     * integrated with rk4 in flow.steps steps. Empty (nothing written) for another prior or another method.
     */
    private String flowSamples(TrainedRun tr, VelocityModel v, int k, Map<String, SafeTensor> t, Map<String, String> m) {
        io.ganflow.config.Config c = tr.config();
        if (!c.getString("method").equals("rf") || !c.getString("flow.prior").equals("gaussian")) {
            return "";
        }
        Solver solver = Solver.byKey(c.getString("flow.solver")) == Solver.DOPRI5 ? Solver.RK4
                : Solver.byKey(c.getString("flow.solver"));
        int steps = c.getInt("flow.steps");
        double guidance = k > 0 ? c.getDouble("flow.guidance") : 0;
        try (Scope s = Scope.open()) {
            // a fresh stream of the seed: the prior draws `ganflow sample --seed S` (with --class 0,1,...) makes
            Tensor z = new Rng(seed).normal(samples, tr.data().dim());
            VectorField f;
            if (k > 0) {
                long[] y = new long[samples];
                float[] yf = new float[samples];
                for (int i = 0; i < samples; i++) {
                    y[i] = i % k;
                    yf[i] = y[i];
                }
                f = FlowMethod.guided(v, Ops.fromLongs(y), guidance);
                t.put("classes", SafeTensor.ofFloats(yf, samples));
            } else {
                f = v::velocity;
            }
            Tensor x = solver.solve(f, z, 0, 1, Solver.Options.steps(steps)).x();
            t.put("prior", SafeTensor.ofFloats(Ops.toFloats(z), Ops.shape(z)));
            t.put("sample", SafeTensor.ofFloats(Ops.toFloats(x), Ops.shape(x)));
        }
        m.put("ganflow.solver", solver.key());
        m.put("ganflow.steps", Integer.toString(steps));
        m.put("ganflow.guidance", Double.toString(guidance));
        m.put("ganflow.classes", Integer.toString(k));
        return solver.key() + " in " + steps + " steps from the N(0, I) draws of `ganflow sample --seed " + seed
                + (k > 0 ? " --class 0,1,...` (classes 0 .. " + (k - 1) + " in turn), guidance " + guidance : "`");
    }

    private Path samplesFile() {
        return out.resolveSibling(stripSuffix(out.getFileName().toString()) + ".samples.safetensors");
    }

    private static String stripSuffix(String name) {
        return name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
    }
}
