package io.ganflow.cli.bench;

import io.ganflow.BadInputException;
import io.ganflow.cli.process.ExitCodes;
import io.ganflow.engine.Engine;
import io.ganflow.engine.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ganflow bench}: times ganflow and its reference peer on the same workload in one invocation and
 * prints the ratio, with what it takes to read the ratio: each side's BLAS library, OpenBLAS kernel, thread
 * count and the GEMM rate it reaches in this run, and for the WGAN-GP step its matrix-product FLOPs and the
 * time they need at that rate (the limit). OpenBLAS picks its kernel from the CPU when it loads; an older
 * build that does not know the CPU falls back to a generic kernel several times slower, which would make the
 * ratio compare BLAS builds instead of ganflow. So when the two sides' kernels differ, both are set to the
 * same one (OPENBLAS_CORETYPE in the peer's environment and, if ganflow's kernel has to change, in a child
 * ganflow process), and the output says so; {@code --no-fix-kernel} leaves each side with its own.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time ganflow and its reference peer on the same work, side by side, and print the ratios.",
            "wgan-gp: the WGAN-GP toy step (G 2->512x3->2, D 2->512x3->1, ReLU, batch 256, 5 critic steps,",
            "  lambda 0.1, Adam 1e-4 (0.5, 0.9)) against PyTorch.",
            "transport: exact W1 on 2,000 x 2,000 points and Sinkhorn on 10,000 x 10,000 points against POT.",
            "fid: classifier features and FID of 10,000 vs 10,000 images against PyTorch and SciPy's sqrtm.",
            "dcgan, conv-gp, unet: one training iteration of fmnist-dcgan, fmnist-wgan-gp (the gradient penalty's",
            "  double backward through the convolutions) and fmnist-rf (U-Net), batch 64, against the same nets",
            "  and step in PyTorch.",
            "ddpm: DDPM's training step (epsilon prediction, T = 1000) on fmnist-rf's U-Net against PyTorch.",
            "sample: EDM's Heun sampler at 35 NFE drawing 500 images from fmnist-rf's U-Net against PyTorch.",
            "--precision bf16: the training step in fp32 and in bf16 mixed precision on both sides.",
            "Both sides print their BLAS, OpenBLAS kernel, threads and sgemm rate; differing kernels are set",
            "to a common one (OPENBLAS_CORETYPE) unless --no-fix-kernel."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--suite", defaultValue = "wgan-gp", description = "wgan-gp (default), transport, fid, dcgan,"
            + " conv-gp, unet, ddpm, sample, ddp (data-parallel training with 1, 2 and 4 processes) or all (all but ddp)")
    String suite;

    @Option(names = "--sinkhorn-points", defaultValue = "10000", description = "transport: Sinkhorn sample size")
    int sinkhornPoints;

    @Option(names = "--sinkhorn-reg", defaultValue = "0.5", description = "transport: Sinkhorn regularisation")
    double sinkhornReg;

    @Option(names = "--iters", description = "timed iterations (default 40; 20 for the image suites)")
    Integer iters;

    @Option(names = "--warmup", defaultValue = "5", description = "untimed iterations first (default 5)")
    int warmup;

    @Option(names = "--warmup-seconds", defaultValue = "3", description = "and at least this long (default 3; the"
            + " same for the peer); ganflow then warms up until its JIT compiler goes quiet, at most 60 s")
    double warmupSeconds;

    @Option(names = "--width", defaultValue = "512", description = "hidden width of both MLPs (default 512)")
    int width;

    @Option(names = "--threads", defaultValue = "1", description = "threads for both sides (default 1)")
    int threads;

    @Option(names = "--precision", defaultValue = "fp32", description = "wgan-gp, dcgan, conv-gp, unet: fp32 (default),"
            + " or bf16 to time the step in fp32 and in bf16 mixed precision on both sides (the peer under torch.autocast) and print"
            + " all four timings, the ratios and each side's bf16 and fp32 product rates")
    String precision;

    @Option(names = "--device", defaultValue = "cpu", description = "wgan-gp: cpu (default), or cuda to time both sides"
            + " on the GPU (ganflow built with mvn -Pgpu; the peer's torch with CUDA)")
    String device;

    @Option(names = "--python", paramLabel = "EXE", description = "the peer's Python (default: $GANFLOW_PEER_PYTHON,"
            + " else /usr/bin/python3, else python3)")
    String python;

    @Option(names = "--no-peer", description = "time ganflow only")
    boolean noPeer;

    @Option(names = "--no-fix-kernel", description = "leave each side's OpenBLAS kernel as it picks it, even when"
            + " they differ")
    boolean noFixKernel;

    @Option(names = "--kernel", paramLabel = "NAME", description = "run both sides with this OpenBLAS kernel"
            + " (OPENBLAS_CORETYPE, e.g. Haswell, SkylakeX); it must be one the CPU can run")
    String kernel;

    @Option(names = "--ddp-rank", hidden = true)
    int ddpRank;

    @Option(names = "--ddp-world", hidden = true)
    int ddpWorld = 1;

    @Option(names = "--ddp-store", hidden = true)
    Path ddpStore;

    /** Internal: run only ganflow's side of the suite and print key=value lines (the child of a kernel fix). */
    @Option(names = "--side", hidden = true)
    String side;

    @Override
    public Integer call() throws Exception {
        if (iters != null && iters < 1 || warmup < 0 || width < 1 || threads < 1 || warmupSeconds < 0) {
            throw new BadInputException("--iters, --width and --threads must be >= 1, --warmup and --warmup-seconds"
                    + " >= 0");
        }
        if (!List.of("fp32", "bf16").contains(precision)) {
            throw new BadInputException("--precision " + precision + " is not allowed; allowed: fp32, bf16");
        }
        Suite run = Suite.parse(suite);
        if (precision.equals("bf16") && !run.hasBf16()) {
            throw new BadInputException("--precision bf16 times the training steps only (wgan-gp, dcgan, conv-gp,"
                    + " unet, ddpm, all), not --suite " + suite);
        }
        if (!List.of("cpu", "cuda").contains(device)) {
            throw new BadInputException("--device " + device + " is not allowed; allowed: cpu, cuda");
        }
        if (device.equals("cuda")) {
            if (run != Suite.WGAN_GP) {
                throw new BadInputException("--device cuda times the WGAN-GP step (--suite wgan-gp) only, not --suite "
                        + suite);
            }
            if (!io.ganflow.engine.Device.cudaAvailable()) {
                throw new BadInputException("--device cuda, but no CUDA device is usable (this ganflow was built with the "
                        + (io.ganflow.engine.NativeLibraries.isGpuBuild() ? "GPU natives, but libtorch sees no GPU"
                                : "CPU natives; build with mvn -Pgpu package") + "); allowed here: cpu");
            }
        }
        if (run == Suite.DDP) {
            if ("ddp".equals(side)) {
                DdpBench.worker(ddpRank, ddpWorld, ddpStore, width, iters("ddp"), warmup, threads);
                return ExitCodes.OK;
            }
            System.out.printf(Locale.ROOT, "machine:  %s; load average %s (1, 5, 15 min) at the start%n", BlasInfo.cpu(),
                    BlasInfo.loadAverage());
            DdpBench.run(mainClass(), width, iters("ddp"), warmup, threads);
            System.out.printf(Locale.ROOT, "machine:  load average %s at the end%n", BlasInfo.loadAverage());
            return ExitCodes.OK;
        }
        if (run.includes(Suite.FID)) {
            FidBench.run(threads, noPeer ? null : pythonExe());
            if (run == Suite.FID) {
                return ExitCodes.OK;
            }
        }
        if (kernel != null) {
            String named = BlasInfo.X86_KERNELS.values().stream().filter(k -> k.equalsIgnoreCase(kernel)).findFirst()
                    .orElseThrow(() -> new BadInputException("--kernel " + kernel + " is not an OpenBLAS x86-64 kernel;"
                            + " allowed: " + String.join(", ", BlasInfo.X86_KERNELS.values())));
            kernel = named;
        }
        if (side != null) {
            ganflowInProcess(suite).forEach((k, v) -> System.out.println(k + "=" + v));
            return ExitCodes.OK;
        }
        System.out.printf(Locale.ROOT, "machine:  %s; load average %s (1, 5, 15 min) at the start%n", BlasInfo.cpu(),
                BlasInfo.loadAverage());
        if (run.includes(Suite.TRANSPORT)) {
            TransportBench.run(this);
        }
        if (run.includes(Suite.WGAN_GP)) {
            runWgan();
        }
        for (Suite s : Suite.IMAGE) {
            if (run.includes(s)) {
                runImage(s.key);
            }
        }
        if (run.includes(Suite.SAMPLE)) {
            System.out.printf(Locale.ROOT, "workload: sampling: EDM's Heun sampler (18 steps on Karras's sigmas, %d NFE)"
                    + " drawing %d images 1x28x28 from fmnist-rf's U-Net (width 32, time embedding 16) as an EDM"
                    + " denoiser, no gradients; at least %d warm-up iteration(s), then %d timed; %d thread(s)%n",
                    SampleWorkload.NFE, SampleWorkload.N, warmupFor("sample"), iters("sample"), threads);
            System.out.printf(Locale.ROOT, "          %.3f GFLOP of convolutions and matrix products per iteration%n",
                    SampleWorkload.flopsPerIteration() / 1e9);
            runTimed("sample", SampleWorkload.flopsPerIteration(), "image_steps.py", List.of("--suite", "sample"));
        }
        System.out.printf(Locale.ROOT, "machine:  load average %s at the end%n", BlasInfo.loadAverage());
        return ExitCodes.OK;
    }

    // ---- the WGAN-GP step ----------------------------------------------------------------------------

    private void runWgan() throws Exception {
        double flops = WganGpWorkload.flopsPerIteration(width, false);
        System.out.printf(Locale.ROOT, "workload: WGAN-GP toy step, MLP width %d x 3, batch 256, 5 critic steps;"
                + " at least %d warm-up iterations and %.3g s, then %d timed iterations; %d thread(s)%n", width, warmup,
                warmupSeconds, iters("wgan-gp"), threads);
        System.out.printf(Locale.ROOT, "          %.3f GFLOP of matrix products per iteration as autograd runs it"
                + " (forward, backward, double backward; bench/README.md)%n", flops / 1e9);
        if (device.equals("cuda")) {
            System.out.println("device:   cuda on both sides; the BLAS lines and sgemm rates below are the host's, so"
                    + " no limit is printed");
        }
        runTimed("wgan-gp", flops, "wgan_gp_toy.py", List.of("--width", Integer.toString(width), "--device", device));
    }

    private void runImage(String which) throws Exception {
        double flops = ImageWorkload.flopsPerIteration(which);
        String step = switch (which) {
            case "dcgan" -> "DCGAN G and D with batch norm, non-saturating loss, 1 critic + 1 generator update";
            case "conv-gp" -> "DCGAN G, D with layer norm, WGAN-GP (lambda 10, double backward through the convs),"
                    + " 5 critic + 1 generator update";
            case "ddpm" -> "U-Net noise predictor (width 32, time embedding 16), DDPM's simple loss (linear beta,"
                    + " T = 1000), 1 update";
            default -> "U-Net velocity net (width 32, time embedding 16), rectified-flow loss, 1 update";
        };
        System.out.printf(Locale.ROOT, "workload: %s%s step: %s; batch 64 of 1x28x28; at least %d warm-up iterations and"
                + " %.3g s, then %d timed iterations; %d thread(s)%n", ImageWorkload.preset(which),
                which.equals("ddpm") ? " (method ddpm)" : "", step, warmup,
                warmupSeconds, iters(which), threads);
        System.out.printf(Locale.ROOT, "          %.3f GFLOP of convolutions and matrix products per iteration as"
                + " autograd runs it (bench/README.md)%n", flops / 1e9);
        runTimed(which, flops, "image_steps.py", List.of("--suite", which));
    }

    /** Plans the kernels, runs ganflow's side and the peer's, and prints both timings and the ratio. */
    private void runTimed(String which, double flops, String script, List<String> scriptArgs) throws Exception {
        Path scripts = noPeer ? null : PeerProcess.scripts();
        try {
            List<String> peerCmd = null;
            if (!noPeer) {
                peerCmd = new ArrayList<>(List.of(pythonExe(), scripts.resolve(script).toString()));
                peerCmd.addAll(scriptArgs);
                peerCmd.addAll(List.of("--iters", Integer.toString(iters(which)), "--warmup",
                        Integer.toString(warmupFor(which)),
                        "--warmup-seconds", Double.toString(warmupSeconds), "--threads", Integer.toString(threads)));
                peerCmd.addAll(List.of("--precision", precision));
            }
            KernelPlan plan = planKernels(peerCmd);
            plan.printNote();
            PeerProcess.Result ours = ganflowSide(plan, which);
            if (ours == null) {
                return;
            }
            printBlas("ganflow ", ours, plan);
            PeerProcess.Result peer = null;
            if (peerCmd != null && plan.peerUsable()) {
                peer = PeerProcess.run(peerCmd, plan.peerEnv(threads), 30);
                if (!peer.has("ms_per_iter")) {
                    System.out.println("pytorch  skipped: " + peerCmd.get(0) + " could not run the reference ("
                            + peer.lastLine() + "); install Debian's python3-torch and libopenblas0-pthread, or pass"
                            + " --python");
                    peer = null;
                } else {
                    printBlas("pytorch ", peer, plan);
                }
            }
            printParameters(ours, peer);
            double ourFlops = ours.number("flops");
            if (ourFlops != flops) {
                System.out.printf(Locale.ROOT, "          ganflow multiplies %.3f GFLOP: its gradient penalty leaves out the"
                        + " products with the zero gradients ReLU's double backward sends through the critic's forward"
                        + " pass (same results)%n", ourFlops / 1e9);
            }
            System.out.printf(Locale.ROOT, "          ganflow warmed up for %s iterations, %s s, until the JIT compiler"
                    + " went quiet%n", ours.get("warmup_iterations"), ours.get("warmup_seconds"));
            printTiming("ganflow ", ours, ourFlops, "libtorch " + Engine.libtorchVersion() + ", Java "
                    + System.getProperty("java.version"));
            if (peer != null) {
                printTiming("pytorch ", peer, flops, "torch " + peer.get("torch_version"));
                System.out.printf(Locale.ROOT, "ratio ganflow/pytorch = %.3f (wall clock), %.3f (CPU time)  (below 1:"
                        + " ganflow is faster)%n", ours.number("ms_per_iter") / peer.number("ms_per_iter"),
                        ours.number("cpu_ms_per_iter") / peer.number("cpu_ms_per_iter"));
            }
            if (precision.equals("bf16")) {
                printBf16(ours, peer);
            }
            double crowding = crowding(ours);
            if (peer != null) {
                crowding = Math.max(crowding, crowding(peer));
            }
            if (threads == 1 && crowding > 1.2 && device.equals("cpu")) { // on a GPU the host waits: wall > CPU
                System.out.printf(Locale.ROOT, "note:     wall-clock time ran up to %.1fx the CPU time: other processes"
                        + " shared the CPUs, so compare the CPU-time figures (rates, limits and ratio)%n", crowding);
            }
        } finally {
            PeerProcess.delete(scripts);
        }
    }

    /**
     * The nets' parameter counts on both sides (params_g, params_d or params_v): a check that the peer built the
     * same architecture. A difference is printed as such; the timings are then not of the same nets.
     */
    static void printParameters(PeerProcess.Result ours, PeerProcess.Result peer) {
        List<String> keys = ours.values().keySet().stream().filter(k -> k.startsWith("params_")).toList();
        if (keys.isEmpty()) {
            return;
        }
        StringBuilder line = new StringBuilder("nets:     parameters, ganflow");
        boolean same = true;
        for (String k : keys) {
            line.append(" ").append(k.substring(7)).append(" ").append(ours.get(k));
        }
        if (peer != null) {
            line.append("; pytorch");
            for (String k : keys) {
                line.append(" ").append(k.substring(7)).append(" ").append(peer.get(k));
                same &= ours.get(k).equals(peer.get(k));
            }
            line.append(same ? ": the same" : ": DIFFERENT, so the two sides do not time the same nets");
        }
        System.out.println(line);
    }

    /** ganflow's side of {@code which} suite in this process. */
    private Map<String, String> ganflowInProcess(String which) {
        if (which.equals("transport")) {
            return TransportBench.ganflowSide(threads, sinkhornPoints, sinkhornReg);
        }
        int n = iters(which);
        if (which.equals("sample")) {
            SampleWorkload s = new SampleWorkload(threads);
            Map<String, String> params = new LinkedHashMap<>();
            params.put("params_v", Long.toString(s.method().networks().get("denoiser").size()));
            return ganflowStepSide(s, n, params, () -> s, warmupFor(which));
        }
        if (which.equals("wgan-gp")) {
            return ganflowStepSide(new WganGpWorkload(width, threads, warmup + n, Precision.FP32, device), n, Map.of(),
                    () -> new WganGpWorkload(width, threads, warmup + n, Precision.BF16, device));
        }
        ImageWorkload w = new ImageWorkload(which, threads, warmup + n);
        Map<String, String> params = new LinkedHashMap<>();
        w.parameterCounts().forEach((k, v) -> params.put("params_" + k, Long.toString(v)));
        return ganflowStepSide(w, n, params, () -> new ImageWorkload(which, threads, warmup + n, Precision.BF16));
    }

    /** Timed iterations of {@code which} suite: the option, else 40 (20 for the slower image suites, 2 for sample). */
    int iters(String which) {
        return iters != null ? iters : which.equals("sample") ? 2 : ImageWorkload.SUITES.contains(which) ? 20 : 40;
    }

    /** Untimed iterations first: --warmup, except one for sample (an iteration there takes about a minute). */
    int warmupFor(String which) {
        return which.equals("sample") ? Math.min(1, warmup) : warmup;
    }

    /** ganflow's side of a timed step in this process: BLAS facts, sgemm rate, {@code extra}, step timings. */
    private Map<String, String> ganflowStepSide(BenchWorkload w, int iters, Map<String, String> extra,
            java.util.function.Supplier<BenchWorkload> bf16) {
        return ganflowStepSide(w, iters, extra, bf16, warmup);
    }

    private Map<String, String> ganflowStepSide(BenchWorkload w, int iters, Map<String, String> extra,
            java.util.function.Supplier<BenchWorkload> bf16, int warmup) {
        Map<String, String> r = new LinkedHashMap<>(BlasInfo.describe());
        r.putAll(extra);
        double[] rate = BlasInfo.sgemmGflops(5, 0.15);
        r.put("sgemm_gflops", StepTimer.fmt(rate[0]));
        r.put("sgemm_cpu_gflops", StepTimer.fmt(rate[1]));
        r.put("flops", Double.toString(w.flops()));
        long warmStart = System.nanoTime();
        int warmed = StepTimer.warmUp(w, warmup, warmupSeconds);
        r.put("warmup_iterations", Integer.toString(warmed));
        r.put("warmup_seconds", StepTimer.fmt((System.nanoTime() - warmStart) / 1e9));
        StepTimer.time(w, iters, "", r);
        if (precision.equals("bf16")) {
            double[] bf = BlasInfo.bf16GemmGflops(5, 0.15);
            r.put("bf16_gemm_gflops", StepTimer.fmt(bf[0]));
            r.put("bf16_gemm_cpu_gflops", StepTimer.fmt(bf[1]));
            BenchWorkload b = bf16.get();
            long bfStart = System.nanoTime();
            r.put("bf16_warmup_iterations", Integer.toString(StepTimer.warmUp(b, warmup, warmupSeconds)));
            r.put("bf16_warmup_seconds", StepTimer.fmt((System.nanoTime() - bfStart) / 1e9));
            StepTimer.time(b, iters, "bf16_", r);
        }
        return r;
    }

    /**
     * The bf16 lines: each side's bfloat16 and float32 product rates (256 × 512 × 512), its step in fp32 and bf16
     * (wall clock and CPU time) with the bf16/fp32 ratio, and ganflow/pytorch in bf16.
     */
    private void printBf16(PeerProcess.Result ours, PeerProcess.Result peer) {
        System.out.println("bf16:     mixed precision, products in bfloat16: ganflow's train.precision=bf16 (explicit"
                + " casts around each product), PyTorch under torch.autocast(\"" + device + "\", dtype=torch.bfloat16)");
        for (PeerProcess.Result r : peer == null ? List.of(ours) : List.of(ours, peer)) {
            String who = r == ours ? "ganflow " : "pytorch ";
            if (!r.has("bf16_ms_per_iter")) {
                System.out.println(who + " bf16 not measured: " + r.lastLine());
                continue;
            }
            System.out.printf(Locale.ROOT, "%s  product 256x512x512: fp32 %s GFLOP/s, bf16 %s GFLOP/s (%.2fx; CPU time:"
                    + " %s against %s)%n", who, r.get("sgemm_gflops"), r.get("bf16_gemm_gflops"),
                    r.number("bf16_gemm_gflops") / r.number("sgemm_gflops"), r.get("sgemm_cpu_gflops"),
                    r.get("bf16_gemm_cpu_gflops"));
            System.out.printf(Locale.ROOT, "%s  step fp32 %9.2f ms/iter (CPU %.2f), bf16 %9.2f ms/iter (CPU %.2f):"
                    + " bf16/fp32 = %.3f (wall clock), %.3f (CPU time)  (below 1: bf16 is faster)%n", who,
                    r.number("ms_per_iter"), r.number("cpu_ms_per_iter"), r.number("bf16_ms_per_iter"),
                    r.number("bf16_cpu_ms_per_iter"), r.number("bf16_ms_per_iter") / r.number("ms_per_iter"),
                    r.number("bf16_cpu_ms_per_iter") / r.number("cpu_ms_per_iter"));
        }
        if (peer != null && peer.has("bf16_ms_per_iter") && ours.has("bf16_ms_per_iter")) {
            System.out.printf(Locale.ROOT, "ratio ganflow/pytorch in bf16 = %.3f (wall clock), %.3f (CPU time); in fp32"
                    + " = %.3f, %.3f%n", ours.number("bf16_ms_per_iter") / peer.number("bf16_ms_per_iter"),
                    ours.number("bf16_cpu_ms_per_iter") / peer.number("bf16_cpu_ms_per_iter"),
                    ours.number("ms_per_iter") / peer.number("ms_per_iter"),
                    ours.number("cpu_ms_per_iter") / peer.number("cpu_ms_per_iter"));
        }
    }

    /** Wall-clock over CPU time of a side's step (1 for a single thread with the CPU to itself). */
    private static double crowding(PeerProcess.Result r) {
        return r.number("ms_per_iter") / r.number("cpu_ms_per_iter");
    }

    private void printTiming(String who, PeerProcess.Result r, double flops, String version) {
        double ms = r.number("ms_per_iter");
        double cpu = r.number("cpu_ms_per_iter");
        if (device.equals("cuda")) {
            System.out.printf(Locale.ROOT, "%s %9.2f ms/iter on cuda, host CPU %.2f ms/iter; %.1f GFLOP/s  (%s)%n", who, ms,
                    cpu, flops / (ms * 1e6), version);
            return;
        }
        double limit = flops / (r.number("sgemm_gflops") * 1e9) * 1e3;
        double cpuLimit = flops / (r.number("sgemm_cpu_gflops") * 1e9) * 1e3;
        System.out.printf(Locale.ROOT, "%s %9.2f ms/iter, CPU %.2f ms/iter; limit %.2f ms (CPU %.2f): %.2fx the limit"
                + " (CPU %.2fx), %.0f %% of the sgemm rate (CPU %.0f %%)  (%s)%n", who, ms, cpu, limit, cpuLimit, ms / limit,
                cpu / cpuLimit, 100 * limit / ms, 100 * cpuLimit / cpu, version);
    }

    /**
     * ganflow's side of {@code which} suite: in this process when its kernel is already the plan's, else in a
     * child JVM with OPENBLAS_CORETYPE set (OpenBLAS reads it only when it loads). Null if the child failed.
     */
    PeerProcess.Result ganflowSide(KernelPlan plan, String which) throws Exception {
        if (plan.target() == null || plan.target().equalsIgnoreCase(plan.ganflowKernel())) {
            return new PeerProcess.Result(ganflowInProcess(which), "", true);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass());
        cmd.addAll(List.of("bench", "--side=ganflow", "--suite=" + which, "--iters=" + iters(which), "--warmup=" + warmup,
                "--warmup-seconds=" + warmupSeconds,
                "--width=" + width, "--threads=" + threads, "--precision=" + precision, "--device=" + device,
                "--sinkhorn-points="
                + sinkhornPoints, "--sinkhorn-reg="
                + sinkhornReg));
        PeerProcess.Result r = PeerProcess.run(cmd, Map.of("OPENBLAS_CORETYPE", plan.target()), 120);
        if (!r.has("kernel")) {
            System.out.println("ganflow  failed in its child process (" + r.lastLine() + ")");
            return null;
        }
        return r;
    }

    static void printBlas(String who, PeerProcess.Result r, KernelPlan plan) {
        String rate = r.has("sgemm_gflops") ? String.format(Locale.ROOT, "; sgemm 256x512x512: %s GFLOP/s (%s per"
                + " CPU-second)", r.get("sgemm_gflops"), r.get("sgemm_cpu_gflops")) : "";
        String check = plan.target() != null && !plan.target().equalsIgnoreCase(r.get("kernel"))
                ? " [asked for " + plan.target() + "]" : "";
        System.out.printf(Locale.ROOT, "%s %s (%s), kernel %s%s, %s BLAS thread(s)%s%n", who, r.get("blas_version"),
                r.get("blas_library"), r.get("kernel"), check, r.get("blas_threads"), rate);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    @Spec
    CommandSpec spec;

    /** The kernel plan of this invocation's --kernel, --no-fix-kernel and --threads for a peer command (or none). */
    KernelPlan planKernels(List<String> peerCmd) throws InterruptedException {
        return KernelPlan.plan(peerCmd, kernel, noFixKernel, threads);
    }

    /** The application's entry point, to start a child JVM like this one (the command line's root object). */
    String mainClass() {
        return spec.root().userObject().getClass().getName();
    }

    String pythonExe() {
        String exe = python != null ? python : System.getenv("GANFLOW_PEER_PYTHON");
        if (exe == null) {
            exe = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        }
        return exe;
    }

    boolean noPeer() {
        return noPeer;
    }

    int threads() {
        return threads;
    }

    int sinkhornPoints() {
        return sinkhornPoints;
    }

    double sinkhornReg() {
        return sinkhornReg;
    }
}
