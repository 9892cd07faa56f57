package io.ganflow.engine;

import io.ganflow.BadInputException;
import org.bytedeco.pytorch.global.torch;

/** Where tensors live. CPU always works; CUDA needs a CUDA build of the libtorch natives and a GPU. */
public enum Device {
    CPU,
    CUDA;

    /** Parses "cpu", "cuda" or "auto" (CUDA when present, else CPU). */
    public static Device parse(String key, String value) {
        switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "cpu":
                return CPU;
            case "auto":
                return cudaAvailable() ? CUDA : CPU;
            case "cuda":
                if (!cudaAvailable()) {
                    throw new BadInputException(key + "=cuda, but no CUDA device is usable (the bundled libtorch is"
                            + " the CPU build, or no GPU is visible); allowed here: cpu, auto");
                }
                return CUDA;
            default:
                throw new BadInputException(key + "=" + value + " is not a device; allowed: cpu, cuda, auto");
        }
    }

    public static boolean cudaAvailable() {
        try {
            return torch.cuda_is_available();
        } catch (Throwable t) {
            return false;
        }
    }
}
