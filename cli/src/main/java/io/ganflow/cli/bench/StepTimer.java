package io.ganflow.cli.bench;

import io.ganflow.engine.Engine;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;

/**
 * The bench's timer: warm-up until the JIT compiler goes quiet, then timed iterations, each figure as wall-clock
 * and process CPU time per iteration (a GPU's queue drained at both ends).
 */
final class StepTimer {
    private StepTimer() {}

    /** Times {@code iters} iterations of w into {@code <prefix>ms_per_iter} and {@code <prefix>cpu_ms_per_iter}. */
    static void time(BenchWorkload w, int iters, String prefix, Map<String, String> r) {
        synchronizeDevice();
        long t0 = System.nanoTime();
        long c0 = processCpuNanos();
        for (int i = 0; i < iters; i++) {
            w.iteration();
        }
        synchronizeDevice(); // a GPU runs behind the host: the time ends when its queue has drained
        r.put(prefix + "ms_per_iter", fmt((System.nanoTime() - t0) / 1e6 / iters));
        r.put(prefix + "cpu_ms_per_iter", fmt((processCpuNanos() - c0) / 1e6 / iters));
    }

    /** The longest warm-up while the JIT compiler is still busy. */
    static final double MAX_WARMUP_SECONDS = 60;

    /** Waits for the GPU's queued work when the workload runs on CUDA; nothing on the CPU. */
    private static void synchronizeDevice() {
        if (Engine.device() == io.ganflow.engine.Device.CUDA) {
            org.bytedeco.pytorch.global.torch.cuda_synchronize();
        }
    }

    /**
     * Runs warm-up iterations: at least {@code minIters} of them and {@code minSeconds} (the bench's
     * {@code --warmup} and {@code --warmup-seconds}), then on until the
     * JIT compiler has been quiet for three seconds in a row (under 2 % of each spent compiling), at most
     * {@link #MAX_WARMUP_SECONDS}. At width 128 the compiler worked in bursts for 13 s (quiet single seconds
     * in between), and a step measured after a 4 s warm-up, with those bursts in its process CPU time, came
     * out 12 % slower than after 20 s (10.0 against 8.8 ms). Returns the number of iterations run.
     */
    static int warmUp(BenchWorkload w, int minIters, double minSeconds) {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        long windowStart = start;
        long jitAtWindow = timed ? jit.getTotalCompilationTime() : 0;
        int quietSeconds = 0;
        int n = 0;
        while (true) {
            w.iteration();
            n++;
            long now = System.nanoTime();
            double elapsed = (now - start) / 1e9;
            if (n < minIters || elapsed < minSeconds) {
                continue;
            }
            if (!timed || elapsed >= MAX_WARMUP_SECONDS) {
                return n;
            }
            if (now - windowStart >= 1e9) {
                long jitNow = jit.getTotalCompilationTime();
                boolean quiet = jitNow - jitAtWindow < 0.02 * (now - windowStart) / 1e6;
                windowStart = now;
                jitAtWindow = jitNow;
                quietSeconds = quiet ? quietSeconds + 1 : 0;
                if (quietSeconds >= 3) {
                    return n;
                }
            }
        }
    }

    /** CPU time of the whole process (every thread), in nanoseconds. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return System.nanoTime();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
