package io.ganflow.cli;

import io.ganflow.cli.process.ExitCodes;
import io.ganflow.BadInputException;
import io.ganflow.config.Config;
import io.ganflow.run.TrainedRun;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.train.Checkpoint;
import io.ganflow.train.Method;
import io.ganflow.train.SampleRequest;
import io.ganflow.train.Samples;
import io.ganflow.train.SamplingProcedure;
import io.ganflow.cli.report.ImageGrid;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.bytedeco.pytorch.Tensor;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ganflow sample}: draws samples from a trained run, in evaluation mode, into a file whose format the
 * name's ending picks: CSV (points, data units), a PNG grid, IDX or NumPy {@code .npy} (images as 8-bit pixels;
 * {@code --raw}: float32 in model space). Image runs refuse CSV.
 */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw samples from a trained run: CSV for points (data units); for images a PNG grid, IDX or"
                + " .npy (pixels 0..255).")
final class SampleCommand implements Callable<Integer> {
    @Option(names = "--run", paramLabel = "DIR", required = true, description = "the run directory")
    Path run;

    @Option(names = "--n", paramLabel = "N", description = "how many samples (default 1000; 64 for a PNG grid, at most 256)")
    Integer n;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "where to write them: FILE.csv (points),"
            + " FILE.png (images: a grid), FILE.idx or FILE.idx.gz (images: uint8 IDX), FILE.npy (NumPy: uint8 images"
            + " [n, C, H, W], float32 points [n, d])")
    Path out;

    @Option(names = "--raw", description = "with FILE.npy: float32 values in model space (images in [-1, 1]) instead of"
            + " pixels or data units")
    boolean raw;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of the latent draws (default 0)")
    long seed;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "a specific checkpoint (default: newest intact)")
    Path checkpoint;

    @Option(names = "--sampler", paramLabel = "NAME", description = "the sampling procedure, among those the run's method"
            + " offers (default: its first; flows: ode)")
    String sampler;

    @Option(names = "--class", paramLabel = "K[,K...]", split = ",", description = "a conditional run: the class of the"
            + " samples; with several, the samples go through them in turn")
    List<Long> classList;

    @Option(names = "--per-class", paramLabel = "N", description = "a conditional run: N samples of every class, in"
            + " class order (a PNG grid: one row per class); instead of --n")
    Integer perClass;

    @Option(names = "--option", paramLabel = "KEY=VALUE", description = "an option of the chosen sampler that has no"
            + " flag of its own (repeatable); --sampler's help in docs/ lists them")
    Map<String, String> samplerOptions = new LinkedHashMap<>();

    @Option(names = "--solver", paramLabel = "NAME", description = "flows: euler, heun, rk4 or dopri5 (default: the run's flow.solver)")
    String solver;

    @Option(names = "--nfe", paramLabel = "N", description = "flows, fixed-step solvers: function evaluations per sample"
            + " (steps = N / evaluations per step)")
    Integer nfe;

    @Option(names = "--atol", paramLabel = "A", description = "flows, dopri5: absolute tolerance (default: the run's flow.atol)")
    Double atol;

    @Option(names = "--rtol", paramLabel = "R", description = "flows, dopri5: relative tolerance (default: the run's flow.rtol)")
    Double rtol;

    @Override
    public Integer call() throws IOException {
        SampleFiles.Format format = SampleFiles.Format.of(out.getFileName().toString());
        if (perClass != null && (n != null || classList != null)) {
            throw new BadInputException("--per-class N gives N samples of every class; it goes without --n and --class");
        }
        if (perClass != null && perClass < 1) {
            throw new BadInputException("--per-class " + perClass + " is out of range (allowed: at least 1)");
        }
        int count = n != null ? n : format == SampleFiles.Format.PNG ? 64 : 1000;
        if (count < 1 || count > 10_000_000) {
            throw new BadInputException("--n " + count + " is out of range (allowed: 1 to 10000000)");
        }
        if (format == SampleFiles.Format.PNG && count > MAX_PNG) {
            throw new BadInputException("--n " + count + " is too many for a PNG grid (at most " + MAX_PNG + "); write"
                    + " FILE.idx or FILE.npy for more samples");
        }
        if (raw && format != SampleFiles.Format.NPY) {
            throw new BadInputException("--raw applies only to --out FILE.npy (float32 in model space)");
        }
        TrainedRun tr = checkpoint != null ? TrainedRun.openCheckpoint(checkpoint) : TrainedRun.open(run);
        Config c = tr.config();
        Dataset data = tr.data();
        Method method = tr.method();
        Checkpoint ckpt = tr.checkpoint();
        Optional<long[]> chw = ImageGrid.imageShape(data);
        boolean shaped = data.shape().length == 3;
        if (shaped && format == SampleFiles.Format.CSV) {
            throw new BadInputException("--out " + out + ": this run's samples are " + shapeText(chw.get())
                    + " images, which are not written as CSV; write FILE.png (a grid), FILE.idx (uint8 pixels, IDX)"
                    + " or FILE.npy (NumPy)");
        }
        if (chw.isEmpty() && (format == SampleFiles.Format.PNG || format == SampleFiles.Format.IDX)) {
            throw new BadInputException("--out " + out + ": " + (format == SampleFiles.Format.PNG ? "PNG grids" : "IDX files")
                    + " are for image runs; this run's samples are points of dimension " + data.dim()
                    + "; write FILE.csv or FILE.npy");
        }
        SampleRequest proto = SampleRequest.of(0, new Rng(seed)).withProcedure(sampler == null ? "" : sampler)
                .withOption("solver", solver).withOption("nfe", nfe).withOption("atol", atol).withOption("rtol", rtol);
        for (Map.Entry<String, String> e : samplerOptions.entrySet()) {
            proto = proto.withOption(e.getKey(), e.getValue());
        }
        long[] labels = null;
        if (classList != null || perClass != null) {
            int k = method.classes();
            if (k == 0) {
                throw new BadInputException((perClass != null ? "--per-class" : "--class") + " needs a conditional run;"
                        + " this run (method " + c.getString("method") + ", model.condition "
                        + c.getString("model.condition") + ") samples without a class");
            }
            if (perClass != null) {
                count = perClass * k;
                if (format == SampleFiles.Format.PNG && count > MAX_PNG) {
                    throw new BadInputException("--per-class " + perClass + " gives " + count + " images, too many for a"
                            + " PNG grid (at most " + MAX_PNG + ")");
                }
            }
            labels = new long[count];
            for (int i = 0; i < count; i++) {
                labels[i] = perClass != null ? i / perClass : classList.get(i % classList.size());
                if (labels[i] < 0 || labels[i] >= k) {
                    throw new BadInputException("--class " + labels[i] + " is not one of this run's classes; allowed: 0"
                            + " to " + (k - 1));
                }
            }
            proto = proto.withLabels(labels);
        }
        if (perClass != null) {
            gridColumns = perClass;
        }
        // refuse bad flags before any work
        SamplingProcedure used = proto.procedureIn(c.getString("method"), method.samplingProcedures(),
                method.classes() > 0);
        // images travel as pixels or floats per chunk; keep a chunk's floats to about 4 million values
        long per = 1;
        for (long d : chw.orElse(data.shape())) {
            per *= d;
        }
        int chunk = chw.isPresent() ? (int) Math.max(16, Math.min(10_000, 4_000_000 / per)) : 10_000;
        long nfeTotal = 0;
        int nfeMax = 0;
        String how = "";
        Path tmp = out.toAbsolutePath().resolveSibling(out.getFileName() + ".tmp");
        try (Writer w = writer(format, tmp, count, data, chw)) {
            Rng rng = new Rng(seed);
            for (int done = 0; done < count; done += chunk) {
                int m = Math.min(chunk, count - done);
                try (Scope s = Scope.open()) {
                    final int from = done;
                    SampleRequest r = new SampleRequest(m, rng, proto.labels().map(l -> java.util.Arrays.copyOfRange(l,
                            from, from + m)), proto.procedure(), proto.options(), false);
                    Samples drawn = ImageGrid.inEvalMode(method, () -> method.sample(r));
                    Tensor x = drawn.x();
                    nfeTotal += drawn.nfe();
                    nfeMax = Math.max(nfeMax, drawn.nfe());
                    how = drawn.description();
                    w.write(x, m);
                }
            }
            w.finish();
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw CliFiles.cannotWrite("--out", out, e);
        } catch (RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw CliFiles.cannotWrite("--out", out, e);
        }
        System.out.println("wrote " + count + " samples from step " + ckpt.step() + " to " + out + describe(format, count,
                chw));
        if (used != SamplingProcedure.ONE_STEP) {
            System.out.println("solver: " + how + ", NFE " + nfeMax + (nfeMax > 1 ? " per batch of up to " + chunk
                    + " samples" + (nfeTotal != nfeMax ? " (" + nfeTotal + " over all batches)" : "") : ""));
        }
        return ExitCodes.OK;
    }

    /** Most images in one PNG grid (16 × 16). */
    static final int MAX_PNG = 256;

    private String describe(SampleFiles.Format f, int count, Optional<long[]> chw) {
        switch (f) {
            case PNG:
                int cols = gridColumns > 0 ? gridColumns : ImageGrid.columns(count);
                return " (a grid of " + cols + " x " + ((count + cols - 1) / cols) + ")";
            case IDX:
                return " (IDX, uint8 " + idxShape(count, chw.get()) + ")";
            case NPY:
                return " (NumPy, " + (raw ? "float32 in model space" : chw.isPresent() ? "uint8" : "float32") + " "
                        + java.util.Arrays.toString(npyShape(count, chw, dim)) + ")";
            default:
                return "";
        }
    }

    private static String shapeText(long[] s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length; i++) {
            b.append(i == 0 ? "" : " x ").append(s[i]);
        }
        return b.toString();
    }

    private static String idxShape(int count, long[] chw) {
        return chw[0] == 1 ? "[" + count + ", " + chw[1] + ", " + chw[2] + "]"
                : "[" + count + ", " + chw[0] + ", " + chw[1] + ", " + chw[2] + "]";
    }

    /** [n, C, H, W] for images (grey too), [n, d] for points. */
    private static long[] npyShape(int count, Optional<long[]> chw, int dim) {
        if (chw.isPresent()) {
            long[] s = chw.get();
            return new long[] {count, s[0], s[1], s[2]};
        }
        return new long[] {count, dim};
    }

    /** Columns of a PNG grid of --per-class samples (one row per class); 0: the square default. */
    private int gridColumns;

    /** Values per point sample (the data's dimension), set by {@link #writer}. */
    private int dim;

    /** Receives the samples chunk by chunk (model space), then finishes the file. */
    private interface Writer extends java.io.Closeable {
        void write(Tensor modelSpace, int m) throws IOException;

        default void finish() throws IOException {}
    }

    private Writer writer(SampleFiles.Format format, Path file, int count, Dataset data, Optional<long[]> chw)
            throws IOException {
        dim = data.dim();
        switch (format) {
            case PNG: {
                long[] s = chw.get();
                byte[] all = new byte[(int) (count * s[0] * s[1] * s[2])];
                int[] at = {0};
                return new Writer() {
                    @Override
                    public void write(Tensor x, int m) {
                        ImageGrid.Pixels p = ImageGrid.pixels(data.standardizer().toData(x), s);
                        System.arraycopy(p.data(), 0, all, at[0], p.data().length);
                        at[0] += p.data().length;
                    }

                    @Override
                    public void finish() throws IOException {
                        ImageGrid.Pixels p = new ImageGrid.Pixels(count, (int) s[0], (int) s[1], (int) s[2], all);
                        Files.write(file, gridColumns > 0 ? ImageGrid.png(ImageGrid.render(p, gridColumns)) : ImageGrid.png(p));
                    }

                    @Override
                    public void close() {}
                };
            }
            case IDX: {
                long[] s = chw.get();
                OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                if (out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gz")) {
                    os = new GZIPOutputStream(os, 1 << 16);
                }
                OutputStream o = os;
                o.write(s[0] == 1 ? SampleFiles.idxHeader(count, (int) s[1], (int) s[2])
                        : SampleFiles.idxHeader(count, (int) s[0], (int) s[1], (int) s[2]));
                return new Writer() {
                    @Override
                    public void write(Tensor x, int m) throws IOException {
                        o.write(ImageGrid.pixels(data.standardizer().toData(x), s).data());
                    }

                    @Override
                    public void close() throws IOException {
                        o.close();
                    }
                };
            }
            case NPY: {
                OutputStream o = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                boolean bytes = chw.isPresent() && !raw;
                o.write(SampleFiles.npyHeader(bytes ? "|u1" : "<f4", npyShape(count, chw, dim)));
                return new Writer() {
                    @Override
                    public void write(Tensor x, int m) throws IOException {
                        if (bytes) {
                            o.write(ImageGrid.pixels(data.standardizer().toData(x), chw.get()).data());
                        } else {
                            SampleFiles.writeFloats(o, Ops.toFloats(raw ? x : data.standardizer().toData(x)));
                        }
                    }

                    @Override
                    public void close() throws IOException {
                        o.close();
                    }
                };
            }
            default: {
                BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                int d = data.dim();
                StringBuilder header = new StringBuilder();
                for (int j = 0; j < d; j++) {
                    header.append(j == 0 ? "" : ",").append("x").append(j + 1);
                }
                w.write(header.toString());
                w.newLine();
                return new Writer() {
                    @Override
                    public void write(Tensor x, int m) throws IOException {
                        float[] v = Ops.toFloats(data.standardizer().toData(x));
                        StringBuilder b = new StringBuilder();
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < d; j++) {
                                b.append(j == 0 ? "" : ",").append(v[i * d + j]);
                            }
                            b.append('\n');
                        }
                        w.write(b.toString());
                    }

                    @Override
                    public void close() throws IOException {
                        w.close();
                    }
                };
            }
        }
    }
}
