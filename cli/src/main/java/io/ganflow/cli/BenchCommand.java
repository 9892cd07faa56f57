package io.ganflow.cli;

import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Engine;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.train.Method;
import io.ganflow.train.StepContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ganflow bench}: times ganflow and the PyTorch reference on the same workload in one invocation and
 * prints the ratio. The peer runs when a Python with torch is found (Debian's /usr/bin/python3 with
 * python3-torch), with one thread.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time ganflow and its reference peer on the same work, side by side, and print the ratios.",
            "wgan-gp: the WGAN-GP toy step (G 2->512x3->2, D 2->512x3->1, ReLU, batch 256, 5 critic steps,",
            "  lambda 0.1, Adam 1e-4 (0.5, 0.9)) against PyTorch.",
            "transport: exact W1 on 2,000 x 2,000 points and Sinkhorn on 10,000 x 10,000 points against POT.",
            "fid: classifier features and FID of 10,000 vs 10,000 images against PyTorch and SciPy's sqrtm."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--suite", defaultValue = "wgan-gp", description = "wgan-gp (default), transport, fid or all")
    String suite;

    @Option(names = "--sinkhorn-points", defaultValue = "10000", description = "transport: Sinkhorn sample size")
    int sinkhornPoints;

    @Option(names = "--sinkhorn-reg", defaultValue = "0.5", description = "transport: Sinkhorn regularisation")
    double sinkhornReg;

    @Option(names = "--iters", defaultValue = "40", description = "timed generator iterations (default 40)")
    int iters;

    @Option(names = "--warmup", defaultValue = "5", description = "untimed iterations first (default 5)")
    int warmup;

    @Option(names = "--width", defaultValue = "512", description = "hidden width of both MLPs (default 512)")
    int width;

    @Option(names = "--threads", defaultValue = "1", description = "threads for both sides (default 1)")
    int threads;

    @Option(names = "--python", paramLabel = "EXE", description = "the peer's Python (default: $GANFLOW_PEER_PYTHON,"
            + " else /usr/bin/python3, else python3)")
    String python;

    @Option(names = "--no-peer", description = "time ganflow only")
    boolean noPeer;

    @Override
    public Integer call() throws Exception {
        if (iters < 1 || warmup < 0 || width < 1 || threads < 1) {
            throw new BadInputException("--iters, --width and --threads must be >= 1 and --warmup >= 0");
        }
        if (!List.of("wgan-gp", "transport", "fid", "all").contains(suite)) {
            throw new BadInputException("--suite " + suite + " is not allowed; allowed: wgan-gp, transport, fid, all");
        }
        if (suite.equals("fid") || suite.equals("all")) {
            FidBench.run(threads, noPeer ? null : pythonExe());
            if (suite.equals("fid")) {
                return Main.OK;
            }
        }
        if (!suite.equals("wgan-gp")) {
            TransportBench.run(threads, sinkhornPoints, sinkhornReg, noPeer ? null : pythonExe());
            if (suite.equals("transport")) {
                return Main.OK;
            }
        }
        System.out.printf(Locale.ROOT, "workload: WGAN-GP toy step, MLP width %d x 3, batch 256, 5 critic steps;"
                + " %d warm-up + %d timed iterations; %d thread(s)%n", width, warmup, iters, threads);
        double ours = timeGanflow();
        System.out.printf(Locale.ROOT, "ganflow  %9.2f ms/iter  (libtorch %s, Java %s)%n", ours, Engine.libtorchVersion(),
                System.getProperty("java.version"));
        if (noPeer) {
            return Main.OK;
        }
        Peer peer = runPeer();
        if (peer == null) {
            return Main.OK;
        }
        System.out.printf(Locale.ROOT, "pytorch  %9.2f ms/iter  (%s)%n", peer.ms, peer.version);
        System.out.printf(Locale.ROOT, "ratio ganflow/pytorch = %.3f  (below 1: ganflow is faster)%n", ours / peer.ms);
        return Main.OK;
    }

    private double timeGanflow() {
        Config c = Config.builder()
                .set("data.name", "ring8", "bench").set("model.z_dim", "2", "bench")
                .set("model.g.width", Integer.toString(width), "bench").set("model.g.depth", "3", "bench")
                .set("model.d.width", Integer.toString(width), "bench").set("model.d.depth", "3", "bench")
                .set("gan.objective", "wasserstein", "bench").set("gan.n_critic", "5", "bench")
                .set("gan.gp.weight", "0.1", "bench").set("gan.gp.center", "1", "bench")
                .set("opt.g.lr", "1e-4", "bench").set("opt.d.lr", "1e-4", "bench")
                .set("train.batch", "256", "bench").set("train.threads", Integer.toString(threads), "bench")
                .build();
        Setup.engine(c);
        Dataset data = Setup.dataset(c);
        Method m = Setup.method(c, data);
        Rng rng = new Rng(0);
        long total = warmup + iters;
        long t0 = 0;
        for (long s = 1; s <= total; s++) {
            if (s == warmup + 1) {
                t0 = System.nanoTime();
            }
            try (Scope scope = Scope.open()) {
                m.step(new StepContext(s, total, data, rng, 256, false));
            }
        }
        return (System.nanoTime() - t0) / 1e6 / iters;
    }

    private record Peer(double ms, String version) {}

    String pythonExe() {
        String exe = python != null ? python : System.getenv("GANFLOW_PEER_PYTHON");
        if (exe == null) {
            exe = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        }
        return exe;
    }

    /** Copies a peer script from the jar to a temporary file. */
    static Path peerScript(String name) throws IOException {
        Path script = Files.createTempFile("ganflow-peer-", ".py");
        try (InputStream in = BenchCommand.class.getResourceAsStream("bench/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the peer script " + name + " is missing from the jar");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        return script;
    }

    private Peer runPeer() throws IOException, InterruptedException {
        String exe = pythonExe();
        Path script = peerScript("wgan_gp_toy.py");
        try {
            List<String> cmd = new ArrayList<>(List.of(exe, script.toString(), "--iters", Integer.toString(iters),
                    "--warmup", Integer.toString(warmup), "--width", Integer.toString(width), "--threads",
                    Integer.toString(threads)));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
            pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                System.out.println("pytorch  skipped: cannot run " + exe + " (" + e.getMessage() + ")");
                return null;
            }
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                }
            }
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
            String version = "torch";
            for (String l : lines) {
                if (l.startsWith("torch_version=")) {
                    version = "torch " + l.substring("torch_version=".length());
                }
                if (l.startsWith("ms_per_iter=")) {
                    return new Peer(Double.parseDouble(l.substring("ms_per_iter=".length())), version);
                }
            }
            String last = lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
            System.out.println("pytorch  skipped: " + exe + " could not run the reference (" + last + "); install"
                    + " Debian's python3-torch and libopenblas0-pthread, or pass --python");
            return null;
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
