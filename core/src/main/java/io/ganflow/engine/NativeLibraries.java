package io.ganflow.engine;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;

/**
 * Which libtorch natives this build carries (bytedeco's CPU build, or its GPU build under {@code -Pgpu}), and
 * whether the GPU build can load here. None of it loads libtorch.
 */
public final class NativeLibraries {
    /**
     * Libraries that the GPU build of libtorch links and bytedeco's 1.5.13 CUDA redistributable does not ship;
     * they come from the host's CUDA 13 installation.
     */
    static final List<String> HOST_CUDA_LIBRARIES = List.of("libcublas.so.13", "libcublasLt.so.13",
            "libcusparse.so.12", "libcusolver.so.12", "libcudnn.so.9", "libcudnn_graph.so.9", "libcudnn_ops.so.9",
            "libcudnn_cnn.so.9", "libcudnn_adv.so.9", "libnccl.so.2");

    private NativeLibraries() {}

    /** The resource folder of libtorch's natives: {@code /org/bytedeco/pytorch/<platform>[-gpu]/}. */
    static String torchResourceDir() {
        String dir = "/org/bytedeco/pytorch/" + Loader.getPlatform();
        return torch.class.getResource(dir + "-gpu/") != null ? dir + "-gpu/" : dir + "/";
    }

    /** True when the GPU build of libtorch's natives is on the class path. */
    public static boolean isGpuBuild() {
        return torchResourceDir().endsWith("-gpu/");
    }

    /**
     * Why libtorch cannot load, when that can be told before loading it: a GPU build on a host without the CUDA
     * libraries it links (the dynamic linker then fails on libtorch, and JavaCPP's fall-back to a libtorch found
     * on the system path can crash the process). Empty when nothing is known to be missing.
     */
    public static Optional<String> problem() {
        if (!isGpuBuild() || !Loader.getPlatform().startsWith("linux")) {
            return Optional.empty();
        }
        List<String> missing = new ArrayList<>();
        Set<String> found = knownLibraries();
        for (String lib : HOST_CUDA_LIBRARIES) {
            if (!found.contains(lib)) {
                missing.add(lib);
            }
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("this ganflow was built with the GPU natives (mvn -Pgpu), which need the host's CUDA 13"
                + " libraries, and " + String.join(", ", missing) + " were not found on LD_LIBRARY_PATH or in the"
                + " linker cache; install CUDA 13.1, cuDNN 9 and NCCL 2 (or add their lib folders to"
                + " LD_LIBRARY_PATH), or build without -Pgpu for the CPU");
    }

    /** File names in LD_LIBRARY_PATH's folders, the usual library folders, and the linker cache. */
    private static Set<String> knownLibraries() {
        Set<String> names = new LinkedHashSet<>();
        List<String> dirs = new ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            dirs.addAll(List.of(ld.split(File.pathSeparator)));
        }
        dirs.addAll(List.of("/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib",
                "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu", "/lib64"));
        for (String d : dirs) {
            String[] files = d.isEmpty() ? null : new File(d).list();
            if (files != null) {
                names.addAll(List.of(files));
            }
        }
        try {
            Process p = new ProcessBuilder("/sbin/ldconfig", "-p").redirectErrorStream(true).start();
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
                    p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    String t = line.trim();
                    int sp = t.indexOf(' ');
                    if (sp > 0) {
                        names.add(t.substring(0, sp));
                    }
                }
            }
            p.waitFor();
        } catch (java.io.IOException e) {
            // no linker cache to read: the folders above decide
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return names;
    }
}
