package io.ganflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganflow.train.Checkpoint;
import io.ganflow.train.CheckpointIO;
import io.ganflow.nn.StateDict;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue: CLI flags, config keys, YAML, CSV, IDX and checkpoints that a user can get
 * wrong. Every case must end with exit code 2 and exactly one line on stderr that names the file or key,
 * with no stack trace, and must leave nothing behind: no run directory, no output file, no change to a
 * run it was pointed at. A case that fails here is a bug in ganflow, not in the case.
 */
class BadInputCatalogueTest {
    @TempDir
    static Path shared;

    /** A trained tiny run (20 steps, one checkpoint), copied into the cases that need one. */
    static Path fixture;
    static Path fixtureCheckpoint;

    /** What one case runs: the arguments, and a fragment its error line must contain. */
    record Invocation(String expected, String... args) {}

    @FunctionalInterface
    interface Spec {
        Invocation make(Path dir) throws Exception;
    }

    @BeforeAll
    static void trainFixture() {
        fixture = shared.resolve("fixture");
        CliTestSupport.Result r = CliTestSupport.run(CliTestSupport.tiny("train", "--steps", "20", "--out",
                fixture.toString(), "--no-plots"));
        assertEquals(0, r.code(), r.err());
        fixtureCheckpoint = fixture.resolve("checkpoints/step-000000020.gfck");
        assertTrue(Files.exists(fixtureCheckpoint));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void isRefusedInOneLineWithExitCode2(String name, Spec spec) throws Exception {
        Path dir = Files.createDirectory(shared.resolve("case-" + name.replaceAll("[^A-Za-z0-9]+", "-")));
        Invocation inv = spec.make(dir);
        Map<String, Long> before = listing(dir);
        Map<String, Long> fixtureBefore = listing(fixture);
        CliTestSupport.Result r = CliTestSupport.run(inv.args());
        String err = r.err().strip();
        assertEquals(2, r.code(), "exit code; stderr was: " + r.err());
        assertEquals(1, err.lines().count(), "exactly one line on stderr: " + err);
        assertTrue(err.startsWith("ganflow: "), err);
        assertTrue(err.contains(inv.expected()), "expected '" + inv.expected() + "' in: " + err);
        assertFalse(err.contains("at io.ganflow") || err.contains("\tat ") || err.contains("Exception"),
                "no stack trace or exception name: " + err);
        assertEquals(before, listing(dir), "nothing may be left behind or changed");
        assertEquals(fixtureBefore, listing(fixture), "the fixture run is untouched");
    }

    @Test
    void theCatalogueIsLarge() {
        assertTrue(cases().count() >= 60, "at least 60 cases, has " + cases().count());
    }

    // ---- the cases ---------------------------------------------------------------------------------

    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        // CLI flags of train
        c.add(train("unknown preset", "unknown preset 'ring9'", "--preset", "ring9"));
        c.add(train("zero steps", "train.steps=0 (from --steps)", "--steps", "0"));
        c.add(train("negative steps", "train.steps=-5 (from --steps)", "--steps", "-5"));
        c.add(train("steps not a number", "'--steps'", "--steps", "ten"));
        c.add(train("seed not a number", "'--seed'", "--seed", "x1"));
        c.add(train("zero processes", "--nproc 0", "--nproc", "0"));
        c.add(train("batch not divisible by the processes", "train.batch 256 does not split evenly over --nproc 3",
                "--nproc", "3", "--set", "train.batch=256"));
        c.add(train("nproc with a rank", "--nproc 2 launches its own workers", "--nproc", "2", "--rank", "0"));
        c.add(train("rank without world size", "needs --rank R, --world-size W", "--rank", "0", "--master",
                "localhost:29500"));
        c.add(train("rank out of range", "--rank 2: give a rank in [0, 1]", "--rank", "2", "--world-size", "2",
                "--master", "localhost:29500"));
        c.add(train("master without port", "--master localhost: expected HOST:PORT", "--rank", "0", "--world-size",
                "1", "--master", "localhost"));
        c.add(train("master port out of range", "the port must be an integer in [1, 65535]", "--rank", "0",
                "--world-size", "1", "--master", "localhost:70000"));
        c.add(train("rendezvous not a file", "--rendezvous localhost:29500: give file:PATH", "--rank", "0",
                "--world-size", "1", "--rendezvous", "localhost:29500"));
        c.add(train("negative threads", "train.threads=-1 (from --threads)", "--threads", "-1"));
        c.add(train("threads above the key's range", "train.threads=5000 (from --threads)", "--threads", "5000"));
        c.add(train("unknown flag", "Unknown options: '--stepz'", "--stepz", "3"));
        c.add(train("--set without =", "--set gan.n_critic: expected key=value", "--set", "gan.n_critic"));
        c.add(train("--set without key", "--set =5: expected key=value", "--set", "=5"));
        c.add(train("unknown key", "unknown config key 'gan.n_critc' (from --set)", "--set", "gan.n_critc=3"));
        c.add(train("integer key zero", "gan.n_critic=0 (from --set)", "--set", "gan.n_critic=0"));
        c.add(train("integer key fraction", "gan.n_critic=1.5 (from --set) must be a whole number", "--set",
                "gan.n_critic=1.5"));
        c.add(train("int key beyond int", "train.batch=99999999999 (from --set)", "--set", "train.batch=99999999999"));
        c.add(train("lr nan", "opt.d.lr=nan (from --set)", "--set", "opt.d.lr=nan"));
        c.add(train("lr NaN", "opt.d.lr=NaN (from --set) must be a finite number", "--set", "opt.d.lr=NaN"));
        c.add(train("lr Infinity", "opt.g.lr=Infinity (from --set) must be a finite number", "--set", "opt.g.lr=Infinity"));
        c.add(train("lr overflowing", "opt.g.lr=1e400 (from --set) must be a finite number", "--set", "opt.g.lr=1e400"));
        c.add(train("lr negative", "opt.d.lr=-1e-4 (from --set) is out of range", "--set", "opt.d.lr=-1e-4"));
        c.add(train("boolean yes", "data.standardize=yes (from --set) is not allowed; allowed: true, false", "--set",
                "data.standardize=yes"));
        c.add(train("boolean 1", "opt.d.nesterov=1 (from --set) is not allowed; allowed: true, false", "--set",
                "opt.d.nesterov=1"));
        c.add(train("unknown objective", "gan.objective=hinged (from --set) is not allowed", "--set", "gan.objective=hinged"));
        c.add(train("unknown dataset", "data.name=imagenet (from --set) is not allowed", "--set", "data.name=imagenet"));
        c.add(train("unknown method", "method=vae (from --set) is not allowed", "--set", "method=vae"));
        c.add(train("unknown activation", "model.g.activation=swish2 (from --set) is not allowed", "--set",
                "model.g.activation=swish2"));
        c.add(train("unknown device", "train.device=tpu (from --set) is not allowed", "--set", "train.device=tpu"));
        c.add(train("unknown precision", "train.precision=fp16 (from --set) is not allowed; allowed: fp32, bf16, auto",
                "--set", "train.precision=fp16"));
        c.add(c("bench precision", d -> new Invocation("--precision fp16 is not allowed; allowed: fp32, bf16", "bench",
                "--precision", "fp16", "--no-peer")));
        c.add(c("bench bf16 of a suite without a training step", d -> new Invocation("--precision bf16 times the"
                + " training steps only (wgan-gp, dcgan, conv-gp, unet, ddpm, all), not --suite transport", "bench",
                "--precision", "bf16", "--suite", "transport", "--no-peer")));
        c.add(train("holdout above range", "data.holdout=0.95 (from --set) is out of range", "--set", "data.holdout=0.95"));
        c.add(train("w1 samples below range", "train.w1_samples=1 (from --set) is out of range", "--set",
                "train.w1_samples=1"));
        c.add(train("spectral norm layer", "model.d.spectral_norm=7 is not allowed", "--set", "model.d.spectral_norm=7"));
        c.add(train("odd time embedding", "model.v.time_dim=15 is not allowed", "--preset", "ring8-rf", "--set",
                "model.v.time_dim=15"));
        c.add(train("label smoothing on wasserstein", "gan.real_label=0.9 (label smoothing) needs a classifier objective",
                "--set", "gan.real_label=0.9"));
        c.add(train("feature matching layer", "gan.feature_matching.layer=10 is not a hidden layer", "--set",
                "gan.feature_matching.weight=1", "--set", "gan.feature_matching.layer=10"));
        c.add(train("minibatch discrimination without hidden layer", "model.d.minibatch.kernels=4 needs a critic",
                "--set", "model.d.minibatch.kernels=4", "--set", "model.d.depth=0"));
        c.add(train("too few steps for reflow stages", "train.steps=2 is too small for 3 flow stages", "--preset",
                "ring8-reflow", "--steps", "2"));
        c.add(train("idx label without labels file", "data.label=3 needs data.labels", d -> {
            Path p = write(d, "i.idx", idx(0x08, new int[] {4, 2}, new byte[8]));
            return new String[] {"--set", "data.name=idx", "--set", "data.path=" + p, "--set", "data.label=3"};
        }));
        c.add(c("--out is a file", d -> {
            Path f = Files.writeString(d.resolve("f"), "x");
            return new Invocation("--out " + f + ": exists and is not a directory", trainArgs(f, "--steps", "5"));
        }));
        c.add(c("--out is not empty", d -> {
            Path o = Files.createDirectory(d.resolve("o"));
            Files.writeString(o.resolve("notes.txt"), "mine");
            return new Invocation("--out " + o + ": directory exists and is not empty", trainArgs(o, "--steps", "5"));
        }));
        c.add(c("--out under a file", d -> {
            Path f = Files.writeString(d.resolve("f"), "x");
            return new Invocation("--out " + f.resolve("run") + ": cannot create directory: " + f + " is not a directory",
                    trainArgs(f.resolve("run"), "--steps", "5"));
        }));
        c.add(c("--out locked by another writer", d -> {
            Path o = copyFixture(d, "run");
            // this test's thread holds the lock; the command's own lock scope does not release it
            io.ganflow.train.RunDirectory.openForWriting(o);
            return new Invocation("the run directory is in use by another ganflow process (PID "
                    + ProcessHandle.current().pid(), "train", "--resume", o.toString(), "--steps", "30");
        }));
        c.add(c("--resume with --preset", d -> new Invocation("--resume " + copyFixture(d, "run")
                + " continues a run with its own config", "train", "--resume", d.resolve("run").toString(), "--preset",
                "ring8-gan")));
        c.add(c("--resume below the checkpoint's step", d -> new Invocation("--steps 10 is below the checkpoint's step 20",
                "train", "--resume", copyFixture(d, "run").toString(), "--steps", "10")));
        c.add(c("--resume of a missing run", d -> new Invocation(d.resolve("none") + ": not a run directory",
                "train", "--resume", d.resolve("none").toString())));

        // conditional settings
        c.add(c("conditional batch norm on an mlp generator", d -> new Invocation("model.g.condition=batchnorm needs a"
                + " generator with batch norm; allowed: model.g.kind=dcgan or resnet, not mlp", trainArgs(d.resolve("o"),
                "--preset", "ring8-cgan", "--set", "model.g.condition=batchnorm"))));
        c.add(c("unknown critic conditioning", d -> new Invocation("model.d.condition=film (from --set) is not allowed; allowed:"
                + " concat, projection, acgan", trainArgs(d.resolve("o"), "--preset", "ring8-cgan", "--set",
                "model.d.condition=film"))));
        c.add(c("conditional ddpm by concatenation", d -> new Invocation("model.condition=concat is for method=gan;"
                + " method=ddpm takes embed", trainArgs(d.resolve("o"), "--preset", "ring8-ddpm", "--set",
                "model.condition=concat"))));
        c.add(c("a conditional critic exported", d -> new Invocation("weights export supports conditional generators"
                + " (one-hot or embedding beside z, conditional batch norm) but not ProjectionCritic", "export", "--run",
                conditionalRun(d).toString(), "--what", "critic", "--out", d.resolve("c.safetensors").toString())));

        // YAML config files
        c.add(yaml("missing config", null, d -> "--config " + d.resolve("c.yaml") + ": file not found"));
        c.add(c("config is a directory", d -> new Invocation("--config " + d + ": is a directory",
                trainArgs(d.resolve("out"), "--config", d.toString()))));
        c.add(yaml("yaml syntax", "train:\n  steps: [1, 2\n", d -> "--config " + d.resolve("c.yaml") + ": not valid YAML at line"));
        c.add(yaml("yaml tab indentation", "train:\n\tsteps: 5\n", d -> "--config " + d.resolve("c.yaml") + ": not valid YAML"));
        c.add(yaml("yaml duplicate key", "train:\n  steps: 20\n  steps: 30\n",
                d -> "line 3: key 'train.steps' is given twice (first at line 2)"));
        c.add(yaml("yaml dotted and nested duplicate", "train.steps: 20\ntrain:\n  steps: 30\n",
                d -> "line 3: key 'train.steps' is given twice (first at line 1)"));
        c.add(yaml("yaml list value", "train:\n  steps: [1, 2]\n", d -> "key 'train.steps' holds a list"));
        c.add(yaml("yaml empty value", "preset: ring8-gan\ntrain.steps:\n", d -> "key 'train.steps' has no value"));
        c.add(yaml("yaml top-level list", "- a\n- b\n", d -> "expected a mapping of keys to values at the top level"));
        c.add(yaml("yaml two documents", "train.steps: 5\n---\ntrain.seed: 1\n", d -> "holds more than one YAML document"));
        c.add(yaml("yaml unknown key", "train:\n  stepz: 100\n", d -> "unknown config key 'train.stepz' (from "
                + d.resolve("c.yaml") + "); did you mean 'train.steps'?"));
        c.add(yaml("yaml bad value", "gan:\n  n_critic: many\n", d -> "gan.n_critic=many (from " + d.resolve("c.yaml")
                + ") must be a whole number"));
        c.add(yaml("yaml boolean yes", "preset: ring8-gan\ndata:\n  standardize: yes\n",
                d -> "data.standardize=yes (from " + d.resolve("c.yaml") + ") is not allowed; allowed: true, false"));
        c.add(yaml("yaml unknown preset", "preset: ring9\n", d -> "unknown preset 'ring9'"));
        c.add(yaml("yaml alias to a mapping", "base: &b\n  steps: 5\ntrain: *b\n", d -> "unknown config key 'base.steps'"
                + " (from " + d.resolve("c.yaml") + ")"));
        c.add(c("yaml preset conflicts with --preset", d -> {
            Path y = Files.writeString(d.resolve("c.yaml"), "preset: ring8-gan\n");
            return new Invocation("--preset ring8-nsgan conflicts with 'preset: ring8-gan' in " + y,
                    trainArgs(d.resolve("out"), "--preset", "ring8-nsgan", "--config", y.toString()));
        }));
        c.add(c("yaml binary file", d -> {
            Path y = write(d, "c.yaml", new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80});
            return new Invocation("--config " + y + ": not UTF-8 text", trainArgs(d.resolve("out"), "--config", y.toString()));
        }));

