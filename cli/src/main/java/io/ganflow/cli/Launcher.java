package io.ganflow.cli;

import io.ganflow.cli.process.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
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
    private Launcher() {}

    /**
     * @param args the command line as given (with --nproc)
     * @param outFor validates the config for N processes and returns the run directory to give every worker
     *     (null when resuming)
     */
    static int launch(String mainClass, int n, List<String> args, IntFunction<Path> outFor, int timeoutSeconds,
            PrintStream err) {
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
                List<String> cmd = new ArrayList<>(ChildJvm.javaCommand(mainClass));
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
            return ChildJvm.await(workers, err);
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
