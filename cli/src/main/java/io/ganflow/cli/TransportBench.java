package io.ganflow.cli;

import io.ganflow.engine.Engine;
import io.ganflow.engine.Ops;
import io.ganflow.metrics.Sinkhorn;
import io.ganflow.metrics.Transport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bytedeco.pytorch.Tensor;

/**
 * The transport suite of {@code ganflow bench}: exact W1 between 2,000 and 2,000 points (ganflow's auction
 * against POT's network simplex, ot.emd2) and entropic OT between 10,000 and 10,000 points (ganflow's
 * log-domain Sinkhorn against POT's sinkhorn_log), on identical points written to CSV for the peer.
 */
final class TransportBench {
    private TransportBench() {}

    static double[][] gaussians(int n, double shift, long seed) {
        Random r = new Random(seed);
        double[][] p = new double[n][2];
        for (double[] row : p) {
            row[0] = r.nextGaussian() + shift;
            row[1] = r.nextGaussian();
        }
        return p;
    }

    static void run(int threads, int sinkhornPoints, double reg, String python) throws IOException, InterruptedException {
        Engine.setThreads(threads);
        double tol = 1e-6;
        System.out.printf(Locale.ROOT, "transport: 2-D Gaussians, second sample shifted by (1, 0); %d thread(s)%n", threads);
        double[][] ex = gaussians(2000, 0, 1);
        double[][] ey = gaussians(2000, 1, 2);
        long t0 = System.nanoTime();
        double w1 = Transport.exactW1(ex, ey);
        double oursExact = (System.nanoTime() - t0) / 1e9;
        double[][] sx = gaussians(sinkhornPoints, 0, 3);
        double[][] sy = gaussians(sinkhornPoints, 1, 4);
        Tensor tx = Ops.fromRowsExact(sx);
        Tensor ty = Ops.fromRowsExact(sy);
        t0 = System.nanoTime();
        Sinkhorn.Result sk = Sinkhorn.solve(tx, ty, 2, reg, 100000, tol);
        double oursSinkhorn = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "ganflow  exact W1 2000x2000: %8.3f s (W1 %.8f)%n", oursExact, w1);
        System.out.printf(Locale.ROOT, "ganflow  Sinkhorn %dx%d, reg %.3g, tol %.0e: %8.3f s (cost %.8f, %d iterations)%n",
                sinkhornPoints, sinkhornPoints, reg, tol, oursSinkhorn, sk.cost(), sk.iterations());
        if (python == null) {
            return;
        }
        Path dir = Files.createTempDirectory("ganflow-bench-");
        try {
            write(dir.resolve("ex.csv"), ex);
            write(dir.resolve("ey.csv"), ey);
            write(dir.resolve("sx.csv"), sx);
            write(dir.resolve("sy.csv"), sy);
            Path script = BenchCommand.peerScript("transport.py");
            List<String> cmd = List.of(python, script.toString(), "--exact-x", dir.resolve("ex.csv").toString(),
                    "--exact-y", dir.resolve("ey.csv").toString(), "--sinkhorn-x", dir.resolve("sx.csv").toString(),
                    "--sinkhorn-y", dir.resolve("sy.csv").toString(), "--reg", Double.toString(reg), "--tol",
                    Double.toString(tol));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
            pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            Map<String, String> kv = new HashMap<>();
            List<String> lines = new ArrayList<>();
            Process p = pb.start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                    int eq = l.indexOf('=');
                    if (eq > 0) {
                        kv.put(l.substring(0, eq), l.substring(eq + 1));
                    }
                }
            }
            p.waitFor(2, TimeUnit.HOURS);
            Files.deleteIfExists(script);
            if (!kv.containsKey("sinkhorn_seconds")) {
                System.out.println("POT      skipped: " + python + " could not run the reference ("
                        + (lines.isEmpty() ? "no output" : lines.get(lines.size() - 1)) + "); install python3-pot");
                return;
            }
            double potExact = Double.parseDouble(kv.get("exact_seconds"));
            double potSinkhorn = Double.parseDouble(kv.get("sinkhorn_seconds"));
            System.out.printf(Locale.ROOT, "POT %s exact W1 (ot.emd2): %8.3f s (W1 %s)%n", kv.get("pot_version"), potExact,
                    kv.get("exact_w1"));
            System.out.printf(Locale.ROOT, "POT %s Sinkhorn (sinkhorn_log): %8.3f s (cost %s, %s iterations)%n",
                    kv.get("pot_version"), potSinkhorn, kv.get("sinkhorn_cost"), kv.get("sinkhorn_iterations"));
            System.out.printf(Locale.ROOT, "ratio ganflow/POT: exact W1 %.3f, Sinkhorn %.3f  (below 1: ganflow is faster)%n",
                    oursExact / potExact, oursSinkhorn / potSinkhorn);
        } finally {
            try (var s = Files.list(dir)) {
                for (Path f : s.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    static void write(Path file, double[][] pts) throws IOException {
        StringBuilder b = new StringBuilder();
        for (double[] p : pts) {
            b.append(p[0]).append(',').append(p[1]).append('\n');
        }
        Files.writeString(file, b.toString());
    }
}
