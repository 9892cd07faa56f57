package io.ganflow.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ganflow.BadInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format (the tensor file format of Hugging Face's {@code safetensors},
 * readable by PyTorch through that package):
 *
 * <pre>
 *   uint64 little-endian N | N bytes of UTF-8 JSON header | data buffer
 * </pre>
 *
 * The header maps each tensor name to {@code {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}},
 * byte offsets into the data buffer, plus an optional {@code "__metadata__"} object of string values. The
 * tensors must cover the data buffer exactly: no holes, no overlaps, nothing after the last one.
 *
 * <p>{@link #write} is deterministic: tensors are laid out by descending {@link Dtype} (wider types first, so
 * every tensor starts at a multiple of its element size) and then by name, as the reference implementation
 * does; the header lists {@code __metadata__} (keys sorted; omitted when empty) and then the tensors in that
 * order, compact, padded with spaces to a multiple of 8 bytes. {@link #read} checks everything the format
 * requires and reports the first problem as a {@link BadInputException} whose one-line message starts with
 * the file name.
 */
public final class Safetensors {
    /** The largest header accepted, in bytes, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final String METADATA = "__metadata__";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Safetensors() {}

    // ---- writing ---------------------------------------------------------------------------------------

    /**
     * Writes tensors and metadata to {@code file} atomically: the bytes go to {@code file + ".tmp"} in the
     * same directory, which is forced to disk and then renamed over {@code file}, so a crash leaves the old
     * file or the new one, never a mixture.
     *
     * @param metadata string entries for {@code __metadata__}; null or empty writes none
     * @throws IllegalArgumentException if a name is {@code __metadata__} or a metadata value is null
     */
    public static void write(Path file, Map<String, SafeTensor> tensors, Map<String, String> metadata)
            throws IOException {
        List<Map.Entry<String, SafeTensor>> order = layout(tensors);
        byte[] header = header(order, metadata);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
                writeAll(ch, len.flip());
                writeAll(ch, ByteBuffer.wrap(header));
                for (Map.Entry<String, SafeTensor> e : order) {
                    writeAll(ch, ByteBuffer.wrap(e.getValue().rawBytes()));
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // makes the rename durable where the platform allows syncing a directory
        } catch (IOException | UnsupportedOperationException e) {
            // not possible on every platform; the file itself is already on disk
        }
    }

    /** The tensors in data order: descending dtype, then name (UTF-8 byte order). */
    static List<Map.Entry<String, SafeTensor>> layout(Map<String, SafeTensor> tensors) {
        List<Map.Entry<String, SafeTensor>> order = new ArrayList<>(tensors.entrySet());
        for (Map.Entry<String, SafeTensor> e : order) {
            if (e.getKey() == null || e.getKey().equals(METADATA) || e.getValue() == null) {
                throw new IllegalArgumentException("bad tensor entry " + e.getKey() + " = " + e.getValue());
            }
        }
        Comparator<Map.Entry<String, SafeTensor>> byDtype =
                Comparator.comparing(e -> e.getValue().dtype(), Comparator.reverseOrder());
        order.sort(byDtype.thenComparing((a, b) -> Arrays.compareUnsigned(
                a.getKey().getBytes(StandardCharsets.UTF_8), b.getKey().getBytes(StandardCharsets.UTF_8))));
        return order;
    }

    /** The JSON header for tensors in this order, padded with spaces to a multiple of 8 bytes. */
    static byte[] header(List<Map.Entry<String, SafeTensor>> order, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new IllegalArgumentException("metadata entries must be non-null strings: " + e);
                }
            }
            header.put(METADATA, new TreeMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, SafeTensor> e : order) {
            SafeTensor t = e.getValue();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", t.dtype().name());
            info.put("shape", t.shape());
            info.put("data_offsets", new long[] {offset, offset + t.byteCount()});
            offset += t.byteCount();
            header.put(e.getKey(), info);
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a safetensors header", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void writeAll(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    // ---- reading ---------------------------------------------------------------------------------------

    /**
     * Reads and validates a whole safetensors file.
     *
     * @throws BadInputException if the file is missing or unreadable, or breaks the format in any way:
     *     header length absurd or beyond the file, header not UTF-8 JSON or not an object, duplicate keys,
     *     metadata that is not an object of strings, unknown dtype, malformed shape or offsets, a shape whose
     *     byte size differs from its offset span, offsets beyond the data (truncated file), overlapping
     *     tensors, holes between tensors or bytes after the last one. The message names the file.
     */
    public static SafetensorsFile read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, ch);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": safetensors file not found");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read safetensors file: " + e.getMessage(), e);
        }
    }

    /** One tensor's header entry. */
    private record Entry(String name, Dtype dtype, long[] shape, long begin, long end) {
        String offsets() {
            return "[" + begin + ", " + end + "]";
        }
    }

    private static SafetensorsFile read(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw bad(file, "too short for a safetensors file (" + size + " bytes; the header length alone takes 8)");
        }
        long n = readAt(ch, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw bad(file, "header length " + Long.toUnsignedString(n) + " is absurd (the limit is "
                    + MAX_HEADER_BYTES + " bytes)");
        }
        if (n > size - 8) {
            throw bad(file, "header length " + n + " exceeds the file size (" + size + " bytes)");
        }
        ByteBuffer headerBytes = readAt(ch, 8, (int) n);
        String json;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headerBytes);
            json = chars.toString();
        } catch (CharacterCodingException e) {
            throw bad(file, "header is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            String why = oneLine(e.getOriginalMessage());
            if (why.startsWith("Duplicate field")) {
                throw bad(file, "header has a duplicate key (" + why + ")");
            }
            throw bad(file, "header is not valid JSON (" + why + ")");
        }
        if (root == null || !root.isObject()) {
            throw bad(file, "header is not a JSON object");
        }
        Map<String, String> metadata = new TreeMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals(METADATA)) {
                readMetadata(file, f.getValue(), metadata);
            } else {
                entries.add(entry(file, f.getKey(), f.getValue()));
            }
        }
        long dataLength = size - 8 - n;
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end)
                .thenComparing(Entry::name));
        for (Entry e : entries) {
            if (e.end > dataLength) {
                throw bad(file, "file is truncated or offsets are out of bounds: tensor '" + e.name
                        + "' has data_offsets " + e.offsets() + " but the data buffer holds " + dataLength + " bytes");
            }
        }
        long covered = 0;
        Entry previous = null;
        for (Entry e : entries) {
            if (e.begin < covered) {
                throw bad(file, "tensor '" + e.name + "' (data_offsets " + e.offsets() + ") overlaps tensor '"
                        + previous.name + "' (data_offsets " + previous.offsets() + ")");
            }
            if (e.begin > covered) {
                throw bad(file, "bytes [" + covered + ", " + e.begin + ") of the data buffer belong to no tensor"
                        + " (a hole before tensor '" + e.name + "'); tensors must cover the buffer exactly");
            }
            covered = e.end;
            previous = e;
        }
        if (covered != dataLength) {
            throw bad(file, (dataLength - covered) + " bytes after the last tensor belong to no tensor;"
                    + " tensors must cover the data buffer exactly");
        }
        Map<String, SafeTensor> tensors = new TreeMap<>();
        for (Entry e : entries) {
            ByteBuffer data = readAt(ch, 8 + n + e.begin, (int) (e.end - e.begin));
            tensors.put(e.name, SafeTensor.wrap(e.dtype, e.shape, data.array()));
        }
        return new SafetensorsFile(file, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out) {
        if (!node.isObject()) {
            throw bad(file, "__metadata__ is not a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw bad(file, "__metadata__ value of '" + m.getKey() + "' is not a string: " + m.getValue());
            }
            out.put(m.getKey(), m.getValue().textValue());
        }
    }

    private static Entry entry(Path file, String name, JsonNode node) {
        String what = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw bad(file, what + " is not described by a JSON object");
        }
        JsonNode dt = node.get("dtype");
        if (dt == null || !dt.isTextual()) {
            throw bad(file, what + " has no dtype string");
        }
        Dtype dtype = Dtype.byName(dt.textValue());
        if (dtype == null) {
            throw bad(file, what + " has unknown dtype '" + dt.textValue() + "'; known: "
                    + Arrays.toString(Dtype.values()));
        }
        long[] shape = naturals(node.get("shape"));
        if (shape == null) {
            throw bad(file, what + " has no shape array of non-negative integers");
        }
        long[] offsets = naturals(node.get("data_offsets"));
        if (offsets == null || offsets.length != 2 || offsets[0] > offsets[1]) {
            throw bad(file, what + " has no valid data_offsets [begin, end] with 0 <= begin <= end");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(SafeTensor.numel(shape), dtype.size());
        } catch (ArithmeticException e) {
            throw bad(file, what + " has an absurd shape " + Arrays.toString(shape));
        }
        if (bytes != offsets[1] - offsets[0]) {
            throw bad(file, what + " of shape " + Arrays.toString(shape) + " and dtype " + dtype + " needs " + bytes
                    + " bytes but its data_offsets [" + offsets[0] + ", " + offsets[1] + "] span "
                    + (offsets[1] - offsets[0]));
        }
        if (bytes > Integer.MAX_VALUE - 16) {
            throw bad(file, what + " is larger than 2 GiB, which this reader does not support");
        }
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    /** The values of a JSON array of non-negative integers that fit a long, or null if it is not one. */
    private static long[] naturals(JsonNode node) {
        if (node == null || !node.isArray()) {
            return null;
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                return null;
            }
            out[i] = v.longValue();
        }
        return out;
    }

    private static ByteBuffer readAt(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (position + b.position()));
            }
        }
        return b.flip();
    }

    private static String oneLine(String s) {
        String t = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    private static BadInputException bad(Path file, String what) {
        return new BadInputException(file + ": " + what);
    }
}
