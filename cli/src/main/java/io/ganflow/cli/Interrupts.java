package io.ganflow.cli;


import java.io.PrintStream;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns the first Ctrl-C (SIGINT) or SIGTERM into a graceful stop: the trainer finishes its step, writes a
 * checkpoint and returns. A second signal exits at once (the last periodic checkpoint still stands).
 */
final class Interrupts implements AutoCloseable {
    private final SignalHandler oldInt;
    private final SignalHandler oldTerm;

    private Interrupts(SignalHandler oldInt, SignalHandler oldTerm) {
        this.oldInt = oldInt;
        this.oldTerm = oldTerm;
    }

    static Interrupts install(Runnable requestStop, PrintStream err) {
        SignalHandler handler = new SignalHandler() {
            private volatile boolean asked;

            @Override
            public void handle(Signal sig) {
                if (asked) {
                    err.println();
                    err.println("ganflow: second interrupt, exiting now; the last periodic checkpoint is kept");
                    Runtime.getRuntime().halt(130);
                }
                asked = true;
                err.println();
                err.println("ganflow: interrupted; finishing this step and writing a checkpoint (Ctrl-C again to"
                        + " quit at once)");
                requestStop.run();
            }
        };
        SignalHandler oldInt = trySet("INT", handler);
        SignalHandler oldTerm = trySet("TERM", handler);
        return new Interrupts(oldInt, oldTerm);
    }

    private static SignalHandler trySet(String name, SignalHandler h) {
        try {
            return Signal.handle(new Signal(name), h);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (oldInt != null) {
            Signal.handle(new Signal("INT"), oldInt);
        }
        if (oldTerm != null) {
            Signal.handle(new Signal("TERM"), oldTerm);
        }
    }
}
