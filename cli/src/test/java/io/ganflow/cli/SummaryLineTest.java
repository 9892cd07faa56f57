package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ganflow.train.RunDirectory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-line summary of a run, as `ganflow train` prints it. */
class SummaryLineTest {
    @TempDir
    Path dir;

    static Map<String, Object> summary(Object reverseKl) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("steps", 300);
        s.put("seconds", 2.0);
        s.put("modes_covered", 0);
        s.put("modes_total", 8);
        s.put("high_quality_fraction", 0.0);
        s.put("reverse_kl_modes", reverseKl);
        return s;
    }

    @Test
    void aRunOnNoModeSaysSoInsteadOfNaN() throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir.resolve("checkpoints"));
        RunDirectory run = RunDirectory.open(dir);
        // summary.json writes a non-finite number as text; either way the line reads n/a, never NaN
        for (Object nan : new Object[] {Double.NaN, "NaN"}) {
            assertEquals("ring8-gan: 300 steps in 2s | modes 0/8 | high quality 0.000 | reverse KL n/a (no sample on a"
                    + " mode) | " + dir, Session.oneLine("ring8-gan", summary(nan), run));
        }
        Map<String, Object> s = summary(0.00123);
        s.put("modes_covered", 8);
        assertEquals("ring8-gan: 300 steps in 2s | modes 8/8 | high quality 0.000 | reverse KL 0.0012 | " + dir,
                Session.oneLine("ring8-gan", s, run));
    }
}
