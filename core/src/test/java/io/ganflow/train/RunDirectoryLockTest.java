package io.ganflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per run directory: an OS lock on .lock, within one JVM and across processes. */
class RunDirectoryLockTest {
    @TempDir
    Path dir;

    static final String PID = Long.toString(ProcessHandle.current().pid());

    @Test
    void aSecondWriterInTheSameJvmIsRefusedWithTheHoldersPid() {
        Path root = dir.resolve("run");
        try (RunDirectory first = RunDirectory.create(root)) {
            assertTrue(first.isLocked());
            assertEquals(PID, read(root.resolve(".lock")));
            BadInputException e = assertThrows(BadInputException.class, () -> RunDirectory.openForWriting(root));
            assertEquals("--resume " + root + ": the run directory is in use by another ganflow process (PID " + PID
                    + ", lock " + root.resolve(".lock") + "); wait for it to end or stop it, then try again", e.getMessage());
            // a fresh run aimed at the same (locked) directory gets the same answer, not "not empty"
            e = assertThrows(BadInputException.class, () -> RunDirectory.create(root));
            assertTrue(e.getMessage().contains("in use by another ganflow process (PID " + PID + ","), e.getMessage());
            // readers take no lock
            assertFalse(RunDirectory.open(root).isLocked());
        }
        try (RunDirectory again = RunDirectory.openForWriting(root)) {
            assertTrue(again.isLocked(), "released on close, so the run can be resumed");
        }
    }

    @Test
    void aLockTakenInThisJvmOutsideRunDirectoryGivesTheSameMessage() throws Exception {
        Path root = dir.resolve("run");
        RunDirectory.create(root).close();
        try (FileChannel ch = FileChannel.open(root.resolve(".lock"), StandardOpenOption.WRITE);
                FileLock raw = ch.lock()) {
            // FileChannel.tryLock throws OverlappingFileLockException here rather than returning null
            BadInputException e = assertThrows(BadInputException.class, () -> RunDirectory.openForWriting(root));
            assertTrue(e.getMessage().contains("in use by another ganflow process (PID " + PID + ","), e.getMessage());
            assertTrue(raw.isValid(), "refusing must not release the other holder's lock");
        }
        RunDirectory.openForWriting(root).close();
    }

    @Test
    void lockScopeReleasesOnlyWhatItsThreadTookInside() {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        try (RunDirectory outer = RunDirectory.create(a)) {
            try (RunLock.Scope scope = RunLock.scope()) {
                RunDirectory.create(b);
            }
            assertTrue(outer.isLocked(), "a lock taken before the scope stays");
            RunDirectory.openForWriting(b).close();
        }
    }

    @Test
    void aSecondWriterProcessIsRefusedAndTheLockDiesWithIt() throws Exception {
        Path root = dir.resolve("run");
        RunDirectory.create(root).close();
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LockHolder.class.getName(), root.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            BadInputException e = assertThrows(BadInputException.class, () -> RunDirectory.openForWriting(root));
            assertTrue(e.getMessage().contains("in use by another ganflow process (PID " + holder.pid() + ","),
                    e.getMessage());
            e = assertThrows(BadInputException.class, () -> RunDirectory.create(root));
            assertTrue(e.getMessage().contains("(PID " + holder.pid() + ","), e.getMessage());
            // kill -9: the operating system releases the lock of a dead process
            holder.destroyForcibly();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
            try (RunDirectory mine = RunDirectory.openForWriting(root)) {
                assertTrue(mine.isLocked());
                assertEquals(PID, read(root.resolve(".lock")));
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void createIsAtomicAndRefusesWhatIsNotFresh() throws Exception {
        Path nested = dir.resolve("x/y/run");
        RunDirectory.create(nested).close();
        assertTrue(Files.isDirectory(nested.resolve("checkpoints")));
        // an existing empty directory is fine (after the lock, it is checked again)
        Path empty = Files.createDirectory(dir.resolve("empty"));
        RunDirectory.create(empty).close();
        // a finished run is not empty: only its lock file may be there
        BadInputException e = assertThrows(BadInputException.class, () -> RunDirectory.create(nested));
        assertTrue(e.getMessage().contains("directory exists and is not empty"), e.getMessage());
        Path file = Files.writeString(dir.resolve("f"), "x");
        e = assertThrows(BadInputException.class, () -> RunDirectory.create(file));
        assertEquals("--out " + file + ": exists and is not a directory", e.getMessage());
    }

    @Test
    void resumingRemovesTheTemporaryFileOfAKilledWriter() throws Exception {
        Path root = dir.resolve("run");
        RunDirectory.create(root).close();
        Path stale = Files.writeString(root.resolve("checkpoints/step-000000050.gfck.tmp"), "half a checkpoint");
        RunDirectory.open(root).close();
        assertTrue(Files.exists(stale), "readers change nothing");
        RunDirectory.openForWriting(root).close();
        assertFalse(Files.exists(stale));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
