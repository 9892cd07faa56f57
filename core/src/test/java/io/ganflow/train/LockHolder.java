package io.ganflow.train;

import java.nio.file.Path;

/**
 * A second process for {@link RunDirectoryLockTest}: takes the writer lock of the run directory named by
 * its argument, prints "locked", and holds it until its standard input closes (or it is killed).
 */
public final class LockHolder {
    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        RunDirectory run = RunDirectory.openForWriting(Path.of(args[0]));
        System.out.println("locked");
        System.out.flush();
        while (System.in.read() != -1) {
            // hold the lock
        }
        run.close();
    }
}
