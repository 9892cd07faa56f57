package io.ganflow.io;

import io.ganflow.Version;
import io.ganflow.engine.Engine;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

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
     * ganflow's own commit: the one baked into the jar at build time, else the launcher's
     * {@code -Dganflow.git.commit}, else "unknown". Never the user's working directory.
     */
    public static String gitCommit() {
        String baked = Version.gitCommit();
        if (!baked.equals("unknown")) {
            return baked;
        }
        String c = System.getProperty("ganflow.git.commit");
        return c != null && !c.isBlank() ? c.trim() : "unknown";
    }

    /** SHA-256 of each data file a run reads, by path, for provenance.json. */
    public static Map<String, String> dataFiles(java.util.Collection<java.nio.file.Path> files) {
        Map<String, String> out = new LinkedHashMap<>();
        for (java.nio.file.Path f : files) {
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(f)) {
                java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[1 << 16];
                for (int r; (r = in.read(buf)) > 0; ) {
                    md.update(buf, 0, r);
                }
                out.put(f.toAbsolutePath().normalize().toString(), java.util.HexFormat.of().formatHex(md.digest()));
            } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
                out.put(f.toString(), "unreadable: " + e.getMessage());
            }
        }
        return out;
    }
}
