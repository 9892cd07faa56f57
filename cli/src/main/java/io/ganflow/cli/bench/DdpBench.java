package io.ganflow.cli.bench;

import io.ganflow.cli.process.ChildJvm;
import io.ganflow.run.TrainingRun;
import io.ganflow.train.Listener;
import io.ganflow.train.dist.DataParallel;
import io.ganflow.train.dist.Rendezvous;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ddp suite of {@code ganflow bench}: the ring8 WGAN-GP preset (MLP width --width, global batch 256,
 * 5 critic steps) trained data-parallel by 1, 2 and 4 worker JVMs on this host (Gloo over loopback, a file
 * store), through the same code as {@code ganflow train --nproc N}. Each configuration runs its warm-up steps
 * untimed, then --iters timed steps; rank 0 reports the wall-clock time of the timed steps, the time it spent
 * inside collectives (all-reduces of gradients, statistics and the stop flag, waiting for slower ranks
 * included), and its CPU time. Throughput is global samples (generator rows) per second.
 */
final class DdpBench {
    static final int[] PROCESSES = {1, 2, 4};

    private DdpBench() {}

    static void run(String mainClass, int width, int iters, int warmup, int threads) throws IOException,
            InterruptedException {
        int warm = Math.max(warmup, 20);
        System.out.printf(Locale.ROOT, "workload: ring8-wgan-gp, MLP width %d x 3, global batch 256 split over the"
                + " processes, 5 critic steps; %d warm-up steps, then %d timed steps; %d thread(s) per process;"
                + " Gloo over loopback%n", width, warm, iters, threads);
        double base = 0;
        for (int n : PROCESSES) {
            Map<String, String> r = launch(mainClass, n, width, iters, warm, threads);
            if (r == null) {
                System.out.printf(Locale.ROOT, "%d process(es): failed (see the lines above)%n", n);
                continue;
            }
            double sec = Double.parseDouble(r.get("seconds"));
            double comm = Double.parseDouble(r.get("comm_seconds"));
            double cpu = Double.parseDouble(r.get("cpu_seconds"));
            double perSec = iters / sec;
            if (n == 1) {
                base = perSec;
            }
            System.out.printf(Locale.ROOT, "%d process(es): %7.2f steps/s, %8.0f samples/s, %6.2f ms/step;"
                    + " speed-up %.2fx; rank 0: communication %4.1f %% of the time (%d collectives/step), CPU %.2f ms/step%n",
                    n, perSec, perSec * 256, 1000 * sec / iters, base > 0 ? perSec / base : Double.NaN,
                    100 * comm / sec, Math.round(Double.parseDouble(r.get("collectives")) / iters), 1000 * cpu / iters);
        }
    }

    private static Map<String, String> launch(String mainClass, int n, int width, int iters, int warm, int threads)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("ganflow-ddp-bench-");
        Path store = dir.resolve("store");
        List<Process> ps = new ArrayList<>();
        try {
            for (int r = 0; r < n; r++) {
                List<String> cmd = new ArrayList<>(ChildJvm.javaCommand(mainClass));
                cmd.addAll(List.of("bench", "--suite=ddp", "--side=ddp", "--width=" + width, "--iters=" + iters,
                        "--warmup=" + warm, "--threads=" + threads, "--ddp-rank=" + r, "--ddp-world=" + n,
                        "--ddp-store=" + store));
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
                if (r > 0) {
                    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
                }
                ps.add(pb.start());
            }
            Map<String, String> out = new LinkedHashMap<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(ps.get(0).getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        out.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
            }
            int code = ChildJvm.await(ps, System.err);
            return code == 0 && out.containsKey("seconds") ? out : null;
        } finally {
            ps.forEach(Process::destroyForcibly);
            Files.deleteIfExists(store);
            Files.deleteIfExists(dir);
        }
    }

    /** One worker: trains warm + iters steps as rank of world, and rank 0 prints key=value lines. */
    static void worker(int rank, int world, Path store, int width, int iters, int warm, int threads) {
        TrainingRun tr = TrainingRun.builder().preset("ring8-wgan-gp").set("train.steps", Integer.toString(warm + iters))
                .set("model.g.width", Integer.toString(width)).set("model.d.width", Integer.toString(width))
                .set("train.batch", "256").set("train.threads", Integer.toString(threads)).evaluation(false).build();
        System.setProperty("ganflow.dist.loopback", "true");
        try (DataParallel dp = DataParallel.join(new Rendezvous(null, 0, store), rank, world, Duration.ofSeconds(300))) {
            tr.distributed(dp);
            double[] at = new double[6];
            tr.addListener(new Listener() {
                @Override
                public void onStep(long step) {
                    if (step == warm || step == warm + iters) {
                        int k = step == warm ? 0 : 3;
                        at[k] = System.nanoTime() / 1e9;
                        at[k + 1] = dp.communicationSeconds();
                        at[k + 2] = cpuSeconds();
                    }
                }
            });
            long c0 = dp.collectives();
            tr.train();
            if (rank == 0) {
                System.out.println("seconds=" + (at[3] - at[0]));
                System.out.println("comm_seconds=" + (at[4] - at[1]));
                System.out.println("cpu_seconds=" + (at[5] - at[2]));
                System.out.println("collectives=" + (dp.collectives() - c0) * iters / (warm + iters));
            }
        }
    }

    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }
}
