package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganflow.experiment.Experiments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ganflow experiment list | run | report}: names, a quick run's folder, the report, bad input. */
class ExperimentCliTest {
    @Test
    void listNamesEveryExperiment() {
        CliTestSupport.Result r = CliTestSupport.run("experiment", "list");
        assertEquals(0, r.code(), r.err());
        for (String name : Experiments.registry().names()) {
            assertTrue(r.out().contains(name + " "), name + " missing from\n" + r.out());
        }
        assertTrue(r.out().contains("js-saturation") && r.out().contains("architecture-robustness"), r.out());
        CliTestSupport.Result v = CliTestSupport.run("experiment", "list", "-v");
        assertTrue(v.out().contains("threshold:") && v.out().contains("quick:"), v.out());
    }

    @Test
    void badNamesFlagsAndFoldersExitTwoWithOneLine(@TempDir Path tmp) throws Exception {
        CliTestSupport.Result r = CliTestSupport.run("experiment", "run", "no-such-thing", "--quick");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("experiment 'no-such-thing' is not known; allowed: js-saturation,"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertEquals(2, CliTestSupport.run("experiment", "run", "js-saturation", "--seeds", "0").code());
        assertEquals(2, CliTestSupport.run("experiment", "run", "js-saturation", "--seeds", "two").code());
        assertEquals(2, CliTestSupport.run("experiment", "run", "js-saturation", "--fast").code());
        assertEquals(2, CliTestSupport.run("experiment", "run").code(), "the name is required");
        assertEquals(2, CliTestSupport.run("experiment", "frobnicate").code());
        Path busy = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(busy.resolve("notes.txt"), "mine");
        CliTestSupport.Result b = CliTestSupport.run("experiment", "run", "js-saturation", "--quick", "--out", busy.toString());
        assertEquals(2, b.code());
        assertTrue(b.err().contains("not empty"), b.err());
        assertEquals(List.of(busy.resolve("notes.txt")), Files.list(busy).toList(), "nothing written");
        CliTestSupport.Result rep = CliTestSupport.run("experiment", "report", "--in", tmp.resolve("none").toString());
        assertEquals(2, rep.code(), rep.err());
    }

    @Test
    void quickRunWritesItsFolderAndTheReportTakesIt(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("exp/optimal-discriminator-quick");
        CliTestSupport.Result r = CliTestSupport.run("experiment", "run", "optimal-discriminator", "--quick", "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("optimal-discriminator (quick): holds | "), r.out());
        for (String f : List.of("table.csv", "table.md", "seeds.csv", "discriminator.png", "verdict.json")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        byte[] png = Files.readAllBytes(out.resolve("discriminator.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        @SuppressWarnings("unchecked")
        Map<String, Object> v = new ObjectMapper().readValue(out.resolve("verdict.json").toFile(), Map.class);
        assertEquals("holds", v.get("verdict"));
        assertTrue(String.valueOf(v.get("command")).startsWith("ganflow experiment run optimal-discriminator --quick"));

        Path doc = tmp.resolve("experiments.md");
        Files.writeString(doc, "# Experiments\n\nbefore\n" + ExperimentReport.BEGIN + "\nold\n" + ExperimentReport.END
                + "\nafter\n");
        CliTestSupport.Result rep = CliTestSupport.run("experiment", "report", "--in", tmp.resolve("exp").toString(),
                "--out", doc.toString());
        assertEquals(0, rep.code(), rep.err());
        String text = Files.readString(doc);
        assertTrue(text.startsWith("# Experiments\n\nbefore\n") && text.endsWith(ExperimentReport.END + "\nafter\n"), text);
        assertFalse(text.contains("\nold\n"), text);
        for (String name : Experiments.registry().names()) {
            assertTrue(text.contains("| " + name + " |"), "a row for " + name);
            assertTrue(text.contains("### " + name + "\n"), "a section for " + name);
        }
        assertTrue(text.contains("runs end to end; holds at the quick scale, which is no evidence"), text);
        assertTrue(text.contains("| js-saturation |") && text.contains("not measured yet"), text);
        assertTrue(text.contains("](optimal-discriminator-quick/discriminator.png)")
                || text.contains("](exp/optimal-discriminator-quick/discriminator.png)"), "figure linked relative to the doc");

        Path noMarkers = Files.writeString(tmp.resolve("plain.md"), "# nothing here\n");
        assertEquals(2, CliTestSupport.run("experiment", "report", "--in", tmp.resolve("exp").toString(), "--out",
                noMarkers.toString()).code());
        assertEquals("# nothing here\n", Files.readString(noMarkers));
    }
}
