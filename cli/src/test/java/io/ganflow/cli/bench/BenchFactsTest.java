package io.ganflow.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What `ganflow bench` prints beside its timings (it times nothing here). */
class BenchFactsTest {
    /** The analytic count equals what torch.profiler (with_flops) counts for the PyTorch peer: mm + addmm. */
    @Test
    void flopCountMatchesPyTorchProfiler() {
        assertEquals(1_185_611_776.0, WganGpWorkload.flopsPerIteration(128, false));
        assertEquals(18_835_308_544.0, WganGpWorkload.flopsPerIteration(512, false));
        // the fast gradient penalty leaves out d0 + 2 d1 + 2 d2 + d3 per critic update (5 per iteration)
        double b = 256;
        double w = 128;
        double skipped = 5 * (2 * b * 2 * w + 4 * 2 * b * w * w + 2 * b * w);
        assertEquals(1_185_611_776.0 - skipped, WganGpWorkload.flopsPerIteration(128, true));
    }

    /**
     * The image suites' analytic counts equal what the PyTorch peer's convolution and matrix-product kernels
     * multiply, counted from their shapes as autograd dispatches them (tools/fixtures/image_flops.txt:
     * image_steps.py --count-flops, torch 1.13).
     */
    @Test
    void imageFlopCountsMatchTheKernelsPyTorchRuns() {
        assertEquals(10_369_171_456.0, ImageWorkload.flopsPerIteration("dcgan"));
        assertEquals(59_558_510_592.0, ImageWorkload.flopsPerIteration("conv-gp"));
        assertEquals(48_332_866_560.0, ImageWorkload.flopsPerIteration("unet"));
        assertEquals(48_332_866_560.0, ImageWorkload.flopsPerIteration("ddpm"), "the same U-Net, forward and backward");
        assertEquals(4_407_997_720_000.0, SampleWorkload.flopsPerIteration(), "35 forward passes on 500 images");
    }

    /** A hand count of the DCGAN generator's forward pass at batch 64 (28 px: fc, two transposed convs). */
    @Test
    void dcganGeneratorForwardByHand() {
        // fc 100 -> 128*7*7; up1: each of 64*128*7*7 input values meets 64*4*4 weights; out: 64*64*14*14 x 1*4*4
        double byHand = 2.0 * 64 * 100 * 6272 + 2.0 * 64 * 128 * 49 * 64 * 16 + 2.0 * 64 * 64 * 196 * 16;
        double g0 = ImageWorkload.linear(64, 100, 6272);
        assertEquals(byHand, g0 + ImageWorkload.convT(64, 128, 64, 4, 49) + ImageWorkload.convT(64, 64, 1, 4, 196));
        assertEquals(928_055_296.0, byHand);
    }

    @Test
    void kernelFallbacksStayWithinWhatTheCpuRuns() {
        assertEquals(List.of("Cooperlake", "SkylakeX", "Haswell", "Sandybridge", "Nehalem", "Core2", "Prescott"),
                BlasInfo.fallbacks("Cooperlake"));
        assertEquals("Zen", BlasInfo.fallbacks("ZEN").get(0));
        assertEquals("Haswell", BlasInfo.fallbacks("Zen").get(1));
        assertTrue(BlasInfo.isGeneric("Prescott"));
        assertFalse(BlasInfo.isGeneric("SkylakeX"));
    }

    /** The kernel is read from the OpenBLAS that serves libtorch's sgemm_, and is one OpenBLAS names. */
    @Test
    void readsTheLoadedKernel() {
        String k = BlasInfo.kernel();
        assertTrue(BlasInfo.X86_KERNELS.containsValue(k), k);
        String forced = System.getenv("OPENBLAS_CORETYPE");
        if (forced != null && BlasInfo.X86_KERNELS.containsValue(forced)) {
            assertTrue(BlasInfo.fallbacks(forced).contains(k), "forced " + forced + ", got " + k);
        }
        assertTrue(BlasInfo.library().contains("openblas"), BlasInfo.library());
        assertTrue(BlasInfo.version().startsWith("OpenBLAS 0.3."), BlasInfo.version());
    }
}
