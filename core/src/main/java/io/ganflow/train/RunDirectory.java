package io.ganflow.train;

import io.ganflow.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * </pre>
 */
public final class RunDirectory {
    private final Path root;

    private RunDirectory(Path root) {
        this.root = root;
    }

    /** Creates a new run directory; refuses a path that exists and is not an empty directory. */
    public static RunDirectory create(Path root) {
        if (Files.exists(root)) {
            if (!Files.isDirectory(root)) {
                throw new BadInputException("--out " + root + ": exists and is not a directory");
            }
            try (Stream<Path> s = Files.list(root)) {
                if (s.findAny().isPresent()) {
                    throw new BadInputException("--out " + root + ": directory exists and is not empty; choose a new"
                            + " one, or continue it with --resume " + root);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            Files.createDirectories(root.resolve("checkpoints"));
        } catch (IOException e) {
            throw new BadInputException("--out " + root + ": cannot create directory: " + e.getMessage());
        }
        return new RunDirectory(root);
    }

    /** Opens an existing run directory (for resume, sample, eval). */
    public static RunDirectory open(Path root) {
        if (!Files.isDirectory(root)) {
            throw new BadInputException(root + ": not a run directory (it does not exist)");
        }
        if (!Files.isDirectory(root.resolve("checkpoints"))) {
            throw new BadInputException(root + ": not a run directory (no checkpoints/ inside)");
        }
        return new RunDirectory(root);
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
     * The newest checkpoint that passes its checksum. Corrupt newer ones are reported through
     * {@code warn} and skipped, never loaded.
     */
    public Optional<Checkpoint> latestIntactCheckpoint(java.util.function.Consumer<String> warn) {
        for (Path p : checkpoints()) {
            try {
                return Optional.of(CheckpointIO.read(p));
            } catch (CorruptCheckpointException e) {
                warn.accept(e.getMessage() + "; trying an older checkpoint");
            }
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
