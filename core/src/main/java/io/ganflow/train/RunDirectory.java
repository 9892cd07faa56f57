package io.ganflow.train;

import io.ganflow.nn.CorruptCheckpointException;
import io.ganflow.BadInputException;
import io.ganflow.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The layout of a run directory:
 *
 * <pre>
 *   config.yaml        the resolved configuration (every key, after presets, files and overrides)
 *   provenance.json    version, git commit, seed, JVM, libtorch, threads, device, command line
 *   metrics.jsonl      one JSON object per logged step or evaluation
 *   summary.json       the final numbers
 *   checkpoints/       step-NNNNNNNNN.gfck, atomic and checksummed; the newest few are kept
 *   *.png, report.html plots and the report (written by the application)
 *   .lock              the writer lock: one process at a time trains or resumes a run (it holds the PID)
 * </pre>
 *
 * <p>Writers ({@link #create}, {@link #openForWriting}) hold an exclusive OS file lock on {@code .lock}
 * for as long as they run; readers ({@link #open}: sample, eval) take none.
 */
public final class RunDirectory implements AutoCloseable {
    /** The lock file: one writer per run directory, its PID inside. Never deleted (see {@link #lockFile()}). */
    public static final String LOCK_FILE = ".lock";

    /** Locks this JVM holds, by the real path of their lock file. Guarded by itself. */
    private static final Map<Path, Lock> HELD = new HashMap<>();
    /** Counts locks taken, so that a {@link #lockScope} knows which are its own. Guarded by HELD. */
    private static long sequence;

    private final Path root;
    private Lock lock;

    private RunDirectory(Path root, Lock lock) {
        this.root = root;
        this.lock = lock;
    }

    /**
     * Creates a new run directory and takes its writer lock. The directory is created atomically: when it
     * already exists (another process may have made it a moment ago) it is only used if, once locked, it
     * holds nothing. Refuses a path that is a file or a non-empty directory, and a directory another
     * ganflow process is writing.
     */
    public static RunDirectory create(Path root) {
        boolean made = false;
        Path parent = root.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (FileAlreadyExistsException e) {
            throw new BadInputException("--out " + root + ": cannot create directory: " + e.getFile()
                    + " is not a directory");
        } catch (IOException e) {
            throw cannotCreate(root, e);
        }
        boolean hadLockFile = Files.exists(root.resolve(LOCK_FILE));
        try {
            Files.createDirectory(root);
            made = true;
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(root)) {
                throw new BadInputException("--out " + root + ": exists and is not a directory");
            }
            // Refuse a directory in use before touching it: no lock file is left in someone's folder.
            if (!hadLockFile && !isEmptyApartFromLock(root)) {
                throw notEmpty(root);
            }
        } catch (IOException e) {
            throw cannotCreate(root, e);
        }
        Lock l;
        try {
            l = acquire(root, "--out");
        } catch (RuntimeException e) {
            if (made) {
                deleteTree(root);
            }
            throw e;
        }
        try {
            // Holding the lock, nobody else can be filling the directory: check that it is really fresh.
            if (!made && !isEmptyApartFromLock(root)) {
                throw notEmpty(root);
            }
            Files.createDirectories(root.resolve("checkpoints"));
        } catch (IOException | RuntimeException e) {
            if (made) {
                deleteTree(root);
            } else if (!hadLockFile) {
                deleteQuietly(root.resolve(LOCK_FILE));
            }
            l.close();
            if (e instanceof RuntimeException) {
                throw (RuntimeException) e;
            }
            throw cannotCreate(root, (IOException) e);
        }
        return new RunDirectory(root, l);
    }

    private static BadInputException notEmpty(Path root) {
        return new BadInputException("--out " + root + ": directory exists and is not empty; choose a new one, or"
                + " continue it with --resume " + root);
    }

    private static boolean isEmptyApartFromLock(Path root) {
        try (Stream<Path> s = Files.list(root)) {
            return s.allMatch(p -> p.getFileName().toString().equals(LOCK_FILE));
        } catch (IOException e) {
            throw new BadInputException("--out " + root + ": cannot list the directory: " + StorageException.reason(e));
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stray lock file is harmless
        }
    }

    private static RuntimeException cannotCreate(Path root, IOException e) {
        if (StorageException.isStorageProblem(e)) {
            return new StorageException("--out " + root + ": cannot create the run directory: "
                    + StorageException.reason(e), e);
        }
        return new BadInputException("--out " + root + ": cannot create directory: " + StorageException.reason(e));
    }

    /** Opens an existing run directory to read it (sample, eval): no lock is taken. */
    public static RunDirectory open(Path root) {
        if (!Files.isDirectory(root)) {
            throw new BadInputException(root + ": not a run directory (it does not exist)");
        }
        if (!Files.isDirectory(root.resolve("checkpoints"))) {
            throw new BadInputException(root + ": not a run directory (no checkpoints/ inside)");
        }
        return new RunDirectory(root, null);
    }

    /**
     * Opens an existing run directory to continue writing it (resume) and takes its writer lock, then
     * removes the temporary files a killed writer may have left in checkpoints/.
     */
    public static RunDirectory openForWriting(Path root) {
        RunDirectory run = open(root);
        run.lock = acquire(root, "--resume");
        try (Stream<Path> s = Files.list(run.checkpointDir())) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().endsWith(".gfck.tmp")) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // a stale temporary file is harmless: it is never read as a checkpoint
        }
        return run;
    }

    /** Whether this process holds the directory's writer lock. */
    public boolean isLocked() {
        return lock != null && lock.isHeld();
    }

    /** Releases the writer lock, if held. The lock file stays (deleting it would let two writers in). */
    @Override
    public void close() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }

    /**
     * Starts a scope whose {@code close()} releases every run-directory lock the calling thread takes
     * inside it. The command line wraps each command in one, so that a later command in the same JVM
     * (tests) may write the directory again; a process that dies loses its locks anyway, because the
     * operating system releases them.
     */
    public static LockScope lockScope() {
        Thread me = Thread.currentThread();
        long start;
        synchronized (HELD) {
            start = sequence;
        }
        return () -> {
            List<Lock> mine = new ArrayList<>();
            synchronized (HELD) {
                for (Lock l : HELD.values()) {
                    if (l.owner == me && l.seq > start) {
                        mine.add(l);
                    }
                }
            }
            mine.forEach(Lock::close);
        };
    }

    /**
     * Takes the exclusive writer lock of a run directory: an OS lock ({@link FileChannel#tryLock}) on
     * {@code .lock}, which then holds this process's PID. It lasts until {@link Lock#close} or the end of
     * the process, however it ends. A directory locked by another process, or already by this one, fails
     * at once with a message naming the holder's PID.
     */
    public Lock lock() {
        if (lock == null) {
            lock = acquire(root, "--out");
        }
        return lock;
    }

    private static Lock acquire(Path root, String flag) {
        Path file = root.resolve(LOCK_FILE);
        synchronized (HELD) {
            Path key;
            try {
                key = root.toRealPath().resolve(LOCK_FILE);
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
            Lock l = new Lock(key, ch, fl, Thread.currentThread(), ++sequence);
            HELD.put(key, l);
            return l;
        }
    }

    private static BadInputException inUse(String flag, Path root, String pid) {
        return new BadInputException(flag + " " + root + ": the run directory is in use by another ganflow process"
                + " (PID " + pid + ", lock " + root.resolve(LOCK_FILE) + "); wait for it to end or stop it, then try"
                + " again");
    }

    private static RuntimeException lockFailure(String flag, Path root, IOException e) {
        String msg = flag + " " + root + ": cannot lock the run directory (" + root.resolve(LOCK_FILE) + "): "
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

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> all = new ArrayList<>();
            s.forEach(all::add);
            all.sort(Comparator.reverseOrder());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort: the directory was ours and empty apart from the lock
        }
    }

    /** See {@link #lockScope()}. */
    public interface LockScope extends AutoCloseable {
        @Override
        void close();
    }

    /** A run directory's writer lock. */
    public static final class Lock implements AutoCloseable {
        private final Path key;
        private final FileChannel channel;
        private final FileLock lock;
        private final Thread owner;
        private final long seq;

        private Lock(Path key, FileChannel channel, FileLock lock, Thread owner, long seq) {
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
    }

    /** The lock file. It stays after the writer ends; only the OS lock on it matters. */
    public Path lockFile() {
        return root.resolve(LOCK_FILE);
    }

    public Path root() {
        return root;
    }

    public Path config() {
        return root.resolve("config.yaml");
    }

    public Path provenance() {
        return root.resolve("provenance.json");
    }

    public Path metrics() {
        return root.resolve("metrics.jsonl");
    }

    public Path summary() {
        return root.resolve("summary.json");
    }

    public Path checkpointDir() {
        return root.resolve("checkpoints");
    }

    public Path checkpointFor(long step) {
        return checkpointDir().resolve(String.format("step-%09d.gfck", step));
    }

    /** Checkpoint files, newest (highest step) first. */
    public List<Path> checkpoints() {
        try (Stream<Path> s = Files.list(checkpointDir())) {
            List<Path> out = new ArrayList<>();
            s.filter(p -> p.getFileName().toString().matches("step-\\d+\\.gfck")).forEach(out::add);
            out.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The newest checkpoint that passes its checksum. Corrupt newer ones are skipped, never loaded, and
     * reported through {@code warn}. Empty when there is no checkpoint at all; when every checkpoint is
     * corrupt, a {@link CorruptCheckpointException} names them all in one line.
     */
    public Optional<Checkpoint> latestIntactCheckpoint(java.util.function.Consumer<String> warn) {
        List<String> skipped = new ArrayList<>();
        for (Path p : checkpoints()) {
            try {
                Checkpoint c = CheckpointIO.read(p);
                skipped.forEach(m -> warn.accept(m + "; loaded the older " + p.getFileName() + " instead"));
                return Optional.of(c);
            } catch (CorruptCheckpointException e) {
                skipped.add(e.getMessage());
            }
        }
        if (!skipped.isEmpty()) {
            throw new CorruptCheckpointException(checkpointDir() + ": no intact checkpoint: " + String.join("; ", skipped));
        }
        return Optional.empty();
    }

    /** Deletes all but the newest {@code keep} checkpoints. */
    public void pruneCheckpoints(int keep) {
        List<Path> all = checkpoints();
        for (int i = keep; i < all.size(); i++) {
            try {
                Files.deleteIfExists(all.get(i));
            } catch (IOException e) {
                // a checkpoint we cannot delete is harmless
            }
        }
    }
}
