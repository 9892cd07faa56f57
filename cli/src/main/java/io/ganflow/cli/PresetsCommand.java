package io.ganflow.cli;

import io.ganflow.cli.process.ExitCodes;
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
@Command(name = "presets", mixinStandardHelpOptions = true, description = "List the presets: the built-in ones (YAML resources) and those of --preset-dir.")
final class PresetsCommand implements Callable<Integer> {
    @Option(names = {"-v", "--verbose"}, description = "also print the keys each preset sets")
    boolean verbose;

    @Option(names = "--preset-dir", paramLabel = "DIR", description = "also list the presets of this directory (NAME.yaml each)")
    java.nio.file.Path presetDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (presetDir != null) {
            Presets.addDirectory(presetDir);
        }
        int w = 0;
        for (Preset p : Presets.all()) {
            w = Math.max(w, p.name().length());
        }
        for (Preset p : Presets.all()) {
            String origin = Presets.origin(p.name());
            String mark = (p.name().equals(Presets.DEFAULT) ? " (default)" : "")
                    + (origin.equals("built-in") ? "" : " [" + origin + "]");
            out.printf("%-" + w + "s  %s%s%n", p.name(), p.description(), mark);
            if (verbose) {
                for (Map.Entry<String, String> e : p.values().entrySet()) {
                    out.printf("%-" + w + "s    %s=%s%n", "", e.getKey(), e.getValue());
                }
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
