package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plain (non-terminal) progress lines show what an evaluation measured, and nothing it did not. */
class ProgressListenerTest {
    private static String lastLine(Map<String, Double> eval) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressListener p = new ProgressListener(new PrintStream(buf, true, StandardCharsets.UTF_8), false, "t");
        p.onStart(0, 10);
        p.onEval(10, eval);
        p.onLog(10, Map.of("d_loss", 0.5));
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void stackedModesWithoutHighQualityShowModesAndFid() {
        Map<String, Double> m = new HashMap<>();
        m.put("modes_covered", 437.0);
        m.put("modes_total", 1000.0);
        m.put("fid", 12.25);
        String line = lastLine(m);
        assertTrue(line.contains("modes 437/1000 FID 12.25"), line);
        assertFalse(line.contains("HQ"), line);
    }

    @Test
    void pointModesShowHighQuality() {
        String line = lastLine(Map.of("modes_covered", 8.0, "modes_total", 8.0, "high_quality_fraction", 0.912,
                "w1", 0.0557));
        assertTrue(line.contains("modes 8/8 HQ 0.91 W1 0.0557"), line);
    }
}
