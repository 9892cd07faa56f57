package io.ganflow.cli;

import io.ganflow.cli.bench.BenchCommand;
import io.ganflow.cli.process.ExitCodes;
import io.ganflow.BadInputException;
import io.ganflow.StorageException;
import io.ganflow.Version;
import io.ganflow.train.DivergenceException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ganflow} application. Exit codes: 0 ok; 1 internal error or divergence; 2 bad input (one line
 * naming the key or file, the value and what is allowed); 3 storage full or not writable (one line naming
 * the file and the cause; earlier checkpoints are kept); 130 interrupted after a clean checkpoint.
 */
@Command(name = "ganflow", mixinStandardHelpOptions = true, versionProvider = Main.VersionInfo.class,
        description = "Train, sample and evaluate GANs and flows on the JVM (libtorch through JavaCPP).",
        subcommands = {TrainCommand.class, SampleCommand.class, EvalCommand.class, ExportCommand.class, PresetsCommand.class, KeysCommand.class,
            BenchCommand.class, ClassifierCommand.class, ExperimentCommand.class, ReportCommand.class, NllCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int OK = ExitCodes.OK;
    public static final int INTERNAL = ExitCodes.INTERNAL;
    public static final int BAD_INPUT = ExitCodes.BAD_INPUT;
    public static final int STORAGE = ExitCodes.STORAGE;
    public static final int INTERRUPTED = ExitCodes.INTERRUPTED;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        boolean about = args.length == 1 && java.util.List.of("--version", "-V", "--help", "-h").contains(args[0]);
        java.util.Optional<String> natives = about ? java.util.Optional.empty()
                : io.ganflow.engine.NativeLibraries.problem();
        if (natives.isPresent()) {
            // before anything loads libtorch: a GPU build without the host's CUDA libraries would crash the JVM
            System.err.println("ganflow: " + natives.get());
            System.exit(BAD_INPUT);
        }
        System.exit(run(System.out, System.err, args));
    }

    /** Runs a command line with the given streams and returns the exit code (for tests and main). */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            String cmd = ex.getCommandLine().getCommandName();
            err.println("ganflow: " + ex.getMessage() + " (see 'ganflow " + ("ganflow".equals(cmd) ? "" : cmd + " ")
                    + "--help')");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> handle(ex, err));
        cl.setExitCodeExceptionMapper(ex -> ex instanceof BadInputException ? BAD_INPUT
                : ex instanceof StorageException ? STORAGE : INTERNAL);
        return cl.execute(args);
    }

    static int handle(Exception ex, PrintStream err) {
        Throwable t = ex;
        if (t instanceof BadInputException) {
            err.println("ganflow: " + oneLine(t.getMessage()));
            return BAD_INPUT;
        }
        if (t instanceof DivergenceException || t instanceof io.ganflow.train.dist.PeerLostException) {
            err.println("ganflow: " + oneLine(t.getMessage()));
            return INTERNAL;
        }
        if (t instanceof StorageException) {
            err.println("ganflow: " + oneLine(t.getMessage()));
            return STORAGE;
        }
        IOException io = storageCause(t);
        if (io != null) {
            // A write that failed for lack of space or permission somewhere without its own message.
            String file = io instanceof FileSystemException && ((FileSystemException) io).getFile() != null
                    ? ((FileSystemException) io).getFile() + ": " : "";
            err.println("ganflow: storage full or not writable: " + file + oneLine(StorageException.reason(io)));
            return STORAGE;
        }
        err.println("ganflow: internal error: " + t);
        if (System.getenv("GANFLOW_DEBUG") != null) {
            t.printStackTrace(err);
        } else {
            err.println("ganflow: set GANFLOW_DEBUG=1 for the stack trace, and please report it");
        }
        return INTERNAL;
    }

    /** The first I/O failure in the cause chain that means a full or read-only disk, or null. */
    static IOException storageCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException && StorageException.isStorageProblem((IOException) c)) {
                return (IOException) c;
            }
        }
        return null;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ');
    }

    /** Prints the version with the libtorch preset it was built against. */
    static final class VersionInfo implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ganflow " + Version.ganflow() + " (libtorch preset " + Version.pytorchPreset()
                    + ", Java " + System.getProperty("java.version") + ")"};
        }
    }
}
