package io.ganflow.cli.bench;

import io.ganflow.engine.Engine;
import io.ganflow.engine.Ops;
import io.ganflow.metrics.Sinkhorn;
import io.ganflow.metrics.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;

/**
 * The transport suite of {@code ganflow bench}: exact W1 between 2,000 and 2,000 points (ganflow's auction
 * against POT's network simplex, ot.emd2) and entropic OT between 10,000 and 10,000 points (ganflow's
 * log-domain Sinkhorn against POT's sinkhorn_log), on identical points written to CSV for the peer. Both
 * sides report their BLAS and kernel, and differing kernels are set to a common one, as for the WGAN-GP
 * step; neither solver spends its time in matrix products, so no FLOP limit is printed.
 */
final class TransportBench {
    static final double TOL = 1e-6;

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

    /** ganflow's side in this process: BLAS facts, sgemm rate, both solvers timed. */
    static Map<String, String> ganflowSide(int threads, int sinkhornPoints, double reg) {
        Engine.setThreads(threads);
        Map<String, String> r = new LinkedHashMap<>(BlasInfo.describe());
        double[] rate = BlasInfo.sgemmGflops(5, 0.15);
        r.put("sgemm_gflops", StepTimer.fmt(rate[0]));
        r.put("sgemm_cpu_gflops", StepTimer.fmt(rate[1]));
        double[][] ex = gaussians(2000, 0, 1);
        double[][] ey = gaussians(2000, 1, 2);
        long t0 = System.nanoTime();
        double w1 = Transport.exactW1(ex, ey);
        r.put("exact_seconds", StepTimer.fmt((System.nanoTime() - t0) / 1e9));
        r.put("exact_w1", String.format(Locale.ROOT, "%.8f", w1));
        Tensor tx = Ops.fromRowsExact(gaussians(sinkhornPoints, 0, 3));
        Tensor ty = Ops.fromRowsExact(gaussians(sinkhornPoints, 1, 4));
        t0 = System.nanoTime();
        Sinkhorn.Result sk = Sinkhorn.solve(tx, ty, 2, reg, 100000, TOL);
        r.put("sinkhorn_seconds", StepTimer.fmt((System.nanoTime() - t0) / 1e9));
        r.put("sinkhorn_cost", String.format(Locale.ROOT, "%.8f", sk.cost()));
        r.put("sinkhorn_iterations", Integer.toString(sk.iterations()));
        return r;
    }

    static void run(BenchCommand b) throws Exception {
        int points = b.sinkhornPoints();
        double reg = b.sinkhornReg();
        System.out.printf(Locale.ROOT, "transport: 2-D Gaussians, second sample shifted by (1, 0); %d thread(s)%n",
                b.threads());
        Path dir = b.noPeer() ? null : PeerProcess.scripts();
        try {
            List<String> peerCmd = null;
            if (dir != null) {
                write(dir.resolve("ex.csv"), gaussians(2000, 0, 1));
                write(dir.resolve("ey.csv"), gaussians(2000, 1, 2));
                write(dir.resolve("sx.csv"), gaussians(points, 0, 3));
                write(dir.resolve("sy.csv"), gaussians(points, 1, 4));
                peerCmd = List.of(b.pythonExe(), dir.resolve("transport.py").toString(), "--exact-x",
                        dir.resolve("ex.csv").toString(), "--exact-y", dir.resolve("ey.csv").toString(), "--sinkhorn-x",
                        dir.resolve("sx.csv").toString(), "--sinkhorn-y", dir.resolve("sy.csv").toString(), "--reg",
                        Double.toString(reg), "--tol", Double.toString(TOL));
            }
            KernelPlan plan = b.planKernels(peerCmd);
            plan.printNote();
            PeerProcess.Result ours = b.ganflowSide(plan, "transport");
            if (ours == null) {
                return;
            }
            BenchCommand.printBlas("ganflow ", ours, plan);
            System.out.printf(Locale.ROOT, "ganflow  exact W1 2000x2000: %8.3f s (W1 %s)%n", ours.number("exact_seconds"),
                    ours.get("exact_w1"));
            System.out.printf(Locale.ROOT, "ganflow  Sinkhorn %dx%d, reg %.3g, tol %.0e: %8.3f s (cost %s, %s iterations)%n",
                    points, points, reg, TOL, ours.number("sinkhorn_seconds"), ours.get("sinkhorn_cost"),
                    ours.get("sinkhorn_iterations"));
            if (peerCmd == null || !plan.peerUsable()) {
                return;
            }
            PeerProcess.Result peer = PeerProcess.run(peerCmd, plan.peerEnv(b.threads()), 120);
            if (!peer.has("sinkhorn_seconds")) {
                System.out.println("POT      skipped: " + peerCmd.get(0) + " could not run the reference ("
                        + peer.lastLine() + "); install python3-pot");
                return;
            }
            BenchCommand.printBlas("POT     ", peer, plan);
            double potExact = peer.number("exact_seconds");
            double potSinkhorn = peer.number("sinkhorn_seconds");
            System.out.printf(Locale.ROOT, "POT %s exact W1 (ot.emd2): %8.3f s (W1 %s)%n", peer.get("pot_version"),
                    potExact, peer.get("exact_w1"));
            System.out.printf(Locale.ROOT, "POT %s Sinkhorn (sinkhorn_log): %8.3f s (cost %s, %s iterations)%n",
                    peer.get("pot_version"), potSinkhorn, peer.get("sinkhorn_cost"), peer.get("sinkhorn_iterations"));
            System.out.printf(Locale.ROOT, "ratio ganflow/POT: exact W1 %.3f, Sinkhorn %.3f  (below 1: ganflow is faster)%n",
                    ours.number("exact_seconds") / potExact, ours.number("sinkhorn_seconds") / potSinkhorn);
        } finally {
            PeerProcess.delete(dir);
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
