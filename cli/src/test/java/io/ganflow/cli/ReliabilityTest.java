package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.StorageException;
import io.ganflow.train.RunDirectory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14: run-directory locks, storage errors, config files without a preset, inputs that slipped through. */
class ReliabilityTest {
    @TempDir
    Path dir;

    static final String PID = Long.toString(ProcessHandle.current().pid());

    private Path tinyRun(String name, int steps) {
        Path run = dir.resolve(name);
        String[] args = new String[6];
        args[0] = "train";
        args[1] = "--steps";
        args[2] = Integer.toString(steps);
        args[3] = "--out";
        args[4] = run.toString();
        args[5] = "--no-plots";
        CliTestSupport.Result r = CliTestSupport.run(CliTestSupport.tiny(args));
        assertEquals(0, r.code(), r.err());
        return run;
    }

    @Test
    void aSecondWriterOfARunExitsWith2AndTheHoldersPid() throws Exception {
        Path run = tinyRun("run", 20);
        try (RunDirectory held = RunDirectory.openForWriting(run)) {
            CliTestSupport.Result r = CliTestSupport.run("train", "--resume", run.toString(), "--steps", "40", "--quiet");
            assertEquals(2, r.code(), r.err());
            assertEquals("ganflow: --resume " + run + ": the run directory is in use by another ganflow process (PID "
                    + PID + ", lock " + run.resolve(".lock") + "); wait for it to end or stop it, then try again",
                    r.err().strip());
            Path fresh = dir.resolve("fresh");
            Files.createDirectory(fresh);
            try (RunDirectory other = RunDirectory.create(fresh)) {
                r = CliTestSupport.run(CliTestSupport.tiny("train", "--steps", "5", "--out", fresh.toString()));
                assertEquals(2, r.code(), r.err());
                assertTrue(r.err().contains("--out " + fresh + ": the run directory is in use by another ganflow"
                        + " process (PID " + PID + ","), r.err());
            }
            // readers take no lock
            r = CliTestSupport.run("sample", "--run", run.toString(), "--n", "5", "--out", dir.resolve("s.csv").toString());
            assertEquals(0, r.code(), r.err());
        }
        CliTestSupport.Result r = CliTestSupport.run("train", "--resume", run.toString(), "--steps", "30", "--quiet",
                "--no-plots");
        assertEquals(0, r.code(), "the lock went with its holder: " + r.err());
        r = CliTestSupport.run("train", "--resume", run.toString(), "--steps", "35", "--quiet", "--no-plots");
        assertEquals(0, r.code(), "and the command released its own: " + r.err());
    }

    @Test
    void storageErrorsExitWith3AndOneLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8);
        assertEquals(3, Main.handle(new StorageException("cannot write checkpoint /r/c.gfck: No space left on device",
                new IOException("No space left on device")), err));
        assertEquals(3, Main.handle(new UncheckedIOException(new java.nio.file.FileSystemException("/r/summary.json",
                null, "Read-only file system")), err));
        assertEquals(1, Main.handle(new UncheckedIOException(new IOException("Connection reset")), err));
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("ganflow: cannot write checkpoint /r/c.gfck: No space left on device", lines.get(0));
        assertEquals("ganflow: storage full or not writable: /r/summary.json: Read-only file system", lines.get(1));
        assertTrue(lines.get(2).startsWith("ganflow: internal error"), lines.get(2));
    }

    @Test
    void aConfigFileWithoutAPresetStartsFromTheDefaultPresetAndSaysSo() throws Exception {
        Path y = dir.resolve("c.yaml");
        Files.writeString(y, "train:\n  steps: 10\n");
        Path run = dir.resolve("run");
        CliTestSupport.Result r = CliTestSupport.run(CliTestSupport.tiny("train", "--config", y.toString(), "--out",
                run.toString(), "--no-plots"));
        assertEquals(0, r.code(), r.err());
        assertEquals("ganflow: note: --config " + y + " names no 'preset:'; keys it does not set come from the default"
                + " preset, ring8-wgan-gp (add 'preset: NAME' to choose another)", r.err().strip());
        assertTrue(r.out().startsWith("ring8-wgan-gp: 10 steps"), r.out());
        String cfg = Files.readString(run.resolve("config.yaml"));
        assertTrue(cfg.contains("# preset: ring8-wgan-gp (default)\n"), cfg);
        assertTrue(cfg.contains("gan.gp.weight: 0.1  # preset ring8-wgan-gp (default)"), cfg);
        assertTrue(cfg.contains("train.steps: 10  # " + y), cfg);
        // a run's own config.yaml sets every key: re-running it needs no preset, and no note
        r = CliTestSupport.run("train", "--config", run.resolve("config.yaml").toString(), "--out",
                dir.resolve("again").toString(), "--no-plots", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err().strip());
    }

    @Test
    void quietNeverHidesTheWarningThatACorruptCheckpointWasSkipped() throws Exception {
        Path run = tinyRun("run", 40);
        Path newest = run.resolve("checkpoints/step-000000040.gfck");
        byte[] b = Files.readAllBytes(newest);
        b[b.length / 2] ^= 1;
        Files.write(newest, b);
        CliTestSupport.Result r = CliTestSupport.run("train", "--resume", run.toString(), "--steps", "50", "--quiet",
                "--no-plots");
        assertEquals(0, r.code(), r.err());
        assertEquals("ganflow: warning: " + newest + ": checkpoint is corrupt (SHA-256 mismatch); it was not loaded;"
                + " loaded the older step-000000020.gfck instead", r.err().strip());
        assertTrue(r.out().contains("resuming " + run + " at step 20 of 50"), r.out());
    }

    @Test
    void threadsAboveTheCoreCountAreCappedWithAWarning() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        Path run = dir.resolve("run");
        CliTestSupport.Result r = CliTestSupport.run(CliTestSupport.tiny("train", "--steps", "2", "--threads", "1000",
                "--out", run.toString(), "--no-plots"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("ganflow: warning: train.threads=1000 is more than the " + cores
                + " cores of this machine; using " + cores), r.err());
        assertTrue(Files.readString(run.resolve("provenance.json")).contains("\"threads\" : " + cores));
        io.ganflow.engine.Engine.setThreads(1);
    }

    @Test
    void evaluatingOnTheTrainingRowsIsWarnedAbout() throws Exception {
        Path csv = Files.writeString(dir.resolve("three.csv"), "a,b\n1,2\n3,4\n5,7\n");
        Path run = dir.resolve("run");
        CliTestSupport.Result r = CliTestSupport.run(CliTestSupport.tiny("train", "--steps", "2", "--set", "data.name=csv",
                "--set", "data.path=" + csv, "--out", run.toString(), "--no-plots"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("ganflow: warning: csv:three.csv: data.holdout=0.1 of 3 rows holds out none (it"
                + " rounds to 0), so evaluation (W1, the plots) uses the training rows"), r.err());
        StringBuilder rows = new StringBuilder("a,b\n");
        for (int i = 0; i < 12; i++) {
            rows.append(i).append(',').append(i % 5).append('\n');
        }
        Path twelve = Files.writeString(dir.resolve("twelve.csv"), rows);
        Path run0 = dir.resolve("run0");
        r = CliTestSupport.run(CliTestSupport.tiny("train", "--steps", "2", "--set", "data.name=csv", "--set",
                "data.path=" + twelve, "--set", "data.holdout=0", "--out", run0.toString(), "--no-plots"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("data.holdout=0 of 12 rows holds out no rows"), r.err());
        r = CliTestSupport.run("eval", "--run", run0.toString(), "--n", "10", "--metrics", "w1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("uses the training rows"), r.err());
    }
}
