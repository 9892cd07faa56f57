package io.ganflow.data.image;

import io.ganflow.BadInputException;
import io.ganflow.engine.Ops;
import io.ganflow.io.Npy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;

/**
 * A set of images in one file, as {@code ganflow eval --real A --fake B} reads them, in model space: float32
 * (n, C, H, W) with values in [−1, 1].
 *
 * <ul>
 *   <li>IDX (plain or gzipped): unsigned bytes, (n, H, W) grey or (n, C, H, W); pixel p becomes p / 127.5 − 1,
 *       as for the image data sets.</li>
 *   <li>NumPy {@code .npy}: uint8 (n, H, W) or (n, C, H, W), converted the same way; or float32 of those shapes,
 *       already in [−1, 1] (a value outside it, NaN or Inf is refused with its index).</li>
 * </ul>
 *
 * The format is recognised by content ({@code \x93NUMPY}, the gzip magic, or IDX's two zero bytes), not by
 * the file name. C is 1 to 4 (a channels-last array is refused with a hint).
 */
public final class ImageFiles {
    private ImageFiles() {}

    /** The formats {@link #detect} tells apart. */
    public enum Format { NPY, IDX, OTHER }

    /** The format of a file from its first bytes; OTHER for anything else (a CSV file, say). */
    public static Format detect(Path file) {
        byte[] head = new byte[8];
        int r;
        try (InputStream in = Files.newInputStream(file)) {
            r = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (Npy.isNpy(head)) {
            return Format.NPY;
        }
        if (r >= 2 && ((head[0] == 0 && head[1] == 0) || ((head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b))) {
            return Format.IDX;
        }
        return Format.OTHER;
    }

    /** Reads the images of an IDX or .npy file; every error names the file. */
    public static Tensor read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": no such file");
        }
        return switch (detect(file)) {
            case NPY -> npy(file);
            case IDX -> {
                ImageSet s = IdxImages.read(file, Optional.empty());
                yield fromPixels(s.pixels(), s.count(), s.channels(), s.height(), s.width());
            }
            case OTHER -> throw new BadInputException(file + ": neither an IDX file nor a .npy file (images are read from"
                    + " uint8 IDX, or .npy of uint8 or float32 in [-1, 1])");
        };
    }

    private static Tensor npy(Path file) {
        Npy.Array a = Npy.read(file);
        long[] s = a.shape();
        long[] nchw;
        if (s.length == 3) {
            nchw = new long[] {s[0], 1, s[1], s[2]};
        } else if (s.length == 4) {
            if (s[1] < 1 || s[1] > 4) {
                throw new BadInputException(file + ": a 4-D array is read as (n, C, H, W) with C from 1 to 4; this one is "
                        + Arrays.toString(s) + (s[3] >= 1 && s[3] <= 4 ? " (channels last? transpose it to (n, C, H, W))"
                        : ""));
            }
            nchw = s.clone();
        } else {
            throw new BadInputException(file + ": holds a " + s.length + "-D array " + Arrays.toString(s) + "; images are"
                    + " (n, H, W) or (n, C, H, W)");
        }
        if (nchw[0] < 1 || nchw[2] < 1 || nchw[3] < 1) {
            throw new BadInputException(file + ": holds no images " + Arrays.toString(s));
        }
        if (a.kind() == Npy.Kind.U8) {
            return fromPixels(a.bytes(), (int) nchw[0], (int) nchw[1], (int) nchw[2], (int) nchw[3]);
        }
        float[] f = a.floats();
        for (int i = 0; i < f.length; i++) {
            if (!(f[i] >= -1f && f[i] <= 1f)) {
                throw new BadInputException(file + ": value " + f[i] + " at flat index " + i + " is outside [-1, 1];"
                        + " float32 images are in [-1, 1] (or store uint8 pixels 0..255)");
            }
        }
        return Ops.fromFloats(f, nchw);
    }

    /** 8-bit pixels (n, C, H, W) to model space, p / 127.5 − 1. */
    public static Tensor fromPixels(byte[] pixels, int n, int c, int h, int w) {
        float[] f = new float[pixels.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (pixels[i] & 0xFF) / 127.5f - 1f;
        }
        return Ops.fromFloats(f, n, c, h, w);
    }
}
