package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.cli.report.ImageGrid;
import io.ganflow.data.idx.IdxBytes;
import io.ganflow.data.idx.IdxReader;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Scope;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grid pictures pixel by pixel, and the headers of the IDX and .npy sample files. */
class PictureGridTest {
    @TempDir
    Path dir;

    static ImageGrid.Pixels pattern(int n, int c, int h, int w) {
        byte[] b = new byte[n * c * h * w];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ((i * 37 + i / 7 * 11) % 251);
        }
        return new ImageGrid.Pixels(n, c, h, w, b);
    }

    /** The expected picture: gutter everywhere, each image's pixel replicated scale × scale in its cell. */
    static int[][] expected(ImageGrid.Pixels p, int cols, int channel) {
        int s = ImageGrid.scale(p.h(), p.w());
        int rows = (p.n() + cols - 1) / cols;
        int[][] e = new int[rows * p.h() * s + (rows + 1) * ImageGrid.GUTTER][cols * p.w() * s + (cols + 1) * ImageGrid.GUTTER];
        for (int[] row : e) {
            Arrays.fill(row, ImageGrid.GUTTER_VALUE);
        }
        for (int i = 0; i < p.n(); i++) {
            int x0 = ImageGrid.GUTTER + (i % cols) * (p.w() * s + ImageGrid.GUTTER);
            int y0 = ImageGrid.GUTTER + (i / cols) * (p.h() * s + ImageGrid.GUTTER);
            for (int y = 0; y < p.h() * s; y++) {
                for (int x = 0; x < p.w() * s; x++) {
                    e[y0 + y][x0 + x] = p.at(i, channel, y / s, x / s);
                }
            }
        }
        return e;
    }

    static BufferedImage decode(byte[] png) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    @Test
    void greyGridDecodesToTheImagesWithWhiteGutters() throws Exception {
        ImageGrid.Pixels p = pattern(5, 1, 3, 4);
        BufferedImage img = decode(ImageGrid.png(p));
        int cols = ImageGrid.columns(5);
        assertEquals(3, cols);
        int s = ImageGrid.scale(3, 4);
        assertEquals(14, s, "4 px wide images are enlarged to 56 px");
        int[][] e = expected(p, cols, 0);
        assertEquals(e[0].length, img.getWidth());
        assertEquals(e.length, img.getHeight());
        assertEquals(3 * 4 * 14 + 4 * ImageGrid.GUTTER, img.getWidth());
        assertEquals(1, img.getRaster().getNumBands(), "a grey PNG");
        int gutters = 0;
        for (int y = 0; y < e.length; y++) {
            for (int x = 0; x < e[0].length; x++) {
                assertEquals(e[y][x], img.getRaster().getSample(x, y, 0), "pixel " + x + ", " + y);
            }
        }
        // cell (row 1, column 1) is image 4; its pixel (2, 3) sits at the centre of its enlarged block
        int x0 = ImageGrid.GUTTER + (4 * s + ImageGrid.GUTTER) + 3 * s + s / 2;
        int y0 = ImageGrid.GUTTER + (3 * s + ImageGrid.GUTTER) + 2 * s + s / 2;
        assertEquals(p.at(4, 0, 2, 3), img.getRaster().getSample(x0, y0, 0));
        for (int x = 0; x < img.getWidth(); x++) {
            gutters += img.getRaster().getSample(x, 0, 0) == 255 && img.getRaster().getSample(x, 1, 0) == 255 ? 1 : 0;
        }
        assertEquals(img.getWidth(), gutters, "the top two rows are gutter");
    }

    @Test
    void rgbGridKeepsTheChannels() throws Exception {
        for (int c : new int[] {3, 4}) {
            ImageGrid.Pixels p = pattern(4, c, 2, 3);
            BufferedImage img = decode(ImageGrid.png(p));
            int[][] r = expected(p, 2, 0);
            int[][] g = expected(p, 2, 1);
            int[][] b = expected(p, 2, 2);
            assertEquals(r[0].length, img.getWidth());
            assertEquals(r.length, img.getHeight());
            for (int y = 0; y < r.length; y++) {
                for (int x = 0; x < r[0].length; x++) {
                    int rgb = img.getRGB(x, y) & 0xFFFFFF;
                    assertEquals(r[y][x] << 16 | g[y][x] << 8 | b[y][x], rgb, c + " channels, pixel " + x + ", " + y);
                }
            }
        }
    }

    @Test
    void pixelsComeFromDataSpaceValuesRoundedAndClamped() {
        assertEquals(0, ImageGrid.pixel(-3.0));
        assertEquals(0, ImageGrid.pixel(Double.NaN));
        assertEquals(0, ImageGrid.pixel(0.49));
        assertEquals(1, ImageGrid.pixel(0.5));
        assertEquals(128, ImageGrid.pixel(127.5));
        assertEquals(255, ImageGrid.pixel(254.6));
        assertEquals(255, ImageGrid.pixel(300));
        try (Scope s = Scope.open()) {
            float[] v = {-1, 0, 12.4f, 12.6f, 255, 256, 100, 7};
            ImageGrid.Pixels p = ImageGrid.pixels(Ops.fromFloats(v, 2, 1, 2, 2), new long[] {1, 2, 2});
            assertEquals(2, p.n());
            assertArrayEquals(new byte[] {0, 0, 12, 13, (byte) 255, (byte) 255, 100, 7}, p.data());
        }
    }

    @Test
    void layoutAndScale() {
        assertEquals(List.of(1, 2, 2, 3, 3, 4, 8, 9, 16), List.of(ImageGrid.columns(1), ImageGrid.columns(2),
                ImageGrid.columns(4), ImageGrid.columns(5), ImageGrid.columns(9), ImageGrid.columns(10),
                ImageGrid.columns(64), ImageGrid.columns(65), ImageGrid.columns(256)));
        assertEquals(2, ImageGrid.scale(28, 28));
        assertEquals(2, ImageGrid.scale(32, 32));
        assertEquals(7, ImageGrid.scale(8, 8));
        assertEquals(1, ImageGrid.scale(64, 64));
        assertEquals(1, ImageGrid.scale(100, 20));
    }

    @Test
    void columnLabelsGoInABandAboveAnUnchangedGrid() throws Exception {
        ImageGrid.Pixels p = pattern(10, 1, 8, 8);
        BufferedImage grid = ImageGrid.render(p, 5);
        BufferedImage labelled = decode(ImageGrid.png(ImageGrid.withColumnLabels(grid, p, 5,
                List.of("t = 0", "t = 0.25", "t = 0.5", "t = 0.75", "t = 1"))));
        int band = labelled.getHeight() - grid.getHeight();
        assertTrue(band > 10, "a band for the labels");
        boolean text = false;
        for (int y = 0; y < band; y++) {
            for (int x = 0; x < labelled.getWidth(); x++) {
                text |= labelled.getRaster().getSample(x, y, 0) < 128;
            }
        }
        assertTrue(text, "the band holds dark text");
        for (int y = 0; y < grid.getHeight(); y++) {
            for (int x = 0; x < grid.getWidth(); x++) {
                assertEquals(grid.getRaster().getSample(x, y, 0), labelled.getRaster().getSample(x, y + band, 0));
            }
        }
    }

    @Test
    void npyHeaderIsVersion1PaddedTo64Bytes() {
        for (long[] shape : new long[][] {{3, 1, 8, 8}, {5}, {1000, 2}, {12345678, 3, 64, 64}}) {
            for (String descr : List.of("|u1", "<f4")) {
                byte[] h = SampleFiles.npyHeader(descr, shape);
                assertEquals((byte) 0x93, h[0]);
                assertEquals("NUMPY", new String(h, 1, 5, StandardCharsets.US_ASCII));
                assertEquals(1, h[6]);
                assertEquals(0, h[7]);
                int len = ByteBuffer.wrap(h, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
                assertEquals(h.length, 10 + len);
                assertEquals(0, h.length % 64, "data starts at a multiple of 64 bytes");
                String text = new String(h, 10, len, StandardCharsets.US_ASCII);
                assertTrue(text.endsWith("\n"), text);
                String dims = shape.length == 1 ? "(" + shape[0] + ",)"
                        : "(" + String.join(", ", Arrays.stream(shape).mapToObj(Long::toString).toList()) + ")";
                assertEquals("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + dims + ", }",
                        text.stripTrailing());
            }
        }
    }

    @Test
    void idxHeaderReadsBackWithIdxReader() throws Exception {
        byte[] data = new byte[2 * 3 * 4 * 5];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        Path f = dir.resolve("x.idx");
        byte[] h = SampleFiles.idxHeader(2, 3, 4, 5);
        byte[] all = Arrays.copyOf(h, h.length + data.length);
        System.arraycopy(data, 0, all, h.length, data.length);
        Files.write(f, all);
        IdxBytes b = IdxReader.readUnsignedBytes(f);
        assertArrayEquals(new int[] {2, 3, 4, 5}, b.dims());
        assertArrayEquals(data, b.data());
    }

    @Test
    void formatByName() {
        assertEquals(SampleFiles.Format.PNG, SampleFiles.Format.of("a.PNG"));
        assertEquals(SampleFiles.Format.IDX, SampleFiles.Format.of("a.idx"));
        assertEquals(SampleFiles.Format.IDX, SampleFiles.Format.of("a.idx.gz"));
        assertEquals(SampleFiles.Format.NPY, SampleFiles.Format.of("a.npy"));
        assertEquals(SampleFiles.Format.CSV, SampleFiles.Format.of("a.csv"));
        assertEquals(SampleFiles.Format.CSV, SampleFiles.Format.of("samples"));
    }
}
