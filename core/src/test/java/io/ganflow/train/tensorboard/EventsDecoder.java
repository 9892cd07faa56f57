package io.ganflow.train.tensorboard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A reader for event files written independently of the encoder: a bit-by-bit CRC-32C, a generic
 * protobuf wire-format parser, and TensorBoard's replay rule for restarts. For tests only (the cli module's
 * tests use it too, through the core test jar).
 */
public final class EventsDecoder {
    public record Event(double wallTime, long step, String fileVersion, Long sessionStatus, List<Value> values) {}

    public record Value(String tag, Float simple, Image image, Histo histo) {}

    public record Image(long height, long width, long colorspace, byte[] png) {}

    public record Histo(double min, double max, double num, double sum, double sumSquares, double[] limits, double[] counts) {}

    private EventsDecoder() {}

    /** CRC-32C one bit at a time, reflected polynomial 0x82F63B78. */
    public static int crc32c(byte[] b, int off, int len) {
        int crc = 0xFFFFFFFF;
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
            }
        }
        return ~crc;
    }

    public static int masked(int crc) {
        return Integer.rotateRight(crc, 15) + 0xa282ead8;
    }

    /** Every record's payload; fails on a bad checksum or a torn record. */
    public static List<byte[]> records(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        while (b.hasRemaining()) {
            if (b.remaining() < 12) {
                throw new AssertionError("stray bytes at " + b.position());
            }
            int at = b.position();
            long len = b.getLong();
            int lenCrc = b.getInt();
            if (lenCrc != masked(crc32c(file, at, 8))) {
                throw new AssertionError("bad length checksum at " + at);
            }
            if (b.remaining() < len + 4) {
                throw new AssertionError("torn record at " + at);
            }
            byte[] data = new byte[(int) len];
            b.get(data);
            if (b.getInt() != masked(crc32c(data, 0, data.length))) {
                throw new AssertionError("bad data checksum at " + at);
            }
            out.add(data);
        }
        return out;
    }

    public static List<Event> read(Path file) throws IOException {
        List<Event> out = new ArrayList<>();
        for (byte[] r : records(Files.readAllBytes(file))) {
            out.add(event(r));
        }
        return out;
    }

    /** Field number to the values found, in order: Long for varints, fixed64 and fixed32 bits; byte[] otherwise. */
    public static Map<Integer, List<Object>> fields(byte[] msg) {
        Map<Integer, List<Object>> out = new LinkedHashMap<>();
        int[] pos = {0};
        while (pos[0] < msg.length) {
            long key = varint(msg, pos);
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            Object v;
            switch (wire) {
                case 0 -> v = varint(msg, pos);
                case 1 -> {
                    v = ByteBuffer.wrap(msg, pos[0], 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
                    pos[0] += 8;
                }
                case 2 -> {
                    int n = (int) varint(msg, pos);
                    v = Arrays.copyOfRange(msg, pos[0], pos[0] + n);
                    pos[0] += n;
                }
                case 5 -> {
                    v = (long) ByteBuffer.wrap(msg, pos[0], 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                    pos[0] += 4;
                }
                default -> throw new AssertionError("wire type " + wire + " at " + pos[0]);
            }
            out.computeIfAbsent(field, k -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static long varint(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[pos[0]++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
        }
    }

    public static Event event(byte[] r) {
        Map<Integer, List<Object>> f = fields(r);
        for (int k : f.keySet()) {
            if (k != 1 && k != 2 && k != 3 && k != 5 && k != 7) {
                throw new AssertionError("unexpected Event field " + k);
            }
        }
        double wall = Double.longBitsToDouble(one(f, 1, 0L));
        long step = one(f, 2, 0L);
        String version = f.containsKey(3) ? new String((byte[]) f.get(3).get(0), StandardCharsets.UTF_8) : null;
        Long status = f.containsKey(7) ? one(fields((byte[]) f.get(7).get(0)), 1, 0L) : null;
        List<Value> values = null;
        if (f.containsKey(5)) {
            values = new ArrayList<>();
            for (Object o : fields((byte[]) f.get(5).get(0)).getOrDefault(1, List.of())) {
                values.add(value(fields((byte[]) o)));
            }
        }
        return new Event(wall, step, version, status, values);
    }

    private static Value value(Map<Integer, List<Object>> v) {
        String tag = new String(one(v, 1, new byte[0]), StandardCharsets.UTF_8);
        Float simple = v.containsKey(2) ? Float.intBitsToFloat((int) (long) (Long) v.get(2).get(0)) : null;
        Image image = null;
        if (v.containsKey(4)) {
            Map<Integer, List<Object>> i = fields((byte[]) v.get(4).get(0));
            image = new Image(one(i, 1, 0L), one(i, 2, 0L), one(i, 3, 0L), one(i, 4, new byte[0]));
        }
        Histo histo = null;
        if (v.containsKey(5)) {
            Map<Integer, List<Object>> h = fields((byte[]) v.get(5).get(0));
            histo = new Histo(d(h, 1), d(h, 2), d(h, 3), d(h, 4), d(h, 5), packed(h, 6), packed(h, 7));
        }
        return new Value(tag, simple, image, histo);
    }

    @SuppressWarnings("unchecked")
    private static <T> T one(Map<Integer, List<Object>> f, int field, T absent) {
        List<Object> l = f.get(field);
        if (l == null) {
            return absent;
        }
        if (l.size() != 1) {
            throw new AssertionError("field " + field + " appears " + l.size() + " times");
        }
        return (T) l.get(0);
    }

    private static double d(Map<Integer, List<Object>> f, int field) {
        return Double.longBitsToDouble(one(f, field, 0L));
    }

    private static double[] packed(Map<Integer, List<Object>> f, int field) {
        byte[] b = one(f, field, new byte[0]);
        double[] out = new double[b.length / 8];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
        return out;
    }

    /**
     * Replays files as TensorBoard does: in name order; a session_log START at step s drops every value read
     * before with a step >= s. Returns tag to step to value; a step written twice without a START between
     * fails.
     */
    public static Map<String, TreeMap<Long, Float>> scalars(List<Path> files) throws IOException {
        Map<String, TreeMap<Long, Float>> out = new TreeMap<>();
        for (Path file : files.stream().sorted().toList()) {
            for (Event e : read(file)) {
                if (e.sessionStatus() != null && e.sessionStatus() == 1) {
                    out.values().forEach(m -> m.tailMap(e.step(), true).clear());
                }
                if (e.values() != null) {
                    for (Value v : e.values()) {
                        if (v.simple() != null) {
                            Float old = out.computeIfAbsent(v.tag(), k -> new TreeMap<>()).put(e.step(), v.simple());
                            if (old != null) {
                                throw new AssertionError(v.tag() + " at step " + e.step() + " twice");
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    public static List<Path> eventFiles(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).sorted().toList();
        }
    }
}
