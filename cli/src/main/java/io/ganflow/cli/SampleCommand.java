package io.ganflow.cli;

import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.train.Checkpoint;
import io.ganflow.train.CheckpointIO;
import io.ganflow.train.Method;
import io.ganflow.train.RunDirectory;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ganflow sample}: draws samples from a trained run into a CSV file (data space). */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw samples from a trained run and write them as CSV (in the data's units).")
final class SampleCommand implements Callable<Integer> {
    @Option(names = "--run", paramLabel = "DIR", required = true, description = "the run directory")
    Path run;

    @Option(names = "--n", paramLabel = "N", defaultValue = "1000", description = "how many samples (default 1000)")
    int n;

    @Option(names = "--out", paramLabel = "FILE.csv", required = true, description = "where to write them")
    Path out;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of the latent draws (default 0)")
    long seed;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "a specific checkpoint (default: newest intact)")
    Path checkpoint;

    @Override
    public Integer call() throws IOException {
        if (n < 1 || n > 10_000_000) {
            throw new BadInputException("--n " + n + " is out of range (allowed: 1 to 10000000)");
        }
        Checkpoint ckpt = checkpoint != null ? CheckpointIO.read(checkpoint)
                : RunDirectory.open(run).latestIntactCheckpoint(msg -> System.err.println("ganflow: warning: " + msg))
                        .orElseThrow(() -> new BadInputException("--run " + run + ": no intact checkpoint"));
        Config c = Session.configFromCheckpoint(ckpt);
        Setup.engine(c);
        Dataset data = Setup.dataset(c);
        Method method = Setup.method(c, data);
        method.loadState(ckpt.state());
        Path tmp = out.toAbsolutePath().resolveSibling(out.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            int d = data.dim();
            StringBuilder header = new StringBuilder();
            for (int j = 0; j < d; j++) {
                header.append(j == 0 ? "" : ",").append("x").append(j + 1);
            }
            w.write(header.toString());
            w.newLine();
            Rng rng = new Rng(seed);
            int chunk = 10_000;
            for (int done = 0; done < n; done += chunk) {
                int m = Math.min(chunk, n - done);
                try (Scope s = Scope.open()) {
                    float[] v = Ops.toFloats(data.standardizer().toData(method.sample(m, rng)));
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < d; j++) {
                            b.append(j == 0 ? "" : ",").append(v[i * d + j]);
                        }
                        b.append('\n');
                    }
                    w.write(b.toString());
                }
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new BadInputException("--out " + out + ": cannot write: " + e.getMessage());
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("wrote " + n + " samples from step " + ckpt.step() + " to " + out);
        return Main.OK;
    }
}
