package io.ganflow.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganflow.StorageException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code metrics.jsonl}: one JSON object per logged step ({@code "kind":"train"}) or evaluation
 * ({@code "kind":"eval"}). Non-finite numbers are written as strings ("NaN", "Infinity"). On resume, the
 * records after the checkpoint's step are dropped, so the file matches an uninterrupted run.
 */
public final class MetricsLog implements Listener, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private BufferedWriter out;

    public MetricsLog(Path file) {
        this.file = file;
    }

    @Override
    public void onStart(long startStep, long totalSteps) {
        try {
            if (startStep > 0 && Files.exists(file)) {
                truncateAfter(startStep);
            }
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private void truncateAfter(long step) throws IOException {
        List<String> keep = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                Map<?, ?> rec = JSON.readValue(line, Map.class);
                if (((Number) rec.get("step")).longValue() <= step) {
                    keep.add(line);
                }
            } catch (IOException | RuntimeException e) {
                // a torn last line from a crash: drop it
            }
        }
        Files.write(file, keep, StandardCharsets.UTF_8);
    }

    @Override
    public void onLog(long step, Map<String, Double> stats) {
        write("train", step, stats);
    }

    @Override
    public void onEval(long step, Map<String, Double> metrics) {
        write("eval", step, metrics);
    }

    private void write(String kind, long step, Map<String, Double> values) {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("kind", kind);
        rec.put("step", step);
        for (Map.Entry<String, Double> e : values.entrySet()) {
            rec.put(e.getKey(), jsonNumber(e.getValue()));
        }
        try {
            out.write(JSON.writeValueAsString(rec));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private RuntimeException failure(IOException e) {
        if (StorageException.isStorageProblem(e)) {
            return new StorageException("cannot write " + file + ": " + StorageException.reason(e)
                    + "; the checkpoints written so far are kept", e);
        }
        return new UncheckedIOException("cannot write " + file, e);
    }

    /** Finite doubles as numbers; NaN and infinities as strings, which JSON has no numbers for. */
    public static Object jsonNumber(Double v) {
        if (v == null) {
            return null;
        }
        if (Double.isFinite(v)) {
            return v;
        }
        return v.toString();
    }

    /** Reads every record of a metrics file. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> read(Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(JSON.readValue(line, Map.class));
            }
        }
        return out;
    }

    @Override
    public void onEnd(TrainResult result) {
        close();
    }

    @Override
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // nothing left to lose
            }
            out = null;
        }
    }
}
