package io.ganflow.train;

import io.ganflow.nn.CorruptCheckpointException;
import io.ganflow.nn.StateDict;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganflow.BadInputException;
import io.ganflow.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint file format ({@code .gfck}), written atomically and verified on every read.
 *
 * <pre>
 *   "GFCK" | int32 format version | int64 header length | header (UTF-8 JSON)
 *   | float32 little-endian tensor data | 32-byte SHA-256 of everything before it
 * </pre>
 *
 * The header holds the step, the metadata, the plain values and an index of the tensors (name, shape,
 * offset). Writing goes to a temporary file in the same directory, is forced to disk, then renamed over
 * the final name, so a crash leaves either the old file or the new one, never half of one.
 */
public final class CheckpointIO {
    static final byte[] MAGIC = {'G', 'F', 'C', 'K'};
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointIO() {}

    /**
     * Writes a checkpoint atomically. If the disk is full or the directory is not writable, the partial
     * temporary file is deleted and a {@link StorageException} naming the file and the cause is raised;
     * earlier checkpoints are never touched. ({@code throws IOException} is kept for source compatibility.)
     */
    public static void write(Path file, long step, Map<String, Object> meta, StateDict state) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("step", step);
        header.put("meta", meta);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : state.values().entrySet()) {
            Object v = e.getValue();
            Map<String, Object> entry = new LinkedHashMap<>();
            if (v instanceof byte[]) {
                entry.put("type", "bytes");
                entry.put("value", Base64.getEncoder().encodeToString((byte[]) v));
            } else {
                entry.put("type", v instanceof Long ? "long" : v instanceof Double ? "double"
                        : v instanceof Boolean ? "bool" : "string");
                entry.put("value", v instanceof Double ? Double.toString((Double) v) : v);
            }
            values.put(e.getKey(), entry);
        }
        header.put("values", values);
        List<Map<String, Object>> index = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, float[]> e : state.tensors().entrySet()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", e.getKey());
            t.put("shape", state.shapes().get(e.getKey()));
            t.put("offset", offset);
            t.put("count", e.getValue().length);
            index.add(t);
            offset += e.getValue().length;
        }
        header.put("tensors", index);
        byte[] headerBytes = JSON.writeValueAsBytes(header);

        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            writeFile(tmp, headerBytes, state);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // A full disk or a read-only directory: remove the partial file; older checkpoints stay untouched.
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more can be done; the name ends in .tmp and is never read as a checkpoint
            }
            throw new StorageException("cannot write checkpoint " + file + ": " + StorageException.reason(e)
                    + "; the partial file was removed and earlier checkpoints are kept", e);
        }
    }

    private static void writeFile(Path tmp, byte[] headerBytes, StateDict state) throws IOException {
        MessageDigest sha = sha256();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer pre = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            pre.put(MAGIC).putInt(FORMAT).putLong(headerBytes.length).flip();
            writeAll(ch, pre, sha);
            writeAll(ch, ByteBuffer.wrap(headerBytes), sha);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] data : state.tensors().values()) {
                for (float f : data) {
                    if (!buf.hasRemaining()) {
                        buf.flip();
                        writeAll(ch, buf, sha);
                        buf.clear();
                    }
                    buf.putFloat(f);
                }
            }
            buf.flip();
            writeAll(ch, buf, sha);
            ByteBuffer digest = ByteBuffer.wrap(sha.digest());
            while (digest.hasRemaining()) {
                ch.write(digest);
            }
            ch.force(true);
        }
    }

    private static void writeAll(FileChannel ch, ByteBuffer b, MessageDigest sha) throws IOException {
        sha.update(b.duplicate());
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /**
     * Reads and verifies a checkpoint; any damage raises {@link CorruptCheckpointException}, a missing or
     * unreadable file {@link BadInputException}. Nothing else escapes, whatever the file holds.
     */
    public static Checkpoint read(Path file) {
        byte[] all = readBytes(file);
        if (all.length < 16 + 32 || !Arrays.equals(Arrays.copyOf(all, 4), MAGIC)) {
            throw new CorruptCheckpointException(file + ": not a ganflow checkpoint (bad magic or too short)");
        }
        MessageDigest sha = sha256();
        sha.update(all, 0, all.length - 32);
        byte[] want = Arrays.copyOfRange(all, all.length - 32, all.length);
        if (!MessageDigest.isEqual(sha.digest(), want)) {
            throw new CorruptCheckpointException(file + ": checkpoint is corrupt (SHA-256 mismatch); it was not loaded");
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        b.position(4);
        int format = b.getInt();
        if (format != FORMAT) {
            throw new CorruptCheckpointException(file + ": checkpoint format " + format + ", this ganflow reads "
                    + FORMAT);
        }
        long headerLen = b.getLong();
        if (headerLen < 0 || 16 + headerLen > all.length - 32) {
            throw new CorruptCheckpointException(file + ": checkpoint header length " + headerLen + " is out of range");
        }
        Object header;
        try {
            header = JSON.readValue(new String(all, 16, (int) headerLen, StandardCharsets.UTF_8), Object.class);
        } catch (IOException e) {
            throw new CorruptCheckpointException(file + ": checkpoint header is not valid JSON");
        }
        try {
            return parse(file, all, 16 + (int) headerLen, header);
        } catch (CorruptCheckpointException e) {
            throw e;
        } catch (RuntimeException e) {
            // A header that passed its checksum but lacks a field or holds one of the wrong type: written by
            // something other than this ganflow.
            throw new CorruptCheckpointException(file + ": checkpoint header is malformed (a field is missing or of the"
                    + " wrong type); it was not loaded");
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            if (!Files.exists(file)) {
                throw new BadInputException(file + ": checkpoint not found");
            }
            if (!Files.isRegularFile(file)) {
                throw new BadInputException(file + ": not a regular file, expected a checkpoint (.gfck)");
            }
            if (Files.size(file) > Integer.MAX_VALUE - 8) {
                throw new CorruptCheckpointException(file + ": " + Files.size(file) + " bytes, larger than any checkpoint"
                        + " this ganflow writes");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": checkpoint not found");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read checkpoint: " + StorageException.reason(e));
        }
    }

    @SuppressWarnings("unchecked")
    private static Checkpoint parse(Path file, byte[] all, int dataStart, Object headerObject) {
        if (!(headerObject instanceof Map)) {
            throw new CorruptCheckpointException(file + ": checkpoint header is not a JSON object");
        }
        Map<String, Object> header = (Map<String, Object>) headerObject;
        long dataFloats = (all.length - 32L - dataStart) / 4;
        StateDict state = new StateDict().origin(file);
        Map<String, Object> values = (Map<String, Object>) require(file, header, "values", Map.class);
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Map<String, Object> entry = (Map<String, Object>) e.getValue();
            Object v = entry.get("value");
            switch ((String) entry.get("type")) {
                case "bytes":
                    state.putValue(e.getKey(), Base64.getDecoder().decode((String) v));
                    break;
                case "long":
                    state.putValue(e.getKey(), ((Number) v).longValue());
                    break;
                case "double":
                    state.putValue(e.getKey(), Double.parseDouble(v.toString()));
                    break;
                case "bool":
                    state.putValue(e.getKey(), (Boolean) v);
                    break;
                case "string":
                    state.putValue(e.getKey(), (String) v);
                    break;
                default:
                    throw new CorruptCheckpointException(file + ": value " + e.getKey() + " has unknown type "
                            + entry.get("type"));
            }
        }
        for (Object o : (List<Object>) require(file, header, "tensors", List.class)) {
            Map<String, Object> t = (Map<String, Object>) o;
            String name = (String) t.get("name");
            if (name == null) {
                throw new CorruptCheckpointException(file + ": a tensor in the checkpoint has no name");
            }
            List<Number> shapeList = (List<Number>) t.get("shape");
            long[] shape = new long[shapeList.size()];
            long product = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeList.get(i).longValue();
                if (shape[i] < 0 || shape[i] > Integer.MAX_VALUE) {
                    throw new CorruptCheckpointException(file + ": tensor " + name + " has shape " + shapeList);
                }
                // Saturates above any possible count instead of overflowing; a zero stays zero.
                product = product == 0 || shape[i] == 0 ? 0
                        : product > (1L << 40) / shape[i] ? 1L << 40 : product * shape[i];
            }
            long off = ((Number) t.get("offset")).longValue();
            long count = ((Number) t.get("count")).longValue();
            if (off < 0 || count < 0 || count > dataFloats || off > dataFloats - count) {
                throw new CorruptCheckpointException(file + ": tensor " + name + " lies outside the data section");
            }
            if (product != count) {
                throw new CorruptCheckpointException(file + ": tensor " + name + " has shape " + shapeList + " but "
                        + count + " values");
            }
            if (state.hasTensor(name)) {
                throw new CorruptCheckpointException(file + ": tensor " + name + " appears twice");
            }
            float[] data = new float[(int) count];
            ByteBuffer view = ByteBuffer.wrap(all, dataStart + (int) off * 4, (int) count * 4)
                    .order(ByteOrder.LITTLE_ENDIAN);
            view.asFloatBuffer().get(data);
            state.putFloats(name, data, shape);
        }
        long step = ((Number) require(file, header, "step", Number.class)).longValue();
        if (step < 0) {
            throw new CorruptCheckpointException(file + ": checkpoint step " + step + " is negative");
        }
        Map<String, Object> meta = (Map<String, Object>) require(file, header, "meta", Map.class);
        return new Checkpoint(file, step, meta, state);
    }

    private static Object require(Path file, Map<String, Object> header, String field, Class<?> type) {
        Object v = header.get(field);
        if (!type.isInstance(v)) {
            throw new CorruptCheckpointException(file + ": checkpoint header lacks '" + field + "'");
        }
        return v;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
