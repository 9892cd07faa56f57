package io.ganflow.cli.bench;

import io.ganflow.config.Config;
import io.ganflow.config.EvalSetup;
import io.ganflow.data.image.ImageDataset;
import io.ganflow.engine.Engine;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.engine.Scope;
import io.ganflow.io.Npy;
import io.ganflow.metrics.Frechet;
import io.ganflow.metrics.features.ClassifierFile;
import io.ganflow.metrics.features.Classifiers;
import io.ganflow.metrics.features.DomainClassifier;
import io.ganflow.metrics.features.FeatureExtractor;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The fid suite of {@code ganflow bench}: the features of 10,000 + 10,000 images through the domain classifier
 * (batches of 500, autograd off) and the FID between them, timed in ganflow and in the peer
 * {@code bench/peers/fid.py} (the same network rebuilt in PyTorch from the classifier's safetensors, the same
 * images, then NumPy's covariances and SciPy's {@code sqrtm}). The images are Fashion-MNIST's 10,000 test
 * images against the same images with N(0, 0.2²) noise (clipped to [-1, 1]), or, without Fashion-MNIST,
 * seeded uniform noise images; the classifier is the cached fashion-mnist one, or a seeded untrained one of
 * the same architecture (the time does not depend on the weights).
 */
final class FidBench {
    private FidBench() {}

    static final int N = 10_000;

    static void run(int threads, String python) throws IOException, InterruptedException {
        Engine.setThreads(threads);
        Path dir = Files.createTempDirectory("ganflow-bench-fid-");
        try (Scope s = Scope.open()) {
            java.util.Optional<ClassifierFile.Loaded> pinned = Classifiers.pinned("fashion-mnist");
            DomainClassifier net;
            String which;
            if (pinned.isPresent()) {
                net = pinned.get().classifier();
                which = "the shipped fashion-mnist classifier (sha256 " + pinned.get().fileSha256().substring(0, 12) + ")";
            } else {
                net = new DomainClassifier(DomainClassifier.Architecture.lenet(1, 28, 28, 10), new Rng(0));
                which = "an untrained classifier of the same architecture (seed 0; this build ships none)";
            }
            Tensor a;
            String images;
            try {
                ImageDataset d = EvalSetup.classifierData(Config.builder().set("data.name", "fashion-mnist", "bench")
                        .build(), "fashion-mnist");
                a = d.images(ImageDataset.Split.TEST, torch.arange(new org.bytedeco.pytorch.Scalar(N),
                        new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long)));
                images = "Fashion-MNIST's 10,000 test images";
            } catch (io.ganflow.BadInputException e) {
                a = new Rng(1).uniform(N, 1, 28, 28).mul(Ops.s(2)).sub(Ops.s(1));
                images = "10,000 uniform noise images (Fashion-MNIST is not installed)";
            }
            Tensor b = Ops.clamp(a.add(new Rng(2).normal(N, 1, 28, 28).mul(Ops.s(0.2))), -1, 1);
            FeatureExtractor fx = net.extractor("bench");
            System.out.printf(Locale.ROOT, "fid: %s vs the same with N(0, 0.2^2) noise, 10,000 + 10,000 images 1x28x28;%n"
                    + "  features of %s (%d-d), batch 500; %d thread(s)%n", images, which,
                    net.architecture().hidden(), threads);
            fx.features(a.narrow(0, 0, 500)); // warm-up
            long t0 = System.nanoTime();
            Tensor fa = fx.features(a);
            Tensor fb = fx.features(b);
            double oursFeatures = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            double fid = Frechet.distance(Frechet.fit(fa), Frechet.fit(fb));
            double oursFid = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "ganflow  features %7.3f s   FID (fits + Cholesky/eigvalsh) %7.4f s   FID %.6f%n",
                    oursFeatures, oursFid, fid);
            if (python == null) {
                return;
            }
            Path weights = dir.resolve("classifier.safetensors");
            ClassifierFile.save(net, weights, Map.of());
            Npy.writeFloats(dir.resolve("a.npy"), Ops.toFloats(a), N, 1, 28, 28);
            Npy.writeFloats(dir.resolve("b.npy"), Ops.toFloats(b), N, 1, 28, 28);
            Npy.writeFloats(dir.resolve("fa.npy"), Ops.toFloats(fa), fa.size(0), fa.size(1));
            Map<String, String> kv = peer(python, threads, dir);
            if (!kv.containsKey("fid_seconds")) {
                System.out.println("pytorch  skipped: " + python + " could not run the reference (" + kv.getOrDefault("last",
                        "no output") + "); install Debian's python3-torch and python3-scipy, or pass --python");
                return;
            }
            double theirFeatures = Double.parseDouble(kv.get("features_seconds"));
            double theirFid = Double.parseDouble(kv.get("fid_seconds"));
            System.out.printf(Locale.ROOT, "pytorch  features %7.3f s   FID (numpy cov + scipy sqrtm)  %7.4f s   FID %s"
                    + "  (torch %s, scipy %s)%n", theirFeatures, theirFid, kv.get("fid"), kv.get("torch_version"),
                    kv.get("scipy_version"));
            System.out.printf(Locale.ROOT, "ratio ganflow/pytorch: features %.3f, FID %.3f  (below 1: ganflow is faster);"
                    + " max |feature difference| %s%n", oursFeatures / theirFeatures, oursFid / theirFid,
                    kv.get("max_feature_difference"));
        } finally {
            try (var st = Files.list(dir)) {
                for (Path f : st.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static Map<String, String> peer(String python, int threads, Path dir) throws IOException, InterruptedException {
        Path scripts = PeerProcess.scripts();
        Path script = scripts.resolve("fid.py");
        Map<String, String> kv = new HashMap<>();
        try {
            List<String> cmd = List.of(python, script.toString(), "--weights", dir.resolve("classifier.safetensors")
                    .toString(), "--real", dir.resolve("a.npy").toString(), "--fake", dir.resolve("b.npy").toString(),
                    "--check-features", dir.resolve("fa.npy").toString(), "--threads", Integer.toString(threads));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
            pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                kv.put("last", "cannot run it: " + e.getMessage());
                return kv;
            }
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                    int eq = l.indexOf('=');
                    if (eq > 0) {
                        kv.put(l.substring(0, eq), l.substring(eq + 1));
                    }
                }
            }
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
            if (!lines.isEmpty()) {
                kv.put("last", lines.get(lines.size() - 1));
            }
            return kv;
        } finally {
            PeerProcess.delete(scripts);
        }
    }
}
