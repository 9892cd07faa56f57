package io.ganflow.cli.bench;

import io.ganflow.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * What BLAS this process computes with: the library that libtorch's {@code sgemm_} resolves to, the OpenBLAS
 * kernel ("core") it picked, its thread count, and the single-precision GEMM rate it reaches.
 *
 * <p>The presets do not map {@code openblas_get_corename()}, so the kernel is read from OpenBLAS's exported
 * data instead: a DYNAMIC_ARCH build points its global {@code gotoblas} at one of its per-kernel tables
 * {@code gotoblas_HASWELL}, {@code gotoblas_SKYLAKEX}, ...; the table it points at names the kernel. Both
 * symbols are looked up the way libtorch's {@code sgemm_} is resolved (the process's global scope), so they
 * describe the copy of OpenBLAS that does the work (the bundle maps two copies, libopenblas_nolapack.so.0 and
 * libopenblas.so.0; the first one loaded serves every {@code sgemm_} call).
 */
final class BlasInfo {
    private BlasInfo() {}

    /** OpenBLAS's per-kernel tables on x86-64, with the names openblas_get_corename() reports. */
    static final Map<String, String> X86_KERNELS = new LinkedHashMap<>();

    static {
        String[][] names = {{"PRESCOTT", "Prescott"}, {"KATMAI", "Katmai"}, {"COPPERMINE", "Coppermine"},
            {"NORTHWOOD", "Northwood"}, {"BANIAS", "Banias"}, {"ATOM", "Atom"}, {"CORE2", "Core2"},
            {"PENRYN", "Penryn"}, {"DUNNINGTON", "Dunnington"}, {"NEHALEM", "Nehalem"}, {"ATHLON", "Athlon"},
            {"OPTERON", "Opteron"}, {"OPTERON_SSE3", "Opteron(SSE3)"}, {"BARCELONA", "Barcelona"},
            {"NANO", "Nano"}, {"BOBCAT", "Bobcat"}, {"SANDYBRIDGE", "Sandybridge"}, {"BULLDOZER", "Bulldozer"},
            {"PILEDRIVER", "Piledriver"}, {"STEAMROLLER", "Steamroller"}, {"EXCAVATOR", "Excavator"},
            {"HASWELL", "Haswell"}, {"ZEN", "Zen"}, {"SKYLAKEX", "SkylakeX"}, {"COOPERLAKE", "Cooperlake"},
            {"SAPPHIRERAPIDS", "SapphireRapids"}};
        for (String[] n : names) {
            X86_KERNELS.put(n[0], n[1]);
        }
    }

    /**
     * Kernels from the most capable down, for finding one that two OpenBLAS builds both know: each list is
     * the chain a CPU that runs its first entry can also run.
     */
    private static final List<List<String>> LADDERS = List.of(
            List.of("SapphireRapids", "Cooperlake", "SkylakeX", "Haswell", "Sandybridge", "Nehalem", "Core2", "Prescott"),
            List.of("Zen", "Haswell", "Sandybridge", "Nehalem", "Core2", "Prescott"),
            List.of("Excavator", "Steamroller", "Piledriver", "Bulldozer", "Sandybridge", "Nehalem", "Core2", "Prescott"));

    /** Kernels OpenBLAS falls back to when it does not recognise a CPU, or that predate AVX. */
    static boolean isGeneric(String kernel) {
        return kernel == null || List.of("prescott", "katmai", "coppermine", "northwood", "banias", "core2", "penryn",
                "dunnington", "nehalem", "athlon", "opteron", "opteron(sse3)", "barcelona", "atom", "nano", "bobcat",
                "unknown").contains(kernel.toLowerCase(Locale.ROOT));
    }

