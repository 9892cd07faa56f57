package io.ganflow.metrics.features;

import io.ganflow.BadInputException;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.io.SafeTensor;
import io.ganflow.io.Safetensors;
import io.ganflow.io.SafetensorsFile;
import io.ganflow.metrics.features.DomainClassifier.Architecture;
import io.ganflow.nn.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The file format of a {@link DomainClassifier}. Files are safetensors ({@link #save}) with the architecture, the
 * training protocol, the test accuracy and the SHA-256 of the weights in the metadata; {@link #load} refuses a
 * file whose weights do not hash to the recorded value.
 */
public final class ClassifierFile {
    /** The value of the metadata entry {@code format} of a classifier file. */
    public static final String FORMAT = "ganflow-classifier/1";

    /** A classifier read from a file, with the file's metadata and SHA-256. */
    public record Loaded(DomainClassifier classifier, Path file, Map<String, String> metadata, String fileSha256) {}

    private ClassifierFile() {}

    /**
     * Writes the weights as float32 safetensors (names {@code conv1.weight}, ..., {@code fc2.bias}, those of the
     * PyTorch module in {@code bench/peers/fid.py}) with the architecture, {@code weights_sha256} and the given
     * entries in the metadata, atomically.
     *
     * @return the SHA-256 of the file written
     */
    public static String save(DomainClassifier c, Path file, Map<String, String> extraMetadata) throws IOException {
        Map<String, SafeTensor> tensors = new TreeMap<>();
        try (Scope s = Scope.open()) {
            for (Parameter p : tensorsToSave(c)) {
                tensors.put(p.name(), SafeTensor.ofFloats(Ops.toFloats(p.value()), Ops.shape(p.value())));
            }
        }
        Map<String, String> meta = new TreeMap<>(extraMetadata);
        meta.put("format", FORMAT);
        meta.putAll(c.architecture().metadata());
        meta.put("weights_sha256", c.weightsSha256());
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Safetensors.write(file, tensors, meta);
        return fileSha256(file);
    }

    /**
     * Reads a classifier file written by {@link #save}.
     *
     * @throws BadInputException naming the file when it is missing, not a classifier file, lacks or mis-shapes a
     *     tensor, or its weights do not hash to the recorded {@code weights_sha256} (a damaged file)
     */
    public static Loaded load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": no such classifier file");
        }
        SafetensorsFile f = Safetensors.read(file);
        Map<String, String> meta = f.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new BadInputException(file + ": not a ganflow classifier file (metadata format is "
                    + (meta.containsKey("format") ? "'" + meta.get("format") + "'" : "missing") + ", expected '" + FORMAT
                    + "')");
        }
        Architecture a = Architecture.fromMetadata(meta, file);
        DomainClassifier net = new DomainClassifier(a, new Rng(0));
        net.train(false);
        List<Parameter> all = tensorsToSave(net);
        if (f.tensors().size() != all.size()) {
            throw new BadInputException(file + ": holds " + f.tensors().size() + " tensors, the classifier has "
                    + all.size());
        }
        Ops.noGrad(() -> {
            for (Parameter p : all) {
                SafeTensor t = f.tensor(p.name());
                if (!Arrays.equals(t.shape(), Ops.shape(p.value()))) {
                    throw new BadInputException(file + ": tensor '" + p.name() + "' has shape " + Arrays.toString(t.shape())
                            + ", expected " + Arrays.toString(Ops.shape(p.value())));
                }
                try (Scope s = Scope.open()) {
                    p.value().copy_(Ops.fromFloats(t.floats(), t.shape()));
                }
            }
        });
        String recorded = meta.get("weights_sha256");
        String actual = net.weightsSha256();
        if (!actual.equals(recorded)) {
            throw new BadInputException(file + ": damaged: its weights hash to sha256 " + actual + ", the file records "
                    + recorded);
        }
        return new Loaded(net, file, meta, fileSha256(file));
    }

    /** Parameters, then buffers (batch norm's running statistics). */
    private static List<Parameter> tensorsToSave(DomainClassifier c) {
        List<Parameter> all = new java.util.ArrayList<>(c.parameters());
        all.addAll(c.buffers());
        return all;
    }

    /** The SHA-256 of a file, lower-case hex. */
    public static String fileSha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0;) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
