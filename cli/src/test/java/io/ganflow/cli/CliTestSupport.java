package io.ganflow.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the application in-process and captures what it prints. */
final class CliTestSupport {
    private CliTestSupport() {}

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setOut(o);
        System.setErr(e);
        try {
            int code = Main.run(o, e, args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Settings that make a training run take a few seconds. */
    static String[] tiny(String... extra) {
        String[] base = {"--set", "model.g.width=32", "--set", "model.g.depth=2", "--set", "model.d.width=32",
            "--set", "model.d.depth=2", "--set", "train.batch=64", "--set", "train.eval_samples=300",
            "--set", "train.w1_samples=200", "--set", "train.log_every=10", "--set", "train.eval_every=20",
            "--set", "train.checkpoint_every=20", "--quiet"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(extra, 0, all, 0, extra.length);
        System.arraycopy(base, 0, all, extra.length, base.length);
        return all;
    }
}
