package io.ganflow.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * {@code ganflow train --nproc N}: starts N worker JVMs on this host, each running {@code ganflow train} with
 * the same arguments plus {@code --rank r --world-size N --rendezvous file:STORE} (a fresh c10d file store in
 * a temporary directory, Gloo over loopback). Rank 0 prints as a single-process run does; the other ranks run
 * quietly and their error lines are prefixed with their rank. The launcher loads no libtorch; it waits for the
 * workers and, when one fails, gives the others a grace period to notice and stop on their own (they do at
 * their next collective), then stops those that are left. Its exit code is the first failure's (1 for a
 * worker killed by a signal), else rank 0's.
 */
final class Launcher {
    /** After a worker fails, how long the others get to stop by themselves. */
    static final long GRACE_MS = 30_000;

    private Launcher() {}

    /**
     * @param args the command line as given (with --nproc)
     * @param outFor validates the config for N processes and returns the run directory to give every worker
     *     (null when resuming)
     */
    static int launch(int n, List<String> args, IntFunction<Path> outFor, int timeoutSeconds, PrintStream err) {
        Path out = outFor.apply(n);
        List<String> rest = strip(args, out != null);
        Path dir;
        try {
            dir = Files.createTempDirectory("ganflow-rdzv-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path store = dir.resolve("store");
        List<Process> workers = new ArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        // Ctrl-C reaches every worker through the terminal's process group; the launcher only waits for them.
        try (Interrupts ignored = Interrupts.install(() -> { }, new PrintStream(PrintStream.nullOutputStream()))) {
            for (int r = 0; r < n; r++) {
                List<String> cmd = new ArrayList<>(javaCommand());
                cmd.add("train");
                cmd.addAll(rest);
                if (out != null) {
                    cmd.add("--out");
                    cmd.add(out.toString());
                }
                cmd.addAll(List.of("--rank", Integer.toString(r), "--world-size", Integer.toString(n),
                        "--rendezvous", "file:" + store, "--dist-timeout", Integer.toString(timeoutSeconds)));
                if (r > 0) {
                    for (String flag : List.of("--quiet", "--no-plots")) {
                        if (!rest.contains(flag)) {
                            cmd.add(flag);
                        }
                    }
                }
                ProcessBuilder pb = new ProcessBuilder(cmd);
                if (r == 0) {
                    pb.inheritIO();
                } else {
                    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
                    pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
                }
                Process p = pb.start();
                workers.add(p);
                if (r > 0) {
                    pumps.add(pump(p, "[rank " + r + "] ", err));
                }
            }
            return await(workers, err);
        } catch (IOException e) {
            workers.forEach(Process::destroyForcibly);
            throw new UncheckedIOException("cannot start a worker process: " + e.getMessage(), e);
        } finally {
            for (Thread t : pumps) {
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                Files.deleteIfExists(store);
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // a leftover empty temporary directory is harmless
            }
        }
    }

    /** Waits for every worker; after the first failure the others get {@link #GRACE_MS}, then are stopped. */
    static int await(List<Process> workers, PrintStream err) {
        int n = workers.size();
        Integer[] codes = new Integer[n];
        int firstFailure = -1;
        long deadline = Long.MAX_VALUE;
        while (true) {
            boolean running = false;
            for (int r = 0; r < n; r++) {
                if (codes[r] == null && !workers.get(r).isAlive()) {
                    codes[r] = workers.get(r).exitValue();
                    if (codes[r] != 0 && codes[r] != Main.INTERRUPTED && firstFailure < 0) {
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
                return Main.INTERRUPTED;
            }
        }
        int code = firstFailure >= 0 ? codes[firstFailure] : codes[0];
        // a worker killed by a signal (128 + n) or with a code of its own is an error of the job: 1
        return List.of(Main.OK, Main.INTERNAL, Main.BAD_INPUT, Main.STORAGE, Main.INTERRUPTED).contains(code) ? code
                : Main.INTERNAL;
    }

    /** The arguments after 'train', without --nproc N (and without --out DIR when the launcher sets it). */
    static List<String> strip(List<String> args, boolean dropOut) {
        List<String> rest = new ArrayList<>();
        int i = 0;
        if (!args.isEmpty() && args.get(0).equals("train")) {
            i = 1;
        }
        for (; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--nproc") || (dropOut && a.equals("--out")) || a.equals("--dist-timeout")) {
                i++;
            } else if (!a.startsWith("--nproc=") && !(dropOut && a.startsWith("--out="))
                    && !a.startsWith("--dist-timeout=")) {
                rest.add(a);
            }
        }
        return rest;
    }

    /** This JVM's java binary, JVM options and class path, with the ganflow entry point. */
    static List<String> javaCommand() {
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
        cmd.add(Main.class.getName());
        return cmd;
    }

    private static Thread pump(Process p, String prefix, PrintStream err) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.isEmpty()) {
                        err.println(prefix + line);
                    }
                }
            } catch (IOException e) {
                // the worker is gone
            }
        }, "ganflow-worker-stderr");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
