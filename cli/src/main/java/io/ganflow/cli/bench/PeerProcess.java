package io.ganflow.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one side of a benchmark in a child process (a Python peer, or ganflow itself with another
 * environment) and collects the {@code key=value} lines it prints.
 */
final class PeerProcess {
    /** The peer scripts packaged into the jar (bench/peers), copied together so that they can import each other. */
    static final List<String> SCRIPTS = List.of("wgan_gp_toy.py", "transport.py", "blasprobe.py", "fid.py",
            "image_steps.py", "torchnets.py");

    private PeerProcess() {}

    /**
     * What a child printed: its {@code key=value} pairs, its last line (for error messages), and whether it
     * could be started at all.
     */
    record Result(Map<String, String> values, String lastLine, boolean started) {
        String get(String key) {
            return values.get(key);
        }

        boolean has(String key) {
            return values.containsKey(key);
        }

        double number(String key) {
            return Double.parseDouble(values.get(key));
        }
    }

    /** Copies the peer scripts into a fresh temporary folder. */
    static Path scripts() throws IOException {
        Path dir = Files.createTempDirectory("ganflow-peer-");
        for (String name : SCRIPTS) {
            // the scripts sit beside the bench's classes (cli/pom.xml: targetPath io/ganflow/cli/bench)
            try (InputStream in = PeerProcess.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("the peer script " + name + " is missing from the jar");
                }
                Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    /** Deletes a folder made by {@link #scripts()} (or any other flat temporary folder). */
    static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }

    /** Runs {@code cmd} with {@code env} added to this process's environment (a null value removes a variable). */
    static Result run(List<String> cmd, Map<String, String> env, long timeoutMinutes) throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue() == null) {
                pb.environment().remove(e.getKey());
            } else {
                pb.environment().put(e.getKey(), e.getValue());
            }
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(Map.of(), "cannot run " + cmd.get(0) + " (" + e.getMessage() + ")", false);
        }
        Map<String, String> kv = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                lines.add(l);
                int eq = l.indexOf('=');
                if (eq > 0 && l.substring(0, eq).matches("[a-z_0-9]+")) {
                    kv.put(l.substring(0, eq), l.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            lines.add("reading its output failed: " + e.getMessage());
        }
        if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        return new Result(kv, lines.isEmpty() ? "no output" : lines.get(lines.size() - 1), true);
    }
}
