package io.ganflow.engine;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The number format of the matrix products and convolutions of a training step ({@code train.precision}).
 *
 * <p>{@link #BF16} is mixed precision: the layers that multiply matrices ({@link Ops#linear}, {@link Ops#mm},
 * {@link Ops#conv2d}, {@link Ops#convTranspose2d}) cast their float32 inputs, weights and biases to bfloat16, run
 * the product in bfloat16 and cast the result back to float32. Everything else stays float32: the master
 * weights and the optimiser state (the casts are differentiable, so gradients arrive in float32), activations,
 * normalisation layers, losses, gradient penalties, reductions and metrics. The casts are explicit rather than
 * libtorch's autocast: the JavaCPP presets map neither autocast's enabling call nor its cast cache (which holds
 * bfloat16 copies of the weights and must be cleared after every optimiser step), and explicit casts behave the
 * same on every device and through double backward (the gradient penalties).
 *
 * <p>The setting is per thread and scoped: the Trainer sets it around each {@code Method.step}, so sampling,
 * evaluation and the image metrics' classifiers always run in float32. Float64 tensors are never cast.
 */
public enum Precision {
    FP32,
    BF16;

    private static final ThreadLocal<Precision> CURRENT = ThreadLocal.withInitial(() -> FP32);

    /** The precision in force on this thread (FP32 unless inside {@link #use}). */
    public static Precision current() {
        return CURRENT.get();
    }

    /** Sets the precision on this thread until the returned handle is closed (which restores the previous one). */
    public static Use use(Precision p) {
        Precision before = CURRENT.get();
        CURRENT.set(p);
        return new Use(before);
    }

    /** A precision chosen from a config word, and why (for {@code auto}). */
    public record Choice(Precision precision, String reason) {}

    /**
     * Resolves {@code train.precision}: "fp32", "bf16", or "auto", which picks BF16 on a CPU with bfloat16 units,
     * AMX ({@code amx_bf16} in /proc/cpuinfo) or AVX-512-BF16 ({@code avx512_bf16}), and FP32 elsewhere. The
     * evidence: on a 2-core AMD EPYC with AVX-512-BF16 and no AMX, libtorch multiplied 256 × 512 × 512 in
     * bfloat16 at 3.9 times its float32 rate and ran the WGAN-GP toy step at width 512 in 0.39–0.42 of its float32
     * CPU time (docs/precision.md); without those units libtorch emulates bfloat16 and the step only pays for the
     * casts. On CUDA, auto stays FP32: untested (no GPU was at hand), so bf16 there is a deliberate choice.
     */
    public static Choice choose(String key, String word, Device device) {
        switch (word.toLowerCase(java.util.Locale.ROOT)) {
            case "fp32":
                return new Choice(FP32, "");
            case "bf16":
                return new Choice(BF16, "");
            case "auto":
                if (device == Device.CUDA) {
                    return new Choice(FP32, "fp32 (bf16 on CUDA is untested; set train.precision=bf16 to use it)");
                }
                String flags = cpuFlags();
                if (flags.contains(" amx_bf16 ")) {
                    return new Choice(BF16, "bf16 (the CPU has AMX)");
                }
                if (flags.contains(" avx512_bf16 ")) {
                    return new Choice(BF16, "bf16 (the CPU has AVX-512-BF16)");
                }
                return new Choice(FP32, "fp32 (the CPU has neither AMX nor AVX-512-BF16)");
            default:
                throw new io.ganflow.BadInputException(key + "=" + word + " is not a precision; allowed: fp32, bf16,"
                        + " auto");
        }
    }

    /**
     * A warning when bf16 was asked for on a CPU that has no bfloat16 units (neither AMX nor AVX-512-BF16):
     * libtorch then emulates every bfloat16 product, and the default preset trained about 25 times slower than in
     * fp32 (3 against 80 steps/s on an AVX2-only EPYC). Empty for fp32, on CUDA, and where the units exist.
     */
    public static java.util.Optional<String> emulationWarning(Precision p, Device device) {
        return emulationWarning(p, device, cpuFlags());
    }

    static java.util.Optional<String> emulationWarning(Precision p, Device device, String flags) {
        if (p != BF16 || device == Device.CUDA || flags.contains(" amx_bf16 ") || flags.contains(" avx512_bf16 ")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("train.precision=bf16 on a CPU without bfloat16 units (no AMX, no AVX-512-BF16):"
                + " libtorch emulates every bf16 product, so training runs many times slower than fp32 (about 25x for"
                + " the default preset); train.precision=auto picks bf16 only where the CPU has them");
    }

    /** The flags of the first processor in /proc/cpuinfo, space-padded (" " if unreadable). */
    static String cpuFlags() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return " " + line.substring(line.indexOf(':') + 1).trim() + " ";
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or unreadable: no evidence for bf16
        }
        return " ";
    }

    /** The config word: "fp32" or "bf16". */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Restores the precision that was in force before {@link #use}. */
    public static final class Use implements AutoCloseable {
        private final Precision before;

        private Use(Precision before) {
            this.before = before;
        }

        @Override
        public void close() {
            CURRENT.set(before);
        }
    }

    /** True if products on this float32 tensor run in bfloat16 on this thread. */
    static boolean lowers(Tensor x) {
        return CURRENT.get() == BF16 && x.scalar_type().intern() == torch.ScalarType.Float;
    }

    /** x as bfloat16 (a differentiable cast); null stays null. */
    static Tensor low(Tensor x) {
        return x == null ? null : x.to(torch.ScalarType.BFloat16);
    }

    /** x back to float32 (a differentiable cast). */
    static Tensor high(Tensor x) {
        return x.to(torch.ScalarType.Float);
    }
}
