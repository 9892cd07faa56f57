package io.ganflow.train;

import io.ganflow.BadInputException;
import io.ganflow.StorageException;
import io.ganflow.nn.CorruptCheckpointException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * <p>Writers ({@link #create}, {@link #openForWriting}) hold the {@link RunLock} on {@code .lock} for as long as
 * they run; readers ({@link #open}: sample, eval) take none.
 */
public final class RunDirectory implements AutoCloseable {
    /** The lock file: one writer per run directory, its PID inside. Never deleted (see {@link #lockFile()}). */
    public static final String LOCK_FILE = ".lock";

    private final Path root;
    private RunLock lock;

    private RunDirectory(Path root, RunLock lock) {
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
        RunLock l;
        try {
            l = RunLock.acquire(root, "--out");
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
        run.lock = RunLock.acquire(root, "--resume");
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

    /** Takes this directory's writer lock ({@link RunLock}), if this object does not hold it yet. */
    public RunLock lock() {
        if (lock == null) {
            lock = RunLock.acquire(root, "--out");
        }
        return lock;
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
