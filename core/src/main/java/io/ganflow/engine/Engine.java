package io.ganflow.engine;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.bytedeco.pytorch.global.torch;

/**
 * The process-wide native settings: compute threads and device.
 *
 * <p>Thread policy. {@code threads} is the number of cores ganflow may use. It goes to OpenBLAS, which
 * runs the matrix products that dominate every step; libtorch's own OpenMP pool stays at 1 thread,
 * because the two pools oversubscribe the cores: on the 2-core reference machine a WGAN-GP toy step
 * (512-wide MLPs, batch 256) took 1,311 ms with 2 + 2 threads against 160 ms with 1 (libtorch) + 2
 * (OpenBLAS) and 269 ms with 1 + 1. The default is 1: OpenBLAS workers spin while they wait, so with 2
 * threads a second busy process on the machine slowed a step from 38 ms to 1,488 ms. Pass
 * {@code --threads 2} on an otherwise idle 2-core machine for a 1.2–1.7× speed-up. Override the default
 * with the system property {@code ganflow.threads} or the environment variable {@code GANFLOW_THREADS};
 * the libtorch pool with {@code ganflow.intraop.threads}. Figures: bench/README.md.
 */
public final class Engine {
    private static volatile int threads = -1;
    private static volatile Device device = Device.CPU;

    static {
        relaxPhysicalMemoryCheck();
        NativeLibraries.problem().ifPresent(why -> {
            throw new IllegalStateException("ganflow: " + why);
        });
        extractNatives();
    }

    private Engine() {}

    /**
     * Turns off JavaCPP's resident-memory check unless the user set it: by default JavaCPP reads
     * /proc/self/statm every time a native object gets a deallocator, that is for every tensor, scalar and
     * vector a call returns, to call System.gc() when the process's resident memory passes twice the Java
     * heap. That read cost 1.4 µs per object, more than the libtorch call itself: 2.05 µs against 0.67 µs for
     * {@code Tensor.detach()} with its release (JniCost, bench/README.md). ganflow releases its tensors by
     * scope, and the young-generation collections that its per-step Java objects cause still release any
     * tensor left to the garbage collector. Effective only before JavaCPP's Pointer class initialises, which is
     * why it runs first; {@code -Dorg.bytedeco.javacpp.maxphysicalbytes=...} restores the check.
     */
    private static void relaxPhysicalMemoryCheck() {
        if (System.getProperty("org.bytedeco.javacpp.maxphysicalbytes") == null) {
            System.setProperty("org.bytedeco.javacpp.maxphysicalbytes", "0");
        }
    }

    /**
     * Unpacks the whole native directories of libtorch and OpenBLAS into JavaCPP's cache before anything is
     * loaded. Without this, the first run on a machine extracts libtorch.so before libtorch_cpu.so, and the
     * dynamic linker resolves libtorch_cpu.so from the system instead: on a machine with Debian's
     * python3-torch that is libtorch 1.13, and two libtorch versions in one process crash in
     * pthread_mutex_lock. Later runs find the cache complete and never saw the problem.
     */
    private static void extractNatives() {
        String platform = Loader.getPlatform();
        try {
            Loader.cacheResources(openblas_nolapack.class, "/org/bytedeco/openblas/" + platform + "/");
            Loader.cacheResources(torch.class, NativeLibraries.torchResourceDir());
        } catch (java.io.IOException | RuntimeException e) {
            // JavaCPP extracts on demand; the warning explains a crash if one follows.
            System.err.println("ganflow: warning: could not pre-extract the native libraries (" + e + ")");
        }
    }

    /** Loads the native libraries (idempotent); every entry point into libtorch calls this first. */
    public static void ensureLoaded() {
        // the static initialiser does the work
    }

    /** The thread count ganflow uses when nobody says otherwise. */
    public static int defaultThreads() {
        String p = System.getProperty("ganflow.threads");
        if (p == null || p.isBlank()) {
            p = System.getenv("GANFLOW_THREADS");
        }
        if (p != null && !p.isBlank()) {
            try {
                int t = Integer.parseInt(p.trim());
                if (t >= 1) {
                    return t;
                }
            } catch (NumberFormatException ignored) {
                // fall back to the measured default
            }
        }
        return 1;
    }

    /**
     * Sets the compute threads (OpenBLAS; libtorch's pool stays at 1). Safe to call more than once. A
     * request above the machine's cores is capped to the core count, with a warning: more threads than
     * cores only make OpenBLAS's spinning workers fight (--threads 1000 on 2 cores ran 20 steps in 4m23s).
     */
    /** The last thread request above the core count, warned about once. */
    private static int cappedRequest;

    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (n > cores) {
            if (n != cappedRequest) { // once per request: a run sets its threads at set-up and again at start
                System.err.println("ganflow: warning: train.threads=" + n + " is more than the " + cores + " cores of"
                        + " this machine; using " + cores);
                cappedRequest = n;
            }
            n = cores;
        }
        if (n != threads) {
            torch.set_num_threads(Integer.getInteger("ganflow.intraop.threads", 1));
            Loader.load(openblas_nolapack.class);
            org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(n);
            threads = n;
        }
    }

    /** Makes sure libtorch is loaded and the thread count is set (to the default if never set). */
    public static void ensureInitialised() {
        if (threads < 0) {
            setThreads(defaultThreads());
        }
    }

    public static int threads() {
        ensureInitialised();
        return threads;
    }

    /**
     * Sets the device of the next runs' training state: a Trainer built afterwards moves
     * its networks and optimiser state there, and draws its noise and batches there.
     */
    public static void setDevice(Device d) {
        device = d;
    }

    public static Device device() {
        return device;
    }

    /**
     * The libtorch version of the presets in use, e.g. "2.10.0" (from the presets' Maven properties: the
     * 1.5.13 presets no longer map the TORCH_VERSION macro); "unknown" where the jar lacks them.
     */
    public static String libtorchVersion() {
        try (java.io.InputStream in = torch.class.getResourceAsStream(
                "/META-INF/maven/org.bytedeco/pytorch/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            int dash = v.indexOf('-');
            return dash > 0 ? v.substring(0, dash) : v;
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