        // CSV data
        c.add(csv("csv missing", null, (d, p) -> p + ": file not found"));
        c.add(csv("csv empty", "", (d, p) -> p + ": the file is empty"));
        c.add(csv("csv header only", "a,b\n", (d, p) -> p + ": no data rows (only a header line)"));
        c.add(csv("csv one row", "a,b\n1,2\n", (d, p) -> p + ": has 1 data row; training needs at least 2"));
        c.add(csv("csv ragged", "a,b\n1,2\n3\n", (d, p) -> p + ":3: ragged row: 1 cells, expected 2"));
        c.add(csv("csv text cell", "a,b\n1,2\n3,red\n", (d, p) -> p + ":3:2: column 'b': 'red' is not a number"));
        c.add(csv("csv empty cell", "a,b\n1,2\n3,\n", (d, p) -> p + ":3:2: column 'b': empty cell"));
        c.add(csv("csv nan", "a,b\n1,2\n3,nan\n", (d, p) -> p + ":3:2: column 'b': 'nan' is not finite"));
        c.add(csv("csv infinity", "1,2\n-Infinity,4\n", (d, p) -> p + ":2:1: '-Infinity' is not finite"));
        c.add(csv("csv overflowing double", "a,b\n1,2\n1e400,3\n", (d, p) -> p + ":3:1: column 'a': '1e400' overflows a double"));
        c.add(csv("csv value near 1e300", "a,b\n1,2\n3,9.4e299\n", (d, p) -> p + ":3:2: column 'b': value 9.4e299 is too"
                + " large; allowed: |x| < 1e30"));
        c.add(csv("csv empty column name", "a,,c\n1,2,3\n4,5,6\n", (d, p) -> p + ":1:2: empty column name"));
        c.add(c("csv unstandardised beyond 1e9", d -> {
            Path p = Files.writeString(d.resolve("d.csv"), "a,b\n1,2\n3e12,4\n5,6\n7,8\n");
            return new Invocation("csv:d.csv: values reach 3.00e+12 in model space (data.standardize=false)",
                    trainArgs(d.resolve("out"), "--set", "data.name=csv", "--set", "data.path=" + p, "--set",
                            "data.standardize=false"));
        }));
        c.add(c("csv binary", d -> {
            Path p = write(d, "d.csv", new byte[] {(byte) 0xc3, (byte) 0x28, 10, 1, 2});
            return new Invocation(p + ": not UTF-8 text", trainArgs(d.resolve("out"), "--set", "data.name=csv", "--set",
                    "data.path=" + p));
        }));
        c.add(c("csv path is a directory", d -> new Invocation(d + ": is a directory, expected a CSV file",
                trainArgs(d.resolve("out"), "--set", "data.name=csv", "--set", "data.path=" + d))));
        c.add(train("csv without path", "data.path is empty, but data.name=csv needs a CSV file", "--set", "data.name=csv"));

