package io.ganflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.gan.GanMethod;
import io.ganflow.run.TrainedRun;
import io.ganflow.run.TrainingRun;
import io.ganflow.train.TrainResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the three examples, short, and checks what each one promises. */
class ExamplesTest {
    @TempDir
    Path dir;

    /** The spiral made in Java trains, and the run reopens by the registered name. */
    @Test
    void customDatasetTrainsAndReopens() {
        Path out = dir.resolve("spiral");
        TrainResult r = CustomDataset.run(300, out);
        assertEquals(300, r.steps());
        double w1 = r.finalMetrics().get("w1");
        assertTrue(w1 > 0 && w1 < 1.5, "W1 " + w1);
        TrainedRun run = TrainedRun.open(out);
        assertEquals("spiral", run.config().getString("data.name"));
        assertEquals(300, run.step());
        assertEquals(w1, run.evaluate().get("w1"), 1e-9);
    }

    /** The residual generator is the one trained, and the run evaluates. */
    @Test
    void customGeneratorTrains() {
        TrainingRun run = CustomGenerator.run(200);
        assertEquals(200, run.result().steps());
        assertTrue(((GanMethod) run.method()).generator() instanceof CustomGenerator.ResMlp);
        assertTrue(Double.isFinite(run.result().finalMetrics().get("w1")));
    }

    @Test
    void openRunPrintsSamplesAndMetrics() {
        Path out = dir.resolve("spiral2");
        CustomDataset.run(100, out);
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            OpenRun.main(new String[] {out.toString()});
        } finally {
            System.setOut(old);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("step 100") && text.contains("w1"), text);
    }
}
