package io.ganflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.config.Setup;
import org.junit.jupiter.api.Test;

/** train.precision: its values, its scope, and auto's choice by the CPU's flags. */
class PrecisionTest {
    @Test
    void badValuesFailNamingKeyValueAndChoices() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> Config.builder().set("train.precision", "fp16", "--set").build());
        assertTrue(e.getMessage().contains("train.precision") && e.getMessage().contains("fp16")
                && e.getMessage().contains("bf16") && e.getMessage().contains("auto"), e.getMessage());
        BadInputException c = assertThrows(BadInputException.class, () -> Precision.choose("k", "half", Device.CPU));
        assertEquals("k=half is not a precision; allowed: fp32, bf16, auto", c.getMessage());
    }

    @Test
    void wordsAndDefault() {
        assertEquals(Precision.FP32, Setup.precision(Config.builder().build()).precision(), "the default is fp32");
        assertEquals(Precision.BF16, Precision.choose("k", "BF16", Device.CPU).precision());
        assertEquals(Precision.FP32, Precision.choose("k", "fp32", Device.CPU).precision());
        assertEquals("", Precision.choose("k", "bf16", Device.CPU).reason(), "only auto explains itself");
    }

    /** auto picks bf16 exactly when /proc/cpuinfo lists AMX or AVX-512-BF16, and says which it chose and why. */
    @Test
    void autoFollowsTheCpuFlags() {
        Precision.Choice c = Precision.choose("train.precision", "auto", Device.CPU);
        String flags = Precision.cpuFlags();
        boolean units = flags.contains(" amx_bf16 ") || flags.contains(" avx512_bf16 ");
        assertEquals(units ? Precision.BF16 : Precision.FP32, c.precision(), flags);
        assertTrue(c.reason().startsWith(c.precision().word() + " ("), c.reason());
        assertEquals(Precision.FP32, Precision.choose("k", "auto", Device.CUDA).precision(), "CUDA: untested, fp32");
    }

    @Test
    void useIsScopedAndRestores() {
        assertEquals(Precision.FP32, Precision.current());
        try (Precision.Use a = Precision.use(Precision.BF16)) {
            assertEquals(Precision.BF16, Precision.current());
            try (Precision.Use b = Precision.use(Precision.FP32)) {
                assertEquals(Precision.FP32, Precision.current());
            }
            assertEquals(Precision.BF16, Precision.current());
        }
        assertEquals(Precision.FP32, Precision.current());
    }

    /** bf16 on a CPU without bfloat16 units is emulated: a warning names what the CPU lacks and points to auto. */
    @Test
    void bf16WithoutBf16UnitsWarns() {
        String avx2 = " fpu sse2 avx avx2 fma ";
        String w = Precision.emulationWarning(Precision.BF16, Device.CPU, avx2).orElseThrow();
        assertTrue(w.contains("no AMX, no AVX-512-BF16") && w.contains("train.precision=auto"), w);
        assertTrue(Precision.emulationWarning(Precision.BF16, Device.CPU, " avx2 avx512_bf16 ").isEmpty());
        assertTrue(Precision.emulationWarning(Precision.BF16, Device.CPU, " avx2 amx_bf16 ").isEmpty());
        assertTrue(Precision.emulationWarning(Precision.FP32, Device.CPU, avx2).isEmpty(), "fp32 is never emulated");
        assertTrue(Precision.emulationWarning(Precision.BF16, Device.CUDA, avx2).isEmpty(), "a GPU has its own units");
    }
}