        // IDX data
        c.add(idxCase("idx missing", null, (d, p) -> p + ": file not found"));
        c.add(idxCase("idx wrong magic", new byte[] {0, 7, 3, 1, 0, 0, 0, 1, 9}, (d, p) -> p + ": wrong IDX magic 0x00070301"));
        c.add(idxCase("idx truncated header", new byte[] {0, 0, 8, 3, 0, 0}, (d, p) -> p + ": truncated: the file ends"
                + " before the header is complete"));
        c.add(idxCase("idx truncated data", idx(0x08, new int[] {3, 2}, new byte[4]), (d, p) -> p + ": truncated: the"
                + " header announces 3x2 = 6 values, the file holds 4"));
        c.add(idxCase("idx trailing bytes", idx(0x08, new int[] {2, 2}, new byte[7]), (d, p) -> p + ": 3 trailing bytes"));
        c.add(idxCase("idx corrupt gzip", new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7}, (d, p) -> p + ": "));
        c.add(idxCase("idx header announcing 2^31 values", idx(0x08, new int[] {Integer.MAX_VALUE - 8}, new byte[4]),
                (d, p) -> p + ": truncated: the header announces 2147483639"));
        c.add(idxCase("idx gzip header announcing 2^31 values", gzip(idx(0x08, new int[] {Integer.MAX_VALUE - 8},
                new byte[4])), (d, p) -> p + ": truncated"));
        c.add(idxCase("idx dimensions overflowing", idx(0x08, new int[] {65536, 65536, 65536, 65536, 65536}, new byte[0]),
                (d, p) -> p + ": header announces more than 2^63 values"));
        c.add(idxCase("idx zero dimension", idx(0x08, new int[] {5, 0}, new byte[0]), (d, p) -> p + ": dimension 2 is 0"));
        // data.name=idx reads images (unsigned bytes, N x H x W or N x C x H x W); the float reader's value checks
        // are tested in IdxReaderTest and the property tests.
        c.add(idxCase("idx of floats", idx(0x0D, new int[] {2, 1}, floats(1f, Float.NaN)), (d, p) -> p + ": IDX element"
                + " type 0x0D; expected unsigned bytes (0x08)"));
        c.add(idxCase("idx of doubles", idx(0x0E, new int[] {2, 1}, doubles(1, 1e300)), (d, p) -> p + ": IDX element"
                + " type 0x0E; expected unsigned bytes (0x08)"));
        c.add(idxCase("idx of vectors", idx(0x08, new int[] {1, 4}, new byte[4]), (d, p) -> p + ": holds a 2-D array"
                + " 1 x 4; images are 3-D"));
        c.add(c("idx labels of another length", d -> {
            Path p = write(d, "i.idx", idx(0x08, new int[] {4, 2, 1}, new byte[8]));
            Path l = write(d, "l.idx", idx(0x08, new int[] {3}, new byte[3]));
            return new Invocation(l + ": holds 3 labels, but " + p, trainArgs(d.resolve("out"),
                    "--set", "data.name=idx", "--set", "data.path=" + p, "--set", "data.label=1", "--set",
                    "data.labels=" + l));
        }));

        // checkpoints
        c.add(checkpoint("checkpoint of garbage", d -> write(d, "g.gfck", "hello, this is not a checkpoint at all; really"
                .getBytes(StandardCharsets.UTF_8)), "not a ganflow checkpoint"));
        c.add(checkpoint("checkpoint empty", d -> write(d, "e.gfck", new byte[0]), "not a ganflow checkpoint"));
        c.add(checkpoint("checkpoint truncated", d -> {
            byte[] b = Files.readAllBytes(fixtureCheckpoint);
            return write(d, "t.gfck", Arrays.copyOf(b, b.length / 2));
        }, "checkpoint is corrupt (SHA-256 mismatch)"));
        c.add(checkpoint("checkpoint bit flip", d -> {
            byte[] b = Files.readAllBytes(fixtureCheckpoint);
            b[b.length / 3] ^= 0x04;
            return write(d, "f.gfck", b);
        }, "checkpoint is corrupt (SHA-256 mismatch)"));
        c.add(checkpoint("checkpoint missing", d -> d.resolve("none.gfck"), "checkpoint not found"));
        c.add(checkpoint("checkpoint is a directory", d -> Files.createDirectory(d.resolve("x.gfck")), "not a regular file"));
        c.add(checkpoint("checkpoint of another format", d -> signed(d, "v2.gfck", 2, header(fixtureHeader()), new byte[0]),
                "checkpoint format 2, this ganflow reads 1"));
        c.add(checkpoint("checkpoint header not an object", d -> signed(d, "h.gfck", 1, "[1,2,3]", new byte[0]),
                "checkpoint header is not a JSON object"));
        c.add(checkpoint("checkpoint header without tensors", d -> {
            Map<String, Object> h = fixtureHeader();
            h.remove("tensors");
            return signed(d, "n.gfck", 1, header(h), new byte[0]);
        }, "checkpoint header lacks 'tensors'"));
        c.add(checkpoint("checkpoint header of wrong types", d -> {
            Map<String, Object> h = fixtureHeader();
            h.put("values", Map.of("opt.g.step", Map.of("type", "long", "value", "seven")));
            return signed(d, "w.gfck", 1, header(h), new byte[0]);
        }, "checkpoint header is malformed"));
        c.add(checkpoint("checkpoint tensor outside the data", d -> {
            Map<String, Object> h = fixtureHeader();
            h.put("tensors", List.of(Map.of("name", "g.w", "shape", List.of(4), "offset", 1L << 40, "count", 4)));
            return signed(d, "o.gfck", 1, header(h), new byte[16]);
        }, "tensor g.w lies outside the data section"));
        c.add(checkpoint("checkpoint without config", d -> resigned(d, "nc.gfck", meta -> meta.remove("config"), null),
                "checkpoint carries no config"));
        c.add(checkpoint("checkpoint with an unknown config key", d -> resigned(d, "uk.gfck",
                meta -> config(meta).put("gan.n_critc", "3"), null), "unknown config key 'gan.n_critc' (from checkpoint)"));
        c.add(checkpoint("checkpoint that does not match its config", d -> resigned(d, "mm.gfck",
                meta -> config(meta).put("model.g.width", "48"), null), "the checkpoint does not match the model"));
        c.add(checkpoint("checkpoint lacking a tensor", d -> resigned(d, "lt.gfck", null, "g."),
                "checkpoint lacks [g."));
        c.add(c("run whose checkpoints are all corrupt", d -> {
            Path run = copyFixture(d, "run");
            Path ck = run.resolve("checkpoints/step-000000020.gfck");
            for (Path f : checkpointFiles(run)) { // the step-0 checkpoint too
                byte[] b = Files.readAllBytes(f);
                b[100] ^= 1;
                Files.write(f, b);
            }
            return new Invocation(run.resolve("checkpoints") + ": no intact checkpoint: " + ck, "sample", "--run",
                    run.toString(), "--out", d.resolve("s.csv").toString());
        }));
        c.add(c("resume of a run whose checkpoints are all corrupt", d -> {
            Path run = copyFixture(d, "run");
            for (Path f : checkpointFiles(run)) {
                Files.write(f, new byte[60]);
            }
            return new Invocation("no intact checkpoint", "train", "--resume", run.toString(), "--steps", "40");
        }));
        c.add(c("run without checkpoints", d -> {
            Path run = copyFixture(d, "run");
            for (Path f : checkpointFiles(run)) {
                Files.delete(f);
            }
            return new Invocation(run + ": no intact checkpoint", "sample", "--run", run.toString(), "--out",
                    d.resolve("s.csv").toString());
        }));
        c.add(c("run directory without checkpoints/", d -> {
            Path run = Files.createDirectory(d.resolve("run"));
            return new Invocation(run + ": not a run directory (no checkpoints/ inside)", "sample", "--run", run.toString(),
                    "--out", d.resolve("s.csv").toString());
        }));

        // sample and eval
        c.add(c("sample --n 0", d -> new Invocation("--n 0 is out of range", "sample", "--run", fixture.toString(), "--n",
                "0", "--out", d.resolve("s.csv").toString())));
        c.add(c("sample into a missing folder", d -> new Invocation("--out " + d.resolve("no/s.csv") + ": cannot write: No"
                + " such file or directory", "sample", "--run", fixture.toString(), "--n", "5", "--out",
                d.resolve("no/s.csv").toString())));
        c.add(c("sample --solver on a GAN run", d -> new Invocation("--solver applies to no sampler of method gan; one-step takes no options",
                "sample", "--run", fixture.toString(), "--solver", "heun", "--out", d.resolve("s.csv").toString())));
        c.add(c("sample --n not a number", d -> new Invocation("'--n'", "sample", "--run", fixture.toString(), "--n",
                "lots", "--out", d.resolve("s.csv").toString())));
        c.add(c("eval without a source", d -> new Invocation("give either --run DIR", "eval", "--out",
                d.resolve("e.json").toString())));
        c.add(c("eval --n too small", d -> new Invocation("--n 5 is out of range", "eval", "--run", fixture.toString(),
                "--n", "5", "--out", d.resolve("e.json").toString())));
        c.add(c("eval unknown metric", d -> new Invocation("--metrics w1,bogus: unknown metric 'bogus'", "eval", "--run",
                fixture.toString(), "--metrics", "w1,bogus", "--out", d.resolve("e.json").toString())));
        c.add(c("eval columns differ", d -> {
            Path a = Files.writeString(d.resolve("a.csv"), rows(12, 2));
            Path b = Files.writeString(d.resolve("b.csv"), rows(12, 3));
            return new Invocation("--fake " + b + " has 3 columns, --real " + a + " has 2", "eval", "--real", a.toString(),
                    "--fake", b.toString(), "--out", d.resolve("e.json").toString());
        }));
        c.add(c("eval bad csv", d -> {
            Path a = Files.writeString(d.resolve("a.csv"), rows(12, 2));
            Path b = Files.writeString(d.resolve("b.csv"), "x,y\n1,2\n3,oops\n");
            return new Invocation(b + ":3:2: column 'y': 'oops' is not a number", "eval", "--real", a.toString(), "--fake",
                    b.toString(), "--out", d.resolve("e.json").toString());
        }));
        c.add(c("eval unknown modes", d -> {
            Path a = Files.writeString(d.resolve("a.csv"), rows(12, 2));
            return new Invocation("--modes ring9 is not allowed", "eval", "--real", a.toString(), "--fake", a.toString(),
                    "--modes", "ring9", "--out", d.resolve("e.json").toString());
        }));
        c.add(c("eval too few rows", d -> {
            Path a = Files.writeString(d.resolve("a.csv"), rows(4, 2));
            return new Invocation("need at least 10 samples per side", "eval", "--real", a.toString(), "--fake",
                    a.toString(), "--out", d.resolve("e.json").toString());
        }));
        c.add(c("eval into a missing folder", d -> {
            Path a = Files.writeString(d.resolve("a.csv"), rows(12, 2));
            return new Invocation("--out " + d.resolve("no/e.json") + ": cannot write", "eval", "--real", a.toString(),
                    "--fake", a.toString(), "--metrics", "w1", "--out", d.resolve("no/e.json").toString());
        }));
        return c.stream();
    }

    // ---- helpers ------------------------------------------------------------------------------------

    static Arguments c(String name, Spec spec) {
        return Arguments.of(name, spec);
    }

    @FunctionalInterface
    interface ArgsMaker {
        String[] make(Path dir) throws Exception;
    }

    /** A train command with a fresh --out inside the case's folder. */
    static Arguments train(String name, String expected, String... args) {
        return c(name, d -> new Invocation(expected, trainArgs(d.resolve("out"), args)));
    }

    static Arguments train(String name, String expected, ArgsMaker args) {
        return c(name, d -> new Invocation(expected, trainArgs(d.resolve("out"), args.make(d))));
    }

    /** A train command; 3 steps unless the case says otherwise, so that a regression fails in seconds. */
    /** A conditional toy GAN with a projection critic, trained for 3 steps in dir/cond (ring8-cgan). */
    static Path conditionalRun(Path dir) {
        Path o = dir.resolve("cond");
        CliTestSupport.Result r = CliTestSupport.run(trainArgs(o, "--preset", "ring8-cgan", "--set",
                "model.d.condition=projection", "--quiet"));
        if (r.code() != 0) {
            throw new IllegalStateException("the conditional fixture run failed: " + r.err());
        }
        return o;
    }

    static String[] trainArgs(Path out, String... args) {
        List<String> all = new ArrayList<>(List.of("train", "--no-plots", "--out", out.toString(), "--set",
                "train.steps=3"));
        all.addAll(List.of(args));
        return all.toArray(new String[0]);
    }

    interface Expect {
        String of(Path dir, Path file);
    }

    static Arguments yaml(String name, String text, java.util.function.Function<Path, String> expected) {
        return c(name, d -> {
            Path y = d.resolve("c.yaml");
            if (text != null) {
                Files.writeString(y, text);
            }
            return new Invocation(expected.apply(d), trainArgs(d.resolve("out"), "--config", y.toString()));
        });
    }

    static Arguments csv(String name, String text, Expect expected) {
        return c(name, d -> {
            Path p = d.resolve("d.csv");
            if (text != null) {
                Files.writeString(p, text);
            }
            return new Invocation(expected.of(d, p), trainArgs(d.resolve("out"), "--set", "data.name=csv", "--set",
                    "data.path=" + p));
        });
    }

    static Arguments idxCase(String name, byte[] content, Expect expected) {
        return c(name, d -> {
            Path p = d.resolve("d.idx");
            if (content != null) {
                Files.write(p, content);
            }
            return new Invocation(expected.of(d, p), trainArgs(d.resolve("out"), "--set", "data.name=idx", "--set",
                    "data.path=" + p));
        });
    }

    @FunctionalInterface
    interface FileMaker {
        Path make(Path dir) throws Exception;
    }

    /** The same damaged checkpoint through sample --checkpoint (eval --checkpoint reads it the same way). */
    static Arguments checkpoint(String name, FileMaker file, String expected) {
        return c(name, d -> {
            Path f = file.make(d);
            return new Invocation(expected, "sample", "--run", fixture.toString(), "--checkpoint", f.toString(), "--n",
                    "5", "--out", d.resolve("s.csv").toString());
        });
    }

    static Path copyFixture(Path dir, String name) throws IOException {
        Path to = dir.resolve(name);
        try (Stream<Path> s = Files.walk(fixture)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path q = to.resolve(fixture.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        return to;
    }

    static Path write(Path dir, String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    static String rows(int n, int cols) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < cols; j++) {
                b.append(j == 0 ? "" : ",").append(i * 0.5 + j);
            }
            b.append('\n');
        }
        return b.toString();
    }

    static byte[] idx(int type, int[] dims, byte[] payload) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(b);
            d.write(new byte[] {0, 0, (byte) type, (byte) dims.length});
            for (int x : dims) {
                d.writeInt(x);
            }
            d.write(payload);
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    static byte[] doubles(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length);
        for (double x : v) {
            b.putDouble(x);
        }
        return b.array();
    }

    static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (GZIPOutputStream o = new GZIPOutputStream(b)) {
                o.write(raw);
            }
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    /** The fixture checkpoint's header, as a mutable map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> fixtureHeader() throws IOException {
        byte[] all = Files.readAllBytes(fixtureCheckpoint);
        long len = ByteBuffer.wrap(all, 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new LinkedHashMap<>(JSON.readValue(new String(all, 16, (int) len, StandardCharsets.UTF_8), Map.class));
    }

    static String header(Map<String, Object> h) throws IOException {
        return JSON.writeValueAsString(h);
    }

    /** A file in the checkpoint layout with a correct checksum around whatever header and data it is given. */
    static Path signed(Path dir, String name, int format, String header, byte[] data) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(16 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'G', 'F', 'C', 'K'}).putInt(format).putLong(h.length).put(h).put(data);
        byte[] body = b.array();
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(body);
        byte[] all = Arrays.copyOf(body, body.length + 32);
        System.arraycopy(sha, 0, all, body.length, 32);
        return write(dir, name, all);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> config(Map<String, Object> meta) {
        Map<String, Object> cfg = new TreeMap<>((Map<String, Object>) meta.get("config"));
        meta.put("config", cfg);
        return cfg;
    }

    /**
     * The fixture checkpoint, changed and written again through CheckpointIO, so that its checksum is
     * right: what a different ganflow version or a hand edit could produce.
     */
    static Path resigned(Path dir, String name, java.util.function.Consumer<Map<String, Object>> editMeta,
            String dropTensorsStartingWith) throws IOException {
        Checkpoint ck = CheckpointIO.read(fixtureCheckpoint);
        Map<String, Object> meta = new LinkedHashMap<>(ck.meta());
        if (editMeta != null) {
            editMeta.accept(meta);
        }
        StateDict sd = new StateDict();
        for (Map.Entry<String, float[]> e : ck.state().tensors().entrySet()) {
            if (dropTensorsStartingWith == null || !e.getKey().startsWith(dropTensorsStartingWith)) {
                sd.putFloats(e.getKey(), e.getValue(), ck.state().shape(e.getKey()));
            }
        }
        ck.state().values().forEach(sd::putValue);
        Path f = dir.resolve(name);
        CheckpointIO.write(f, ck.step(), meta, sd);
        return f;
    }

    /** Every file under a folder with its size (the .lock of a run may only be there or not, unchanged). */
    static Map<String, Long> listing(Path root) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        if (!Files.exists(root)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                out.put(root.relativize(p).toString(), Files.isDirectory(p) ? -1 : Files.size(p));
            }
        }
        return out;
    }

    /** Every checkpoint file of a run directory. */
    static List<Path> checkpointFiles(Path run) throws IOException {
        try (var s = Files.list(run.resolve("checkpoints"))) {
            return s.filter(f -> f.getFileName().toString().endsWith(".gfck")).toList();
        }
    }
}
