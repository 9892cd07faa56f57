package io.ganflow.cli.process;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child JVMs of the application: the command that starts one like this one, and the wait for a group of them
 * (the data-parallel workers of {@code --nproc}, the bench's data-parallel suite). When one fails, the others get a
 * grace period to notice and stop on their own (they do at their next collective), then are stopped.
 */
public final class ChildJvm {
    /** After a worker fails, how long the others get to stop by themselves. */
    public static final long GRACE_MS = 30_000;

    private ChildJvm() {}

    /** Waits for every worker; after the first failure the others get {@link #GRACE_MS}, then are stopped. */
    public static int await(List<Process> workers, PrintStream err) {
        int n = workers.size();
        Integer[] codes = new Integer[n];
        int firstFailure = -1;
        long deadline = Long.MAX_VALUE;
        while (true) {
            boolean running = false;
            for (int r = 0; r < n; r++) {
                if (codes[r] == null && !workers.get(r).isAlive()) {
                    codes[r] = workers.get(r).exitValue();
                    if (codes[r] != 0 && codes[r] != ExitCodes.INTERRUPTED && firstFailure < 0) {
                        firstFailure = r;
                        deadline = System.currentTimeMillis() + GRACE_MS;
                        err.println("ganflow: worker rank " + r + " exited with code " + codes[r]
                                + "; the other workers stop at their next collective");
                    }
                }
                running |= codes[r] == null;
            }
            if (!running) {
                break;
            }
            if (System.currentTimeMillis() > deadline) {
                for (int r = 0; r < n; r++) {
                    if (codes[r] == null) {
                        err.println("ganflow: worker rank " + r + " still running " + GRACE_MS / 1000
                                + " s after rank " + firstFailure + " failed; stopping it");
                        workers.get(r).destroyForcibly();
                    }
                }
                deadline = Long.MAX_VALUE;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                workers.forEach(Process::destroyForcibly);
                Thread.currentThread().interrupt();
                return ExitCodes.INTERRUPTED;
            }
        }
        int code = firstFailure >= 0 ? codes[firstFailure] : codes[0];
        // a worker killed by a signal (128 + n) or with a code of its own is an error of the job: 1
        return List.of(ExitCodes.OK, ExitCodes.INTERNAL, ExitCodes.BAD_INPUT, ExitCodes.STORAGE, ExitCodes.INTERRUPTED).contains(code) ? code
                : ExitCodes.INTERNAL;
    }

    /** This JVM's java binary, JVM options and class path, with {@code mainClass} as the entry point. */
    public static List<String> javaCommand(String mainClass) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-javaagent")) {
                cmd.add(a);
            }
        }
        cmd.add("-Dganflow.dist.loopback=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        return cmd;
    }
}
