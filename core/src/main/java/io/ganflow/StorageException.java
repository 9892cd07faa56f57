package io.ganflow;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * A file ganflow had to write could not be written: the disk is full, the file system is read-only, or
 * permission is denied. The message is one line naming the file and the cause. Whatever was being written
 * has been removed again, and earlier files (checkpoints above all) are kept. The command line prints it
 * without a stack trace and exits with code 3.
 */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "cannot write FILE: No space left on device", with the cause as the operating system words it. */
    public static StorageException writing(Path file, IOException e) {
        return new StorageException("cannot write " + file + ": " + reason(e), e);
    }

    /** The operating system's reason for an I/O failure, without the path Java repeats in the message. */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) e;
            if (f.getReason() != null) {
                return f.getReason();
            }
            if (e instanceof AccessDeniedException) {
                return "Permission denied";
            }
            if (e instanceof NoSuchFileException) {
                return "No such file or directory";
            }
            if (e instanceof FileAlreadyExistsException) {
                return "File exists";
            }
            if (e instanceof DirectoryNotEmptyException) {
                return "Directory not empty";
            }
            if (e instanceof NotDirectoryException) {
                return "Not a directory";
            }
            return e.getClass().getSimpleName();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ');
    }

    /**
     * Whether an I/O failure means the storage is full or not writable (as opposed to, say, a bug that
     * passed a bad path): ENOSPC, EDQUOT, EROFS or EACCES, as the JDK reports them.
     */
    public static boolean isStorageProblem(IOException e) {
        if (e instanceof AccessDeniedException) {
            return true;
        }
        String m = e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
                ? ((FileSystemException) e).getReason() : e.getMessage();
        if (m == null) {
            return false;
        }
        return m.contains("No space left on device") || m.contains("Disk quota exceeded")
                || m.contains("Read-only file system") || m.contains("Permission denied");
    }
}
