package io.ganflow.data.image;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The cache of a decoded, resized image folder: one file, big-endian.
 *
 * <pre>
 *   8 bytes   "GFIMAGES"
 *   int32     format version (1)
 *   32 bytes  SHA-256 of the folder listing (relative path, size, modification time of every image file,
 *             with the requested size and channels): a different listing makes the cache stale
 *   int32 x 4 n, C, H, W
 *   int32     number of class names, then each as modified UTF-8 (DataOutput.writeUTF)
 *   byte      1 when labelled, then n int32 labels
 *   n*C*H*W   pixels, unsigned bytes, row-major (n, C, H, W)
 *   32 bytes  SHA-256 of everything before it
 * </pre>
 *
 * A stale, truncated or corrupt cache is never used: the folder is read again and the cache rewritten.
 * Writes go to a temporary file that is renamed into place.
 */
final class ImageCache {
    private static final byte[] MAGIC = "GFIMAGES".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private ImageCache() {}

    record Entry(ImageSet images, List<String> classNames) {}

    /** The cached images when the file exists, is intact and was made from this listing. */
    static Optional<Entry> read(Path file, byte[] listing) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        MessageDigest md = sha256();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                DigestInputStream dig = new DigestInputStream(raw, md)) {
            DataInputStream in = new DataInputStream(dig);
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC) || in.readInt() != VERSION) {
                return Optional.empty();
            }
            byte[] stored = in.readNBytes(32);
            if (!Arrays.equals(stored, listing)) {
                return Optional.empty();
            }
            int n = in.readInt();
            int c = in.readInt();
            int h = in.readInt();
            int w = in.readInt();
            long total = (long) n * c * h * w;
            if (n < 1 || c < 1 || h < 1 || w < 1 || total > Integer.MAX_VALUE - 8) {
                return Optional.empty();
            }
            int k = in.readInt();
            if (k < 0 || k > n) {
                return Optional.empty();
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                names.add(in.readUTF());
            }
            int[] labels = null;
            if (in.readByte() == 1) {
                labels = new int[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = in.readInt();
                    if (labels[i] < 0) {
                        return Optional.empty();
                    }
                }
            }
            byte[] px = new byte[(int) total];
            in.readFully(px);
            dig.on(false);
            byte[] sum = in.readNBytes(32);
            if (!Arrays.equals(sum, md.digest()) || in.read() != -1) {
                return Optional.empty();
            }
            return Optional.of(new Entry(new ImageSet(n, c, h, w, px, Optional.ofNullable(labels)), names));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Writes the cache atomically; throws IOException when the directory cannot be written. */
    static void write(Path file, byte[] listing, ImageSet s, List<String> classNames) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        try {
            MessageDigest md = sha256();
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                    DigestOutputStream dig = new DigestOutputStream(raw, md)) {
                DataOutputStream out = new DataOutputStream(dig);
                out.write(MAGIC);
                out.writeInt(VERSION);
                out.write(listing);
                out.writeInt(s.count());
                out.writeInt(s.channels());
                out.writeInt(s.height());
                out.writeInt(s.width());
                out.writeInt(classNames.size());
                for (String name : classNames) {
                    out.writeUTF(name);
                }
                out.writeByte(s.labels().isPresent() ? 1 : 0);
                if (s.labels().isPresent()) {
                    for (int l : s.labels().get()) {
                        out.writeInt(l);
                    }
                }
                out.write(s.pixels());
                out.flush();
                dig.on(false);
                out.write(md.digest());
                out.flush();
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
