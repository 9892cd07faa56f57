package io.ganflow.cli.bench;

import org.bytedeco.pytorch.global.torch;

/**
 * A harness for instruction-level profiles of the bench step (bench/README.md, "Where the step spends its
 * time"): runs warm-up iterations, then calls {@code torch.get_num_interop_threads()} (a marker: callgrind's
 * {@code --zero-before}), the measured iterations, then {@code torch.get_num_threads()} (the second marker:
 * {@code --dump-before}). Neither marker is called anywhere in a step.
 *
 * <pre>valgrind --tool=callgrind --separate-threads=yes \
 *   --zero-before=Java_org_bytedeco_pytorch_global_torch_get_1num_1interop_1threads \
 *   --dump-before=Java_org_bytedeco_pytorch_global_torch_get_1num_1threads \
 *   java -cp cli/target/ganflow.jar io.ganflow.cli.bench.StepProfile 128 30 5</pre>
 */
public final class StepProfile {
    private StepProfile() {}

    public static void main(String[] args) {
        int width = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int iters = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        WganGpWorkload w = new WganGpWorkload(width, 1, warmup + iters);
        for (int i = 0; i < warmup; i++) {
            w.iteration();
        }
        System.gc();
        torch.get_num_interop_threads();
        long t0 = System.nanoTime();
        long c0 = StepTimer.processCpuNanos();
        for (int i = 0; i < iters; i++) {
            w.iteration();
        }
        long t1 = System.nanoTime();
        long c1 = StepTimer.processCpuNanos();
        torch.get_num_threads();
        System.out.printf(java.util.Locale.ROOT, "width %d: %d iterations, %.2f ms/iter, CPU %.2f ms/iter%n", width, iters,
                (t1 - t0) / 1e6 / iters, (c1 - c0) / 1e6 / iters);
    }
}
