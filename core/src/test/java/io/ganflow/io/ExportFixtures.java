package io.ganflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import io.ganflow.nn.Module;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * The check shared by the export tests against PyTorch: a seeded net's export is compared with the committed
 * file that tools/torch_load.py loaded, and ganflow's forward pass on the committed input with PyTorch's recorded
 * output.
 *
 * <p>What ganflow alone defines is compared byte for byte: the header (names, order, dtypes, shapes, offsets,
 * metadata) and every integer tensor (batch counters). Float tensors are compared with a tolerance, because some
 * of them pass through BLAS or convolution kernels before they are written (batch-norm running statistics
 * after training-mode passes, a spectrally normalised W/σ), and those kernels round differently on another
 * instruction set (AVX2 against AVX-512: one unit in the last place of a running mean, seen on an AVX2-only
 * machine). The tolerance is {@link #REL_TOL} of the tensor's largest magnitude: a running mean or variance is a
 * float32 sum over at most 16·16·16 = 4,096 activations per channel, whose error with any summation order is
 * about √n·2⁻²⁴ ≈ 4e-6 relative (n·2⁻²⁴ ≈ 2.4e-4 in the worst case, never seen); 1e-4 admits the realistic
 * spread of any kernel and still catches a wrong layer, a transposed weight or a missing normalisation, which
 * move values by their whole size.
 */
final class ExportFixtures {
    /** Relative tolerance on a float tensor, of its largest magnitude: see the class comment. */
    static final double REL_TOL = 1e-4;

    private ExportFixtures() {}

    /**
     * Writes the export, an input and ganflow's output under target/weights-fixtures/ (the files
     * tools/torch_load.py is run on, see its header), then checks the export against the committed one and
     * ganflow's output on the committed input against PyTorch's recorded output (1e-5).
     */
    static void checkAgainstPyTorch(String name, Module model, Tensor input, boolean evalMode) throws IOException {
        checkAgainstPyTorch(name, model, model, input, evalMode);
    }

    /**
     * The same for a net exported as {@code exported} and run as {@code model} (a conditional generator, run on its
     * input [z, y] by an adapter).
     */
    static void checkAgainstPyTorch(String name, Module exported, Module model, Tensor input, boolean evalMode)
            throws IOException {
        Path out = Path.of("target", "weights-fixtures");
        Files.createDirectories(out);
        Path export = out.resolve(name + ".safetensors");
        WeightsExport.save(export, exported);
        Safetensors.write(out.resolve(name + "_input.safetensors"),
                Map.of("input", SafeTensor.ofFloats(Ops.toFloats(input), Ops.shape(input))), Map.of());
        try (Scope s = Scope.open()) {
            Tensor y = evalMode ? Module.inEvalMode(model, () -> Ops.noGrad(() -> model.forward(input)))
                    : Ops.noGrad(() -> model.forward(input));
            Safetensors.write(out.resolve(name + "_ganflow_output.safetensors"),
                    Map.of("output", SafeTensor.ofFloats(Ops.toFloats(y), Ops.shape(y))), Map.of());
        }

        String torch = "torch/" + name;
        assertSameExport(SafetensorsTest.fixture(torch + ".safetensors"), export, name);
        SafeTensor in = Safetensors.read(SafetensorsTest.fixture(torch + "_input.safetensors")).tensor("input");
        SafeTensor want = Safetensors.read(SafetensorsTest.fixture(torch + "_torch_output.safetensors"))
                .tensor("output");
        Tensor x = Ops.fromFloats(in.floats(), in.shape());
        float[] got = evalMode ? Module.inEvalMode(model, () -> WeightsExportTest.forward(model, x))
                : WeightsExportTest.forward(model, x);
        float[] expected = want.floats();
        assertEquals(expected.length, got.length);
        double maxErr = 0;
        for (int i = 0; i < got.length; i++) {
            maxErr = Math.max(maxErr, Math.abs(got[i] - expected[i]));
        }
        assertTrue(maxErr <= 1e-5, name + ": max abs error against PyTorch " + maxErr);
    }

    /** The export equals the committed one: header and integer tensors exactly, float tensors to {@link #REL_TOL}. */
    static void assertSameExport(Path expected, Path actual, String name) throws IOException {
        String hint = "the export of the seeded " + name + " changed; if on purpose, regenerate the fixtures as"
                + " described in tools/torch_load.py";
        assertArrayEquals(header(expected), header(actual), hint + " (header)");
        SafetensorsFile want = Safetensors.read(expected);
        SafetensorsFile got = Safetensors.read(actual);
        for (Map.Entry<String, SafeTensor> e : want.tensors().entrySet()) {
            SafeTensor w = e.getValue();
            SafeTensor g = got.tensor(e.getKey());
            if (!w.dtype().isFloatingPoint()) {
                assertArrayEquals(w.bytes(), g.bytes(), hint + " (" + e.getKey() + ")");
                continue;
            }
            double[] a = w.doubles();
            double[] b = g.doubles();
            double scale = Arrays.stream(a).map(Math::abs).max().orElse(0);
            for (int i = 0; i < a.length; i++) {
                double tol = REL_TOL * scale;
                if (Math.abs(a[i] - b[i]) > tol) {
                    throw new AssertionError(hint + ": " + e.getKey() + "[" + i + "] = " + b[i] + ", committed "
                            + a[i] + " (tolerance " + tol + ")");
                }
            }
        }
    }

    /** The 8-byte length and the JSON header: names, dtypes, shapes, offsets and metadata. */
    private static byte[] header(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return Arrays.copyOf(all, (int) (8 + n));
    }
}
