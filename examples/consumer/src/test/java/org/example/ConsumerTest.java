package org.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.config.Presets;
import io.ganflow.run.TrainedRun;
import io.ganflow.run.TrainingRun;
import io.ganflow.train.TrainResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ganflow-core used from another Maven project by its coordinates: presets, training, reopening. */
class ConsumerTest {
    @TempDir
    Path dir;

    @Test
    void trainsAndReopensThroughTheInstalledJar() {
        assertTrue(Presets.find("ring8-wgan-gp").isPresent());
        Path out = dir.resolve("run");
        TrainResult r = TrainingRun.builder().preset("ring8-wgan-gp").set("train.steps", "100")
                .set("train.eval_every", "0").outputDir(out).build().train();
        assertEquals(100, r.steps());
        TrainedRun run = TrainedRun.open(out);
        assertEquals(100, run.step());
        assertEquals(1000, run.sample(1000, 0).length);
    }
}
