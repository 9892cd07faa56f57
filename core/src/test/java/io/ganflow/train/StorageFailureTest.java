package io.ganflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ganflow.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk or a read-only directory: the partial file is removed, earlier checkpoints stay, and the
 * error names the file and the cause. A full disk is simulated with /dev/full, which fails every write
 * with ENOSPC ("No space left on device"), reached through the temporary file's name.
 */
class StorageFailureTest {
    static final Path DEV_FULL = Path.of("/dev/full");

    @TempDir
    Path dir;

    @Test
    void aFullDiskLeavesNoPartialCheckpointAndKeepsTheOlderOnes() throws Exception {
        assumeTrue(Files.exists(DEV_FULL), "needs /dev/full (Linux)");
        RunDirectory run = RunDirectory.create(dir.resolve("run"));
        CheckpointIO.write(run.checkpointFor(1), 1, Map.of(), CheckpointIOTest.sample());
        Path file = run.checkpointFor(2);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.createSymbolicLink(tmp, DEV_FULL);
        StorageException e = assertThrows(StorageException.class,
                () -> CheckpointIO.write(file, 2, Map.of(), CheckpointIOTest.sample()));
        assertEquals("cannot write checkpoint " + file + ": No space left on device; the partial file was removed and"
                + " earlier checkpoints are kept", e.getMessage());
        assertFalse(Files.exists(tmp, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the partial file is removed");
        assertFalse(Files.exists(file));
        assertEquals(1, run.latestIntactCheckpoint(m -> { }).orElseThrow().step(), "the older checkpoint stays");
        run.close();
    }

    @Test
    void aFullDiskUnderTheMetricsLogNamesIt() {
        assumeTrue(Files.exists(DEV_FULL), "needs /dev/full (Linux)");
        MetricsLog log = new MetricsLog(DEV_FULL);
        log.onStart(0, 10);
        StorageException e = assertThrows(StorageException.class, () -> log.onLog(1, Map.of("d_loss", 1.0)));
        assertTrue(e.getMessage().startsWith("cannot write /dev/full: No space left on device"), e.getMessage());
        log.close();
    }

    @Test
    void aReadOnlyCheckpointDirectoryIsAStorageError() throws Exception {
        RunDirectory run = RunDirectory.create(dir.resolve("run"));
        CheckpointIO.write(run.checkpointFor(1), 1, Map.of(), CheckpointIOTest.sample());
        Files.setPosixFilePermissions(run.checkpointDir(), PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(run.checkpointDir()), "root writes anywhere; run as a normal user");
            StorageException e = assertThrows(StorageException.class,
                    () -> CheckpointIO.write(run.checkpointFor(2), 2, Map.of(), CheckpointIOTest.sample()));
            assertTrue(e.getMessage().startsWith("cannot write checkpoint " + run.checkpointFor(2) + ": Permission denied"),
                    e.getMessage());
            assertEquals(1, run.latestIntactCheckpoint(m -> { }).orElseThrow().step());
        } finally {
            Files.setPosixFilePermissions(run.checkpointDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
            run.close();
        }
    }

    @Test
    void storageProblemsAreToldApartFromOtherFailures() {
        assertTrue(StorageException.isStorageProblem(new java.io.IOException("No space left on device")));
        assertTrue(StorageException.isStorageProblem(new java.nio.file.FileSystemException("/x", null,
                "Read-only file system")));
        assertTrue(StorageException.isStorageProblem(new java.nio.file.AccessDeniedException("/x")));
        assertFalse(StorageException.isStorageProblem(new java.nio.file.NoSuchFileException("/x")));
        assertEquals("Read-only file system", StorageException.reason(new java.nio.file.FileSystemException("/x", null,
                "Read-only file system")));
    }
}
