package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gets one line naming what was wrong and what is allowed, exit code 2, no stack trace, and no
 * run directory left behind.
 */
class BadInputTest {
    @TempDir
    Path dir;

    void assertRejected(String expectedFragment, String... args) {
        Path out = dir.resolve("run");
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--out";
        all[args.length + 1] = out.toString();
        CliTestSupport.Result r = CliTestSupport.run(all);
        assertEquals(2, r.code(), "exit code; stderr was: " + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("ganflow: "), err);
        assertTrue(err.contains(expectedFragment), "expected '" + expectedFragment + "' in: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        assertFalse(Files.exists(out), "no run directory may be left behind");
    }

    @Test
    void unknownPreset() {
        assertRejected("unknown preset 'ring9'; allowed: ring8-wgan-gp, ring8-gan", "train", "--preset", "ring9");
    }

    @Test
    void unknownKeyWithSuggestion() {
        assertRejected("unknown config key 'gan.n_critc' (from --set); did you mean 'gan.n_critic'?", "train", "--set",
                "gan.n_critc=3");
    }

    @Test
    void unknownObjective() {
        assertRejected("gan.objective=hinged (from --set) is not allowed; allowed: minimax, nonsaturating, wasserstein",
                "train", "--set", "gan.objective=hinged");
    }

    @Test
    void nonPositiveSteps() {
        assertRejected("train.steps=0 (from --steps) is out of range (allowed: >= 1)", "train", "--steps", "0");
    }

    @Test
    void nonPositiveLearningRate() {
        assertRejected("opt.d.lr=-1e-4 (from --set) is out of range (allowed: 0 (exclusive) to 10)", "train", "--set",
                "opt.d.lr=-1e-4");
        assertRejected("opt.g.lr=0 (from --set) is out of range", "train", "--set", "opt.g.lr=0");
    }

    @Test
    void notANumber() {
        assertRejected("gan.n_critic=five (from --set) must be a whole number (allowed: 1 to 1000)", "train", "--set",
                "gan.n_critic=five");
    }

    @Test
    void missingConfigFile() {
        assertRejected("--config " + dir.resolve("nope.yaml") + ": file not found", "train", "--config",
                dir.resolve("nope.yaml").toString());
    }

    @Test
    void badYaml() throws IOException {
        Path y = dir.resolve("bad.yaml");
        Files.writeString(y, "train:\n  steps: [1, 2\n");
        assertRejected("not valid YAML", "train", "--config", y.toString());
    }

    @Test
    void yamlTypo() throws IOException {
        Path y = dir.resolve("typo.yaml");
        Files.writeString(y, "train:\n  stepz: 100\n");
        assertRejected("unknown config key 'train.stepz' (from " + y + "); did you mean 'train.steps'?", "train",
                "--config", y.toString());
    }

    @Test
    void missingCsv() {
        Path p = dir.resolve("none.csv");
        assertRejected(p + ": file not found", "train", "--set", "data.name=csv", "--set", "data.path=" + p);
    }

    @Test
    void csvWithoutPath() {
        assertRejected("data.path is empty, but data.name=csv needs a CSV file", "train", "--set", "data.name=csv");
    }

    @Test
    void raggedCsv() throws IOException {
        Path p = dir.resolve("ragged.csv");
        Files.writeString(p, "a,b\n1,2\n3\n");
        assertRejected(p + ":3: ragged row: 1 cells, expected 2", "train", "--set", "data.name=csv", "--set",
                "data.path=" + p);
    }

    @Test
    void nanInCsv() throws IOException {
        Path p = dir.resolve("nan.csv");
        Files.writeString(p, "a,b\n1,2\n3,nan\n");
        assertRejected(p + ":3:2: column 'b': 'nan' is not finite", "train", "--set", "data.name=csv", "--set",
                "data.path=" + p);
    }

    @Test
    void unknownFlag() {
        assertRejected("Unknown options: '--stepz'", "train", "--stepz", "3");
    }

    @Test
    void resumeOfMissingRun() {
        CliTestSupport.Result r = CliTestSupport.run("train", "--resume", dir.resolve("none").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a run directory"), r.err());
    }

    @Test
    void sampleOfMissingRun() {
        CliTestSupport.Result r = CliTestSupport.run("sample", "--run", dir.resolve("none").toString(), "--out",
                dir.resolve("s.csv").toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
