package io.ganflow.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The stream behind {@code --quiet}: it drops progress output but lets through every line that starts with
 * {@code ganflow:} (warnings, notes, the interrupt message), because a warning such as "a corrupt checkpoint
 * was skipped" changes what the run trains and must never be hidden.
 */
final class WarningsOnly extends OutputStream {
    private static final byte[] PREFIX = "ganflow:".getBytes(StandardCharsets.UTF_8);
    private final PrintStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private WarningsOnly(PrintStream target) {
        this.target = target;
    }

    static PrintStream of(PrintStream target) {
        return new PrintStream(new WarningsOnly(target), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n' || b == '\r') {
            emit();
        } else {
            line.write(b);
        }
    }

    private void emit() {
        byte[] l = line.toByteArray();
        line.reset();
        if (l.length >= PREFIX.length && java.util.Arrays.equals(l, 0, PREFIX.length, PREFIX, 0, PREFIX.length)) {
            target.println(new String(l, StandardCharsets.UTF_8));
        }
    }

    @Override
    public synchronized void flush() {
        target.flush();
    }

    @Override
    public synchronized void close() {
        if (line.size() > 0) {
            emit();
        }
        flush();
    }
}
