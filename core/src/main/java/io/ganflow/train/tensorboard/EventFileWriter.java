package io.ganflow.train.tensorboard;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * One TensorBoard event file, {@code events.out.tfevents.<unix seconds>.<host>.<pid>.<n>}, opened with its
 * {@code file_version} record. Records are buffered; {@link #flush} makes them visible to a TensorBoard
 * that watches the directory. Not thread-safe.
 */
public final class EventFileWriter implements Closeable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final Path file;
    private final DoubleSupplier clock;
    private OutputStream out;

    private EventFileWriter(Path file, OutputStream out, DoubleSupplier clock) throws IOException {
        this.file = file;
        this.out = out;
        this.clock = clock;
        record(Events.fileVersion(clock.getAsDouble()));
    }

    /** A new file with a unique name in {@code dir} (created if missing), stamped by the system clock. */
    public static EventFileWriter create(Path dir) {
        return create(dir, () -> System.currentTimeMillis() / 1000.0);
    }

    /** As {@link #create(Path)}, with the wall time of every event taken from {@code clock} (seconds). */
    public static EventFileWriter create(Path dir, DoubleSupplier clock) {
        try {
            Files.createDirectories(dir);
            String stem = "events.out.tfevents." + (long) Math.floor(clock.getAsDouble()) + "." + hostName() + "."
                    + ProcessHandle.current().pid() + ".";
            while (true) {
                Path f = dir.resolve(stem + COUNTER.getAndIncrement());
                try {
                    OutputStream os = Files.newOutputStream(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    return new EventFileWriter(f, new BufferedOutputStream(os, 1 << 16), clock);
                } catch (FileAlreadyExistsException e) {
                    // another writer of this process took the name: try the next number
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create an event file in " + dir, e);
        }
    }

    /** A file at exactly {@code file} (replaced if present): for tests and fixtures. */
    public static EventFileWriter at(Path file, DoubleSupplier clock) {
        try {
            return new EventFileWriter(file, new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
    }

    public Path file() {
        return file;
    }

    /** Scalars at {@code step}, one {@code simple_value} per tag, in one event. */
    public void scalars(long step, Map<String, Double> byTag) {
        record(Events.scalars(clock.getAsDouble(), step, byTag));
    }

    /** A PNG image at {@code step}; its size is read from the PNG. */
    public void image(long step, String tag, byte[] png) {
        record(Events.image(clock.getAsDouble(), step, tag, png));
    }

    public void histogram(long step, String tag, Histogram h) {
        record(Events.histogram(clock.getAsDouble(), step, tag, h));
    }

    /** Marks a restart at {@code step}: TensorBoard discards the events it holds with a step ≥ {@code step}. */
    public void sessionStart(long step) {
        record(Events.sessionStart(clock.getAsDouble(), step));
    }

    public void flush() {
        try {
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            } finally {
                out = null;
            }
        }
    }

    private void record(byte[] event) {
        if (out == null) {
            throw new IllegalStateException(file + " is closed");
        }
        try {
            TfRecord.write(out, event);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The host name without a DNS lookup where the OS tells it, reduced to file-name-safe characters. */
    static String hostName() {
        String h = null;
        try {
            Path p = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(p)) {
                h = Files.readString(p).trim();
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        if (h == null || h.isEmpty()) {
            h = System.getenv("HOSTNAME");
        }
        if (h == null || h.isEmpty()) {
            h = System.getenv("COMPUTERNAME");
        }
        if (h == null || h.isEmpty()) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                h = "localhost";
            }
        }
        String safe = h.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() ? "localhost" : safe;
    }
}
