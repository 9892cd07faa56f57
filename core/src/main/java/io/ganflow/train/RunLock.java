package io.ganflow.train;

import io.ganflow.BadInputException;
import io.ganflow.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A run directory's writer lock: an exclusive OS lock ({@link FileChannel#tryLock}) on its {@code .lock} file,
 * which then holds this process's PID. One process at a time trains or resumes a run; the lock lasts until
 * {@link #close} or the end of the process, however it ends. A directory locked by another process, or already by
 * this one, fails at once with a message naming the holder's PID. The lock file itself is never deleted
 * (deleting it would let two writers in).
 */
public final class RunLock implements AutoCloseable {
    /** Locks this JVM holds, by the real path of their lock file. Guarded by itself. */
    private static final Map<Path, RunLock> HELD = new HashMap<>();
    /** Counts locks taken, so that a {@link #scope} knows which are its own. Guarded by HELD. */
    private static long sequence;

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private final Thread owner;
    private final long seq;

    private RunLock(Path key, FileChannel channel, FileLock lock, Thread owner, long seq) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
        this.owner = owner;
        this.seq = seq;
    }

    public boolean isHeld() {
        return lock.isValid();
    }

    @Override
    public void close() {
        synchronized (HELD) {
            if (HELD.get(key) == this) {
                HELD.remove(key);
            }
            try {
                if (lock.isValid()) {
                    lock.release();
                }
            } catch (IOException ignored) {
                // closing the channel releases it too
            }
            closeQuietly(channel);
        }
    }

    /**
     * Starts a scope whose {@code close()} releases every run-directory lock the calling thread takes
     * inside it. The command line wraps each command in one, so that a later command in the same JVM
     * (tests) may write the directory again; a process that dies loses its locks anyway, because the
     * operating system releases them.
     */
    public static Scope scope() {
        Thread me = Thread.currentThread();
        long start;
        synchronized (HELD) {
            start = sequence;
        }
        return () -> {
            List<RunLock> mine = new ArrayList<>();
            synchronized (HELD) {
                for (RunLock l : HELD.values()) {
                    if (l.owner == me && l.seq > start) {
                        mine.add(l);
                    }
                }
            }
            mine.forEach(RunLock::close);
        };
    }

    /**
     * Takes the lock of run directory {@code root}; {@code flag} names the option that chose the directory, for
     * messages.
     */
    static RunLock acquire(Path root, String flag) {
        Path file = root.resolve(RunDirectory.LOCK_FILE);
        synchronized (HELD) {
            Path key;
            try {
                key = root.toRealPath().resolve(RunDirectory.LOCK_FILE);
            } catch (IOException e) {
                throw new BadInputException(flag + " " + root + ": cannot open the run directory: "
                        + StorageException.reason(e));
            }
            if (HELD.containsKey(key)) {
                // Never open a second channel on a file this JVM has locked: closing it would drop the lock.
                throw inUse(flag, root, Long.toString(ProcessHandle.current().pid()));
            }
            FileChannel ch;
            try {
                ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw lockFailure(flag, root, e);
            }
            FileLock fl;
            try {
                fl = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                // Locked in this JVM outside this class; the channel is left open, since closing it would
                // release that lock too.
                throw inUse(flag, root, Long.toString(ProcessHandle.current().pid()));
            } catch (IOException e) {
                closeQuietly(ch);
                throw lockFailure(flag, root, e);
            }
            if (fl == null) {
                String holder = readPid(ch);
                closeQuietly(ch);
                throw inUse(flag, root, holder);
            }
            try {
                byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
                ch.truncate(0);
                ByteBuffer b = ByteBuffer.wrap(pid);
                for (long pos = 0; b.hasRemaining(); ) {
                    pos += ch.write(b, pos);
                }
                ch.force(false);
            } catch (IOException e) {
                closeQuietly(ch);
                throw lockFailure(flag, root, e);
            }
            RunLock l = new RunLock(key, ch, fl, Thread.currentThread(), ++sequence);
            HELD.put(key, l);
            return l;
        }
    }

    private static BadInputException inUse(String flag, Path root, String pid) {
        return new BadInputException(flag + " " + root + ": the run directory is in use by another ganflow process"
                + " (PID " + pid + ", lock " + root.resolve(RunDirectory.LOCK_FILE) + "); wait for it to end or stop it, then try"
                + " again");
    }

    private static RuntimeException lockFailure(String flag, Path root, IOException e) {
        String msg = flag + " " + root + ": cannot lock the run directory (" + root.resolve(RunDirectory.LOCK_FILE) + "): "
                + StorageException.reason(e);
        return StorageException.isStorageProblem(e) ? new StorageException(msg, e) : new BadInputException(msg, e);
    }

    private static String readPid(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
            return s.matches("\\d{1,19}") ? s : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to release
        }
    }

    /** See {@link #scope()}. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

}
