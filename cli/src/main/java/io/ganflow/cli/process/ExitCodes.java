package io.ganflow.cli.process;

/** The application's exit codes (README, "Exit codes"). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int INTERNAL = 1;
    public static final int BAD_INPUT = 2;
    public static final int STORAGE = 3;
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
