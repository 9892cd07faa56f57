package io.ganflow.train;

import io.ganflow.nn.CorruptCheckpointException;
import io.ganflow.nn.StateDict;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointIOTest {
    @TempDir
    Path dir;

    static StateDict sample() {
        StateDict sd = new StateDict();
        sd.putFloats("g.layer0.weight", new float[] {1.5f, -2f, Float.MIN_VALUE, 3e30f}, new long[] {2, 2});
        sd.putFloats("opt.g.m", new float[] {0.25f}, new long[] {1});
        sd.putValue("opt.g.step", 17L);
        sd.putValue("opt.g.lr", 1e-4);
        sd.putValue("trainer.rng", new byte[] {0, 1, (byte) 255, 7});
        sd.putValue("flag", true);
        return sd;
    }

    @Test
    void roundTripsEveryEntry() throws IOException {
        Path f = dir.resolve("a.gfck");
        CheckpointIO.write(f, 42, Map.of("preset", "ring8-wgan-gp"), sample());
        Checkpoint c = CheckpointIO.read(f);
        assertEquals(42, c.step());
        assertEquals("ring8-wgan-gp", c.meta().get("preset"));
        assertArrayEquals(new float[] {1.5f, -2f, Float.MIN_VALUE, 3e30f}, c.state().floats("g.layer0.weight"));
        assertArrayEquals(new long[] {2, 2}, c.state().shape("g.layer0.weight"));
        assertEquals(17L, c.state().getLong("opt.g.step"));
        assertEquals(1e-4, c.state().getDouble("opt.g.lr"));
        assertArrayEquals(new byte[] {0, 1, (byte) 255, 7}, c.state().getBytes("trainer.rng"));
        assertFalse(Files.exists(dir.resolve("a.gfck.tmp")), "no temporary file left behind");
    }

    @Test
    void anyFlippedByteIsDetected() throws IOException {
        Path f = dir.resolve("b.gfck");
        CheckpointIO.write(f, 1, Map.of(), sample());
        byte[] good = Files.readAllBytes(f);
        for (int pos : new int[] {0, 5, 20, good.length / 2, good.length - 40, good.length - 1}) {
            byte[] bad = good.clone();
            bad[pos] ^= 0x10;
            Files.write(f, bad);
            CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> CheckpointIO.read(f));
            assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        }
    }

    @Test
    void truncationIsDetected() throws IOException {
        Path f = dir.resolve("c.gfck");
        CheckpointIO.write(f, 1, Map.of(), sample());
        byte[] good = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(good, good.length - 7));
        assertEquals(f + ": checkpoint is corrupt (SHA-256 mismatch); it was not loaded",
                assertThrows(CorruptCheckpointException.class, () -> CheckpointIO.read(f)).getMessage());
        Files.write(f, new byte[] {'G', 'F'});
        assertEquals(f + ": not a ganflow checkpoint (bad magic or too short)",
                assertThrows(CorruptCheckpointException.class, () -> CheckpointIO.read(f)).getMessage());
    }

    @Test
    void runDirectorySkipsCorruptNewestCheckpoint() throws IOException {
        RunDirectory run = RunDirectory.create(dir.resolve("run"));
        CheckpointIO.write(run.checkpointFor(10), 10, Map.of(), sample());
        CheckpointIO.write(run.checkpointFor(20), 20, Map.of(), sample());
        byte[] b = Files.readAllBytes(run.checkpointFor(20));
        b[b.length / 2] ^= 1;
        Files.write(run.checkpointFor(20), b);
        StringBuilder warnings = new StringBuilder();
        Checkpoint c = run.latestIntactCheckpoint(warnings::append).orElseThrow();
        assertEquals(10, c.step());
        assertTrue(warnings.toString().contains("step-000000020.gfck: checkpoint is corrupt"), warnings.toString());
    }
}
