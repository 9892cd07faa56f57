package io.ganflow.data.idx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    /** An IDX file of unsigned bytes: 3 images of 2×2, values 0..11 (written by hand here). */
    static byte[] images() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.write(new byte[] {0, 0, 0x08, 3});
        d.writeInt(3);
        d.writeInt(2);
        d.writeInt(2);
        for (int i = 0; i < 12; i++) {
            d.writeByte(i * 20);
        }
        return b.toByteArray();
    }

    Path file(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    @Test
    void readsUnsignedBytes() throws IOException {
        IdxArray a = IdxReader.read(file("img.idx", images()));
        assertArrayEquals(new int[] {3, 2, 2}, a.dims());
        assertEquals(3, a.count());
        assertEquals(4, a.itemSize());
        assertEquals(220f, a.data()[11]);
        assertEquals(0f, a.data()[0]);
    }

    @Test
    void readsGzipByContent() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(gz)) {
            o.write(images());
        }
        IdxArray a = IdxReader.read(file("img.idx.gz", gz.toByteArray()));
        assertEquals(180f, a.data()[9]);
    }

    @Test
    void wrongMagicIsNamed() throws IOException {
        byte[] b = images();
        b[2] = 0x07;
        Path p = file("bad.idx", b);
        String m = assertThrows(BadInputException.class, () -> IdxReader.read(p)).getMessage();
        assertEquals(p + ": wrong IDX magic 0x00000703; expected 0x0000 then a type byte (08, 09, 0B, 0C, 0D or 0E)"
                + " then a dimension count >= 1", m);
    }

    @Test
    void truncatedDataIsNamed() throws IOException {
        Path p = file("short.idx", Arrays.copyOf(images(), images().length - 5));
        String m = assertThrows(BadInputException.class, () -> IdxReader.read(p)).getMessage();
        assertEquals(p + ": truncated: the header announces 3x2x2 = 12 values, the file holds 7", m);
    }

    @Test
    void truncatedHeaderIsNamed() throws IOException {
        Path p = file("tiny.idx", new byte[] {0, 0, 8});
        String m = assertThrows(BadInputException.class, () -> IdxReader.read(p)).getMessage();
        assertEquals(p + ": truncated: the file ends before the header is complete", m);
    }

    @Test
    void trailingBytesAreNamed() throws IOException {
        byte[] b = Arrays.copyOf(images(), images().length + 3);
        Path p = file("long.idx", b);
        String m = assertThrows(BadInputException.class, () -> IdxReader.read(p)).getMessage();
        assertEquals(p + ": 3 trailing bytes after the 3x2x2 values the header announces", m);
    }

    @Test
    void corruptGzipIsNamed() throws IOException {
        byte[] b = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4};
        Path p = file("bad.gz", b);
        String m = assertThrows(BadInputException.class, () -> IdxReader.read(p)).getMessage();
        assertTrue(m.startsWith(p + ": "), m);
    }

    @Test
    void missingFileIsNamed() {
        Path p = dir.resolve("none.idx");
        assertEquals(p + ": file not found", assertThrows(BadInputException.class, () -> IdxReader.read(p)).getMessage());
    }
}
