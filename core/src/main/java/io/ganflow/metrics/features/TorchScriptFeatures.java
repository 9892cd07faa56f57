package io.ganflow.metrics.features;

import io.ganflow.BadInputException;
import io.ganflow.engine.Engine;
import io.ganflow.engine.Ops;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TupleElements;
import org.bytedeco.pytorch.global.torch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Features from any TorchScript module (a file written by {@code torch.jit.trace(...).save(f)} or
 * {@code torch.jit.script(...).save(f)}), run by libtorch's JIT on the CPU in evaluation mode.
 *
 * <p>The module's {@code forward} takes one float32 tensor of images (n, C, H, W) in [-1, 1] and returns
 * either a tensor of features (n, ...) (flattened to (n, d)) or a tuple {@code (features, logits)} with
 * logits (n, K). Resizing, channel repetition and input normalisation belong inside the module: for the
 * standard Inception FID, wrap the Inception network so that it accepts [-1, 1] images (docs/metrics.md).
 *
 * <p>Config syntax: {@code eval.features=torchscript:FILE}, see {@link #parse(String)}. The id is the
 * SHA-256 of the file (lower-case hex), so results name exactly the weights that produced them.
 */
public final class TorchScriptFeatures extends BatchedFeatures {
    /** The scheme of the config value. */
    public static final String SCHEME = "torchscript:";

    private final Path file;
    private final String sha256;
    private final JitModule module;

    /** Loads a TorchScript file with the default batch. */
    public TorchScriptFeatures(Path file) {
        this(file, DEFAULT_BATCH);
    }

    /**
     * Loads a TorchScript file.
     *
     * @throws BadInputException naming the file when it is missing, unreadable or not TorchScript
     */
    public TorchScriptFeatures(Path file, int batchSize) {
        super(batchSize);
        Engine.ensureInitialised();
        this.file = file;
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(SCHEME + file + ": no such file");
        }
        this.sha256 = sha256(file);
        JitModule m;
        try {
            m = torch.load(file.toString());
        } catch (RuntimeException e) {
            throw new BadInputException(SCHEME + file + ": not a TorchScript module libtorch " + Engine.libtorchVersion()
                    + " can load (" + firstLine(e) + ")", e);
        }
        // the module lives as long as this object, not as long as the caller's native scope
        PointerScope scope = PointerScope.getInnerScope();
        if (scope != null) {
            m.retainReference();
            scope.detach(m);
        }
        m.eval();
        this.module = m;
    }

    /** {@link #parse(String, String)} for the key {@code eval.features}. */
    public static TorchScriptFeatures parse(String spec) {
        return parse("eval.features", spec);
    }

    /**
     * Parses {@code torchscript:FILE} (FILE relative to the working directory) and loads the file.
     *
     * @param key the config key, for messages
     * @throws BadInputException naming the key and the file for another syntax, a missing or an invalid file
     */
    public static TorchScriptFeatures parse(String key, String spec) {
        if (spec == null || !spec.startsWith(SCHEME) || spec.length() == SCHEME.length()) {
            throw new BadInputException(key + "=" + spec + " is not allowed; allowed: " + SCHEME + "FILE (a TorchScript"
                    + " module mapping images (n, C, H, W) in [-1, 1] to features, or to a tuple (features, logits))");
        }
        Path p = Path.of(spec.substring(SCHEME.length()));
        try {
            return new TorchScriptFeatures(p);
        } catch (BadInputException e) {
            throw new BadInputException(key + "=" + e.getMessage(), e.getCause());
        }
    }

    public Path file() {
        return file;
    }

    /** The SHA-256 of the TorchScript file, lower-case hex. */
    @Override
    public String id() {
        return sha256;
    }

    @Override
    public String description() {
        return "TorchScript " + file.getFileName() + " (sha256 " + sha256 + ")";
    }

    @Override
    protected Outputs forwardBatch(Tensor batch) {
        IValue out;
        try {
            out = module.forward(new IValueVector(new IValue(batch.cpu())));
        } catch (RuntimeException e) {
            throw new BadInputException(SCHEME + file + ": forward failed on images "
                    + java.util.Arrays.toString(Ops.shape(batch)) + " (" + lastLine(e) + ")", e);
        }
        if (out.isTensor()) {
            return new Outputs(out.toTensor(), Optional.empty());
        }
        if (out.isTuple()) {
            TupleElements t = out.toTuple().elements();
            if (t.size() >= 1 && t.size() <= 2 && t.get(0).isTensor() && (t.size() == 1 || t.get(1).isTensor())) {
                return new Outputs(t.get(0).toTensor(),
                        t.size() == 2 ? Optional.of(t.get(1).toTensor()) : Optional.empty());
            }
        }
        throw new BadInputException(SCHEME + file + ": forward returned " + out.tagKind().getString()
                + "; expected a tensor of features or a tuple (features, logits)");
    }

    /** The file's SHA-256, its errors naming the scheme ({@link ClassifierFile#fileSha256}). */
    static String sha256(Path file) {
        try {
            return ClassifierFile.fileSha256(file);
        } catch (BadInputException e) {
            throw new BadInputException(SCHEME + e.getMessage(), e.getCause());
        }
    }

    /** The interpreter's message ends with the error itself, after a trace of the TorchScript code. */
    private static String lastLine(Throwable e) {
        String[] lines = String.valueOf(e.getMessage()).strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage()).strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
