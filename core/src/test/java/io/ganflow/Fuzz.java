package io.ganflow;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A small property-based testing harness: a property is checked on {@link #TRIES} inputs drawn from a
 * seeded generator, each under a time limit. A failure names the seed, the try and the input, so it can be
 * replayed exactly (set the system property {@code ganflow.fuzz.seed} to explore other seeds, and
 * {@code ganflow.fuzz.tries} for more tries). No shrinking: the generators keep inputs short instead.
 */
public final class Fuzz {
    /** Tries per property: enough to reach every branch of the readers, few enough to stay fast. */
    public static final int TRIES = Integer.getInteger("ganflow.fuzz.tries", 200);

    /** Per-try time limit: a reader that takes longer on a few hundred bytes is hanging. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Fuzz() {}

    /** A property of one input; may throw anything, which fails it. */
    @FunctionalInterface
    public interface Property<T> {
        void check(T input) throws Throwable;
    }

    /**
     * Checks {@code property} on {@link #TRIES} inputs from {@code generator}, each within {@link #TIMEOUT}.
     *
     * @param name the property's name, for the failure message
     * @param seed the base seed (a fixed number per property, so that runs are reproducible)
     * @param show how to print an input in a failure message
     */
    public static <T> void forAll(String name, long seed, Function<Random, T> generator, Function<T, String> show,
            Property<T> property) {
        long base = Long.getLong("ganflow.fuzz.seed", seed);
        for (int i = 0; i < TRIES; i++) {
            Random r = new Random(base * 1_000_003L + i);
            T input = generator.apply(r);
            final int tryNo = i;
            try {
                assertTimeoutPreemptively(TIMEOUT, () -> {
                    property.check(input);
                    return null;
                });
            } catch (Throwable t) {
                AssertionError e = new AssertionError(name + " failed at try " + tryNo + " (seed " + base + ") on input "
                        + show.apply(input) + ": " + t, t);
                throw e;
            }
        }
    }

    // ---- generators ---------------------------------------------------------------------------------

    /** Uniformly random bytes, up to {@code max} of them. */
    public static byte[] bytes(Random r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        return b;
    }

    /** A valid input damaged as storage and transfers damage files: bit flips, truncation, splices. */
    public static byte[] mutate(Random r, byte[] valid) {
        byte[] b = valid.clone();
        int kind = r.nextInt(6);
        switch (kind) {
            case 0: { // a few bit flips
                int n = 1 + r.nextInt(4);
                for (int k = 0; k < n && b.length > 0; k++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            }
            case 1: // truncated
                return java.util.Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
            case 2: { // random bytes appended
                byte[] tail = bytes(r, 64);
                byte[] out = java.util.Arrays.copyOf(b, b.length + tail.length);
                System.arraycopy(tail, 0, out, b.length, tail.length);
                return out;
            }
            case 3: { // a run of bytes overwritten
                if (b.length == 0) {
                    return b;
                }
                int at = r.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + r.nextInt(16));
                for (int k = 0; k < len; k++) {
                    b[at + k] = (byte) r.nextInt(256);
                }
                return b;
            }
            case 4: { // a slice duplicated
                if (b.length == 0) {
                    return b;
                }
                int at = r.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + r.nextInt(32));
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at + len);
                System.arraycopy(b, at, out, at + len, b.length - at);
                return out;
            }
            default: // one byte set to an extreme
                if (b.length > 0) {
                    b[r.nextInt(b.length)] = r.nextBoolean() ? (byte) 0 : (byte) 0xff;
                }
                return b;
        }
    }

    /** Text built from the given tokens (with random repetitions), to reach a parser's deeper states. */
    public static String tokens(Random r, List<String> vocabulary, int maxTokens) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(maxTokens + 1);
        for (int i = 0; i < n; i++) {
            b.append(vocabulary.get(r.nextInt(vocabulary.size())));
        }
        return b.toString();
    }

    private static final String PUNCTUATION = "=.:,;\"' \t\n#-[]{}&*!|>%@`\\";

    /** Any short string, including control characters, surrogates and non-BMP characters. */
    public static String anyString(Random r, int max) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(5)) {
                case 0:
                    b.append((char) (32 + r.nextInt(95)));
                    break;
                case 1:
                    b.append((char) r.nextInt(32));
                    break;
                case 2:
                    b.append((char) r.nextInt(0x10000));
                    break;
                case 3:
                    b.appendCodePoint(0x10000 + r.nextInt(0x10FFFF - 0x10000));
                    break;
                default:
                    b.append(PUNCTUATION.charAt(r.nextInt(PUNCTUATION.length())));
            }
        }
        return b.toString();
    }

    /** An input for a failure message: printable text as a Java string, anything else as hex. */
    public static String show(byte[] b) {
        StringBuilder s = new StringBuilder(b.length + " bytes: ");
        for (int i = 0; i < Math.min(b.length, 400); i++) {
            s.append(String.format("%02x", b[i]));
        }
        return s.append(b.length > 400 ? "..." : "").toString();
    }

    public static String show(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c >= 32 && c < 127 && c != '"' && c != '\\') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.append('"').toString();
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
