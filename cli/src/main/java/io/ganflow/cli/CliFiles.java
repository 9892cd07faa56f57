package io.ganflow.cli;

import io.ganflow.BadInputException;
import io.ganflow.StorageException;
import java.io.IOException;
import java.nio.file.Path;

/** How the commands report an output file they cannot write. */
final class CliFiles {
    private CliFiles() {}

    /**
     * A full or read-only disk is a {@link StorageException} (exit 3); anything else about the path (its
     * folder does not exist, it is a directory) is bad input (exit 2). Both name the flag and the file.
     */
    static RuntimeException cannotWrite(String flag, Path file, IOException e) {
        String msg = flag + " " + file + ": cannot write: " + StorageException.reason(e);
        if (StorageException.isStorageProblem(e)) {
            return new StorageException(msg, e);
        }
        return new BadInputException(msg, e);
    }
}
