package io.ganflow.cli;

import io.ganflow.cli.process.ExitCodes;
import io.ganflow.config.ConfigKey;
import io.ganflow.config.Schema;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ganflow keys}: lists every config key with its default and allowed values. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "List every config key: default, allowed values, meaning.")
final class KeysCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "PREFIX", description = "only keys starting with this, e.g. gan.")
    String prefix = "";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (ConfigKey k : Schema.standard().keys()) {
            if (k.name().startsWith(prefix)) {
                out.printf("%-24s %-12s %s%n%-24s %-12s allowed: %s%n", k.name(), k.defaultValue().isEmpty() ? "\"\""
                        : k.defaultValue(), k.description(), "", "", k.allowed());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
