package io.ganflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import io.ganflow.data.image.ImageFiles;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy and IDX image files as ganflow eval reads them: values, shapes, and every error named. */
class NpyTest {
    @TempDir
    Path dir;

    /** A .npy file as NumPy writes it (version 1.0), with any header text and data. */
    private Path npy(String name, String dict, byte[] data) throws IOException {
        String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).array());
        b.write(header.getBytes(StandardCharsets.ISO_8859_1));
        b.write(data);
        Path p = dir.resolve(name);
        Files.write(p, b.toByteArray());
        return p;
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    private void refused(Path file, String what) {
        BadInputException e = assertThrows(BadInputException.class, () -> ImageFiles.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void readsUint8AndFloat32ImagesIntoModelSpace() throws Exception {
        byte[] px = {0, (byte) 255, 127, 1, 2, 3, 4, 5};
        Path u8 = npy("u8.npy", "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2, 2), }", px);
        Path f32 = dir.resolve("f32.npy");
        Npy.writeFloats(f32, new float[] {-1f, 1f, 0f, 0.5f, -0.25f, 0.75f}, 1, 2, 1, 3);
        try (Scope s = Scope.open()) {
            Tensor a = ImageFiles.read(u8);
            assertArrayEquals(new long[] {2, 1, 2, 2}, Ops.shape(a));
            float[] v = Ops.toFloats(a);
            assertEquals(-1f, v[0], 0);
            assertEquals(1f, v[1], 0);
            assertEquals(127 / 127.5f - 1f, v[2], 0);
            Tensor b = ImageFiles.read(f32);
            assertArrayEquals(new long[] {1, 2, 1, 3}, Ops.shape(b));
            assertArrayEquals(new float[] {-1f, 1f, 0f, 0.5f, -0.25f, 0.75f}, Ops.toFloats(b));
        }
        Path w = dir.resolve("w.npy");
        Npy.writeBytes(w, px, 2, 4);
        Npy.Array arr = Npy.read(w);
        assertArrayEquals(new long[] {2, 4}, arr.shape());
        assertArrayEquals(px, arr.bytes());
        assertEquals(ImageFiles.Format.NPY, ImageFiles.detect(w));
    }

    @Test
    void npyErrorsNameTheFileAndTheProblem() throws Exception {
        String ok = "'fortran_order': False, 'shape': (2, 2, 2), }";
        refused(npy("f8.npy", "{'descr': '<f8', " + ok, new byte[64]), "element type '<f8' is not supported");
        refused(npy("fortran.npy", "{'descr': '|u1', 'fortran_order': True, 'shape': (2, 2, 2), }", new byte[8]),
                "Fortran order");
        refused(npy("short.npy", "{'descr': '|u1', " + ok, new byte[7]), "truncated");
        refused(npy("long.npy", "{'descr': '|u1', " + ok, new byte[9]), "1 trailing bytes");
        refused(npy("noshape.npy", "{'descr': '|u1', 'fortran_order': False, }", new byte[8]), "no 'shape' entry");
        refused(npy("flat.npy", "{'descr': '|u1', 'fortran_order': False, 'shape': (8,), }", new byte[8]),
                "1-D array");
        refused(npy("last.npy", "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 8, 8, 3), }", new byte[192]),
                "channels last?");
        refused(npy("range.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 2), }", floats(0.5f, 1.5f)),
                "value 1.5 at flat index 1 is outside [-1, 1]");
        refused(npy("nan.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 2), }", floats(Float.NaN, 0)),
                "value NaN at flat index 0");
        Path v9 = npy("v9.npy", "{'descr': '|u1', " + ok, new byte[8]);
        byte[] b = Files.readAllBytes(v9);
        b[6] = 9;
        Files.write(v9, b);
        refused(v9, "format version 9.0 is not supported");
        Path text = dir.resolve("a.csv");
        Files.writeString(text, "1,2\n3,4\n");
        refused(text, "neither an IDX file nor a .npy file");
        assertEquals(ImageFiles.Format.OTHER, ImageFiles.detect(text));
        refused(dir.resolve("missing.npy"), "no such file");
    }

    @Test
    void idxImagesPlainAndGzippedAndTheirErrors() throws Exception {
        ByteBuffer h = ByteBuffer.allocate(16 + 8).order(ByteOrder.BIG_ENDIAN);
        h.putInt(0x00000803).putInt(2).putInt(2).putInt(2);
        h.put(new byte[] {0, 10, 20, 30, 40, 50, 60, (byte) 255});
        Path idx = dir.resolve("x.idx");
        Files.write(idx, h.array());
        Path gz = dir.resolve("x.idx.gz");
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(h.array());
        }
        try (Scope s = Scope.open()) {
            Tensor a = ImageFiles.read(idx);
            Tensor b = ImageFiles.read(gz);
            assertArrayEquals(new long[] {2, 1, 2, 2}, Ops.shape(a));
            assertArrayEquals(Ops.toFloats(a), Ops.toFloats(b));
            assertEquals(1f, Ops.toFloats(a)[7], 0);
        }
        assertEquals(ImageFiles.Format.IDX, ImageFiles.detect(gz));
        Path cut = dir.resolve("cut.idx");
        Files.write(cut, Arrays.copyOf(h.array(), 20));
        BadInputException e = assertThrows(BadInputException.class, () -> ImageFiles.read(cut));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    }
}
