package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ganflow sample --class and --per-class on a conditional run, and their refusals. */
class ConditionalSampleTest {
    @TempDir
    Path dir;

    @Test
    void classesAreAskedForAndCheckedByTheCli() throws Exception {
        Path run = dir.resolve("c");
        CliTestSupport.Result r = CliTestSupport.run(CliTestSupport.tiny("train", "--preset", "ring8-cgan", "--steps",
                "20", "--out", run.toString()));
        assertEquals(0, r.code(), r.err());
        r = CliTestSupport.run("sample", "--run", run.toString(), "--per-class", "3", "--out",
                dir.resolve("p.csv").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1 + 3 * 8, Files.readAllLines(dir.resolve("p.csv")).size(), "3 samples of each of 8 classes");
        r = CliTestSupport.run("sample", "--run", run.toString(), "--class", "2,5", "--n", "10", "--out",
                dir.resolve("c.csv").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(11, Files.readAllLines(dir.resolve("c.csv")).size());
        io.ganflow.run.TrainedRun tr = io.ganflow.run.TrainedRun.open(run);
        assertEquals(8, tr.classes());
        assertEquals(2, tr.sampleClasses(new long[] {3, 3}, 0).length, "the same from Java");

        for (List<String> bad : List.of(List.of("--class", "8"), List.of("--per-class", "2", "--n", "5"),
                List.of("--class", "-1"))) {
            String[] args = new String[4 + bad.size()];
            args[0] = "sample";
            args[1] = "--run";
            args[2] = run.toString();
            for (int i = 0; i < bad.size(); i++) {
                args[3 + i] = bad.get(i);
            }
            args[3 + bad.size()] = "--out=" + dir.resolve("x.csv");
            r = CliTestSupport.run(args);
            assertEquals(2, r.code(), bad + ": " + r.err());
            assertTrue(!Files.exists(dir.resolve("x.csv")), "nothing written");
        }
        Path plain = dir.resolve("u");
        r = CliTestSupport.run(CliTestSupport.tiny("train", "--steps", "10", "--out", plain.toString()));
        assertEquals(0, r.code(), r.err());
        r = CliTestSupport.run("sample", "--run", plain.toString(), "--class", "1", "--out",
                dir.resolve("y.csv").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--class needs a conditional run"), r.err());
        r = CliTestSupport.run(CliTestSupport.tiny("train", "--preset", "ring8-rf", "--set", "model.condition=concat",
                "--steps", "10", "--out", dir.resolve("f").toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("model.condition=concat is for method=gan"), r.err());

        // a conditional flow: the class and the guidance scale per request
        Path flow = dir.resolve("cfg");
        r = CliTestSupport.run(CliTestSupport.tiny("train", "--preset", "ring8-rf-cfg", "--steps", "20", "--out",
                flow.toString()));
        assertEquals(0, r.code(), r.err());
        r = CliTestSupport.run("sample", "--run", flow.toString(), "--class", "4", "--n", "12", "--option",
                "guidance=2", "--nfe", "8", "--out", dir.resolve("g.csv").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("guidance 2.0") && r.out().contains("NFE 16"), "two network calls a step: "
                + r.out());
        assertEquals(13, Files.readAllLines(dir.resolve("g.csv")).size());
        Path rf = dir.resolve("rf");
        r = CliTestSupport.run(CliTestSupport.tiny("train", "--preset", "ring8-rf", "--steps", "10", "--out",
                rf.toString()));
        assertEquals(0, r.code(), r.err());
        r = CliTestSupport.run("sample", "--run", rf.toString(), "--option", "guidance=1", "--out",
                dir.resolve("h.csv").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("guidance applies to a conditional flow"), r.err());
    }
}
