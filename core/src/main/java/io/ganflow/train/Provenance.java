package io.ganflow.train;

import io.ganflow.Version;
import io.ganflow.engine.Engine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** How a run was made: enough to trace any result back to its code, settings and machine. */
public final class Provenance {
    private Provenance() {}

    public static Map<String, Object> collect(long seed, String commandLine) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("ganflow_version", Version.ganflow());
        p.put("git_commit", gitCommit());
        p.put("seed", seed);
        p.put("created", Instant.now().toString());
        p.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        p.put("libtorch", Engine.libtorchVersion());
        p.put("pytorch_preset", Version.pytorchPreset());
        p.put("threads", Engine.threads());
        p.put("device", Engine.device().name().toLowerCase(java.util.Locale.ROOT));
        p.put("cores", Runtime.getRuntime().availableProcessors());
        p.put("command", commandLine);
        return p;
    }

    /**
     * The source commit: the launcher passes it as {@code -Dganflow.git.commit}; otherwise git is asked
     * about the working directory; otherwise "unknown".
     */
    public static String gitCommit() {
        String c = System.getProperty("ganflow.git.commit");
        if (c != null && !c.isBlank()) {
            return c.trim();
        }
        try {
            Process pr = new ProcessBuilder("git", "describe", "--always", "--dirty", "--abbrev=40")
                    .redirectErrorStream(true).start();
            String out;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(pr.getInputStream(), StandardCharsets.UTF_8))) {
                out = r.readLine();
            }
            if (pr.waitFor(3, TimeUnit.SECONDS) && pr.exitValue() == 0 && out != null && !out.isBlank()) {
                return out.trim();
            }
        } catch (Exception e) {
            // not a git checkout, or no git
        }
        return "unknown";
    }
}
