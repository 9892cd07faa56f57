package io.ganflow.engine;

import io.ganflow.BadInputException;
import org.bytedeco.pytorch.global.torch;

/**
 * Where a run's tensors live. CPU always works; CUDA needs the GPU build of the libtorch natives ({@code mvn
 * -Pgpu package}, docs/scaling.md) and a GPU. META is libtorch's shape-only device: no memory, no values, and a
 * read of a value fails. It is not a setting; tests train on it to prove that a step creates every tensor on the
 * run's device and reads nothing back to the host (DevicePlacementTest).
 */
public enum Device {
    CPU("cpu"),
    CUDA("cuda"),
    META("meta");

    private final String torchName;
    private volatile org.bytedeco.pytorch.Device handle;

    Device(String torchName) {
        this.torchName = torchName;
    }

    /** Parses "cpu", "cuda" or "auto" (CUDA when present, else CPU). */
    public static Device parse(String key, String value) {
        switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "cpu":
                return CPU;
            case "auto":
                return cudaAvailable() ? CUDA : CPU;
            case "cuda":
                if (!cudaAvailable()) {
                    throw new BadInputException(key + "=cuda, but no CUDA device is usable (this ganflow was built"
                            + (NativeLibraries.isGpuBuild() ? " with the GPU natives, but libtorch sees no GPU"
                                    : " with the CPU natives; build with mvn -Pgpu package") + "); allowed here: cpu,"
                            + " auto");
                }
                return CUDA;
            default:
                throw new BadInputException(key + "=" + value + " is not a device; allowed: cpu, cuda, auto");
        }
    }

    public static boolean cudaAvailable() {
        Engine.ensureLoaded(); // ganflow's native set-up first (extraction, JavaCPP's settings), then libtorch
        try {
            return torch.cuda_is_available();
        } catch (Throwable t) {
            return false;
        }
    }

    /** libtorch's device (the first GPU for CUDA); one shared native object per constant. */
    public org.bytedeco.pytorch.Device torch() {
        org.bytedeco.pytorch.Device h = handle;
        if (h == null) {
            synchronized (this) {
                if (handle == null) {
                    Engine.ensureLoaded();
                    handle = Scope.outlive(new org.bytedeco.pytorch.Device(torchName));
                }
                h = handle;
            }
        }
        return h;
    }

    /** The device a tensor lives on. */
    public static Device of(org.bytedeco.pytorch.Tensor t) {
        if (t.is_cuda()) {
            return CUDA;
        }
        return t.is_meta() ? META : CPU;
    }

    /** The name libtorch gives it: cpu, cuda, meta. */
    public String key() {
        return torchName;
    }
}