    /**
     * The best x86-64 kernel this CPU can run by its /proc/cpuinfo flags (Cooperlake, SkylakeX, Haswell,
     * Sandybridge, Nehalem, Core2 or Prescott), for when both OpenBLAS builds fall back to a generic kernel.
     */
    static String kernelForCpuFlags() {
        java.util.Set<String> f = new java.util.HashSet<>();
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("flags")) {
                    f.addAll(List.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+")));
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            return "Prescott";
        }
        if (f.containsAll(List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"))) {
            return f.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX";
        }
        if (f.containsAll(List.of("avx2", "fma"))) {
            return "Haswell";
        }
        if (f.contains("avx")) {
            return "Sandybridge";
        }
        if (f.contains("sse4_2")) {
            return "Nehalem";
        }
        return f.contains("ssse3") ? "Core2" : "Prescott";
    }

    /** {@code kernel} and the kernels below it that a CPU running it can also run, best first. */
    static List<String> fallbacks(String kernel) {
        for (List<String> l : LADDERS) {
            for (int i = 0; i < l.size(); i++) {
                if (l.get(i).equalsIgnoreCase(kernel)) {
                    return l.subList(i, l.size());
                }
            }
        }
        return kernel == null ? List.of() : List.of(kernel);
    }

    /** The OpenBLAS kernel this process computes with, or "unknown" (not a DYNAMIC_ARCH OpenBLAS). */
    static String kernel() {
        Engine.ensureInitialised();
        Pointer g = Loader.addressof("gotoblas");
        if (g == null || g.isNull()) {
            return "unknown";
        }
        long table = new LongPointer(g).get(0);
        for (Map.Entry<String, String> e : X86_KERNELS.entrySet()) {
            Pointer p = Loader.addressof("gotoblas_" + e.getKey());
            if (p != null && !p.isNull() && p.address() == table) {
                return e.getValue();
            }
        }
        return "unknown";
    }

    /** The shared library that serves {@code sgemm_} in this process (its file name), or "unknown". */
    static String library() {
        Engine.ensureInitialised();
        Pointer f = Loader.addressof("sgemm_");
        if (f == null || f.isNull()) {
            return "unknown";
        }
        String path = mappedFile(f.address());
        return path == null ? "unknown" : Path.of(path).getFileName().toString();
    }

    /** The file mapped at {@code address} in this process, from /proc/self/maps. */
    static String mappedFile(long address) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                String[] f = line.trim().split("\\s+", 6);
                if (f.length < 6 || !f[5].startsWith("/")) {
                    continue;
                }
                String[] range = f[0].split("-");
                long lo = Long.parseUnsignedLong(range[0], 16);
                long hi = Long.parseUnsignedLong(range[1], 16);
                if (Long.compareUnsigned(address, lo) >= 0 && Long.compareUnsigned(address, hi) < 0) {
                    return f[5];
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The version the OpenBLAS bindings were built against, e.g. "OpenBLAS 0.3.30". */
    static String version() {
        return openblas_nolapack.OPENBLAS_VERSION.trim();
    }

    /** OpenBLAS's thread count in this process. */
    static int threads() {
        Engine.ensureInitialised();
        return openblas_nolapack.blas_get_num_threads();
    }

    /**
     * The rate of a (256 × 512) · (512 × 512) float32 product through libtorch, in GFLOP/s, after a warm-up:
     * the median over {@code blocks} timed blocks of about {@code blockSeconds} each, by the wall clock
     * ([0]) and by CPU time ([1], less disturbed by other processes on the machine): of this thread when
     * OpenBLAS runs single-threaded (the JIT compiler's threads then do not count), else of the process.
     */
    static double[] sgemmGflops(int blocks, double blockSeconds) {
        return gemmGflops(false, blocks, blockSeconds);
    }

    /**
     * The same rate for a bfloat16 product (both operands and the result bfloat16), through libtorch's
     * bfloat16 path: the rate the products of train.precision=bf16 can reach.
     */
    static double[] bf16GemmGflops(int blocks, double blockSeconds) {
        return gemmGflops(true, blocks, blockSeconds);
    }

    private static double[] gemmGflops(boolean bf16, int blocks, double blockSeconds) {
        boolean single = threads() == 1;
        Engine.ensureInitialised();
        double flops = 2.0 * 256 * 512 * 512;
        try (PointerScope outer = new PointerScope()) {
            Tensor a = torch.randn(256, 512);
            Tensor b = torch.randn(512, 512);
            if (bf16) {
                a = a.to(torch.ScalarType.BFloat16);
                b = b.to(torch.ScalarType.BFloat16);
            }
            Tensor out = torch.empty_like(a.mm(b));
            for (int i = 0; i < 20; i++) {
                torch.mm_out(out, a, b);
            }
            double[] wall = new double[blocks];
            double[] cpu = new double[blocks];
            int reps = 10;
            for (int k = 0; k < blocks; k++) {
                long t0 = System.nanoTime();
                long c0 = single ? threadCpuNanos() : StepTimer.processCpuNanos();
                for (int i = 0; i < reps; i++) {
                    torch.mm_out(out, a, b);
                }
                double s = (System.nanoTime() - t0) / 1e9;
                double cs = ((single ? threadCpuNanos() : StepTimer.processCpuNanos()) - c0) / 1e9;
                wall[k] = reps * flops / s / 1e9;
                cpu[k] = reps * flops / Math.max(cs, 1e-9) / 1e9;
                reps = Math.max(1, (int) Math.min(100000, reps * blockSeconds / Math.max(s, 1e-6)));
            }
            Arrays.sort(wall);
            Arrays.sort(cpu);
            return new double[] {wall[blocks / 2], cpu[blocks / 2]};
        }
    }

    static long threadCpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** The BLAS description as key=value pairs (blas_library, blas_version, kernel, blas_threads). */
    static Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("blas_library", library());
        m.put("blas_version", version());
        m.put("kernel", kernel());
        m.put("blas_threads", Integer.toString(threads()));
        return m;
    }

    /** "model name" of the first CPU in /proc/cpuinfo, and the number of CPUs. */
    static String cpu() {
        String model = "unknown CPU";
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    model = l.substring(l.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // keep "unknown CPU"
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " CPUs";
    }

    /** The 1-, 5- and 15-minute load averages, as /proc/loadavg gives them. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
