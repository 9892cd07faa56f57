package io.ganflow.cli;

import io.ganflow.config.Preset;
import io.ganflow.config.Presets;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ganflow presets}: lists the built-in presets. */
@Command(name = "presets", mixinStandardHelpOptions = true, description = "List the built-in presets.")
final class PresetsCommand implements Callable<Integer> {
    @Option(names = {"-v", "--verbose"}, description = "also print the keys each preset sets")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int w = 0;
        for (Preset p : Presets.all()) {
            w = Math.max(w, p.name().length());
        }
        for (Preset p : Presets.all()) {
            String mark = p.name().equals(Presets.DEFAULT) ? " (default)" : "";
            out.printf("%-" + w + "s  %s%s%n", p.name(), p.description(), mark);
            if (verbose) {
                for (Map.Entry<String, String> e : p.values().entrySet()) {
                    out.printf("%-" + w + "s    %s=%s%n", "", e.getKey(), e.getValue());
                }
            }
        }
        out.flush();
        return Main.OK;
    }
}
