package io.ganflow.train.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.run.TrainingRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training on c10d/Gloo over loopback, with real worker processes ({@link DdpWorker}).
 *
 * <p>Two processes, each drawing its half of every batch of the ring8 WGAN-GP preset (5 critic updates with
 * the gradient penalty's double backward, then a generator update), end K = 20 steps where one process
 * training on the whole batch ends. Not bit for bit: each process's loss is a mean over its 128 rows and the
 * all-reduce adds the two processes' mean gradients and halves the sum, where one process averages 256 rows
 * in one reduction (and BLAS splits the weight gradients' row sums differently for 128 and 256 rows). Those
 * are float32 roundings of the gradients: after one step the weights differ by at most 7.5e-9 (measured with
 * -Dganflow.test.ddp_steps=1). Training feeds them back (the critic's weights shape the generator's
 * gradients and back), so they grow with the steps:
 * <ul>
 *   <li>with SGD (lr 1e-2) the weights, which move by up to 0.14, differ by at most 6.2e-6 after 20 steps
 *       (median 4e-9): tolerance 5e-5 on the largest difference;
 *   <li>with the preset's Adam, a gradient coordinate that is rounding noise in both runs (a sum that cancels)
 *       is divided by its own tiny root-mean-square and becomes a full step of lr = 5e-4 of either sign, so a
 *       few coordinates differ by several steps (largest 5.3e-3, 99th percentile 3.7e-4, median 4.1e-6, with
 *       weights moving by up to 0.034): tolerances 5e-5 on the median and 2e-3 on the 99th percentile.
 * </ul>
 * Both are checked against what a real change does (another seed moves the weights by more than 1) so that
 * the comparison can fail, and the two replicas must be identical bit for bit (Gloo hands every process the
 * same sum).
 */
class DataParallelTest {
    static final String PRESET = "ring8-wgan-gp";
    static final String BN_PRESET = "ring8-nsgan";
    static final long K = Long.getLong("ganflow.test.ddp_steps", 20);

    @Test
    void sgdWeightsEqualOneProcessOnTheWholeBatch(@TempDir Path dir) throws Exception {
        double[] d = compare(dir, "opt.g.name=sgd", "opt.d.name=sgd", "opt.g.lr=1e-2", "opt.d.lr=1e-2");
        assertTrue(d[2] <= 5e-5, "2 processes vs 1 with SGD: max |dw| = " + d[2] + " > 5e-5");
    }

    @Test
    void adamWeightsEqualOneProcessOnTheWholeBatch(@TempDir Path dir) throws Exception {
        double[] d = compare(dir);
        assertTrue(d[0] <= 5e-5, "2 processes vs 1 with Adam: median |dw| = " + d[0] + " > 5e-5");
        assertTrue(d[1] <= 2e-3, "2 processes vs 1 with Adam: 99th percentile of |dw| = " + d[1] + " > 2e-3");
    }

    /** Trains 2 processes and 1 process; returns the median, 99th percentile and largest |w_2 - w_1|. */
    double[] compare(Path dir, String... sets) throws Exception {
        return compareOn(dir, PRESET, sets);
    }

    double[] compareOn(Path dir, String preset, String... sets) throws Exception {
        Files.createDirectories(dir);
        List<Process> ps = start(dir, preset, 2, -1, sets);
        for (Process p : ps) {
            finish(p, 180);
        }
        float[] w0 = DdpWorker.read(dir.resolve("w0.bin"));
        float[] w1 = DdpWorker.read(dir.resolve("w1.bin"));
        // Gloo's all-reduce hands every process the same sum, so the replicas stay identical bit for bit.
        assertArrayEquals(w0, w1, "the two replicas diverged");

        float[] single = DdpWorker.weights(trainSingle(preset, 0, sets));
        float[] otherSeed = DdpWorker.weights(trainSingle(preset, 1, sets));
        float[] init = DdpWorker.weights(builder(preset, sets).build());
        double diff = maxAbsDiff(w0, single);
        double seedEffect = maxAbsDiff(single, otherSeed);
        double moved = maxAbsDiff(single, init);
        double[] q = quantiles(w0, single);
        System.err.printf("[%s] data-parallel vs single process after %d steps: max |dw| = %.3g, 99th pct %.3g,"
                + " median %.3g; weights moved by up to %.3g; another seed: %.3g%n", String.join(" ", sets), K, diff,
                q[1], q[0], moved, seedEffect);
        assertTrue(seedEffect > 1, "another seed changed the weights by only " + seedEffect);
        assertTrue(moved > 0.01, "training moved the weights by only " + moved);
        return new double[] {q[0], q[1], diff};
    }

    static double[] quantiles(float[] a, float[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = Math.abs((double) a[i] - b[i]);
        }
        java.util.Arrays.sort(d);
        return new double[] {d[d.length / 2], d[(int) (d.length * 0.99)]};
    }

    /**
     * Batch norm couples a batch's rows, so per-replica statistics (DDP's default) train another model than one
     * process on the whole batch; with train.sync_bn the statistics and their gradients are all-reduced and the
     * two agree again, to the float32 roundings above (SGD; a generator with batch norm in every hidden layer).
     * The per-replica run is the control: it must differ by far more.
     */
    @Test
    void syncedBatchNormEqualsOneProcessOnTheWholeBatch(@TempDir Path dir) throws Exception {
        String[] sgd = {"model.g.bn=true", "opt.g.name=sgd", "opt.d.name=sgd", "opt.g.lr=1e-1", "opt.d.lr=1e-1"};
        double synced = compareOn(dir.resolve("synced"), BN_PRESET, concat(sgd, "train.sync_bn=true"))[2];
        double perReplica = compareOn(dir.resolve("per-replica"), BN_PRESET, sgd)[2];
        System.err.printf("batch norm, 2 processes vs 1: synced max |dw| = %.3g, per replica %.3g%n", synced, perReplica);
        assertTrue(synced <= 5e-5, "synced batch norm: max |dw| = " + synced + " > 5e-5");
        assertTrue(perReplica >= 100 * Math.max(synced, 1e-7), "per-replica statistics should differ: " + perReplica);
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aWorkerThatDiesStopsTheOtherWithAClearMessage(@TempDir Path dir) throws Exception {
        List<Process> ps = start(dir, PRESET, 2, 5);
        long t0 = System.nanoTime();
        assertTrue(ps.get(0).waitFor(120, TimeUnit.SECONDS), "rank 0 did not stop after rank 1 died");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(ps.get(1).waitFor(10, TimeUnit.SECONDS));
        assertEquals(3, ps.get(1).exitValue(), "rank 1 should have died with code 3");
        assertEquals(1, ps.get(0).exitValue(), "rank 0's exit code");
        String err = Files.readString(dir.resolve("err0.txt"), StandardCharsets.UTF_8);
        assertTrue(err.contains("ganflow: rank 0 of 2: the all-reduce at step 5 failed")
                || err.contains("ganflow: rank 0 of 2: the stop-flag all-reduce at step 5 failed")
                || err.contains("ganflow: rank 0 of 2: the stop-flag all-reduce at step 6 failed"), err);
        System.err.printf("rank 0 stopped %.1f s after both started; its message: %s%n", seconds,
                err.lines().filter(l -> l.startsWith("ganflow:")).findFirst().orElse(""));
    }

    private static List<Process> start(Path dir, String preset, int world, long dieAt, String... sets)
            throws IOException {
        Path store = dir.resolve("store");
        List<Process> ps = new ArrayList<>();
        for (int r = 0; r < world; r++) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), DdpWorker.class.getName(), preset, Long.toString(K),
                    Integer.toString(r), Integer.toString(world), store.toString(), dir.resolve("w" + r + ".bin").toString(),
                    Long.toString(r == 1 ? dieAt : -1)));
            cmd.addAll(List.of(sets));
            ps.add(new ProcessBuilder(cmd).redirectOutput(dir.resolve("out" + r + ".txt").toFile())
                    .redirectError(dir.resolve("err" + r + ".txt").toFile()).start());
        }
        return ps;
    }

    private static void finish(Process p, int seconds) throws Exception {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("a worker did not finish within " + seconds + " s");
        }
        assertEquals(0, p.exitValue(), "worker exit code");
    }

    private static TrainingRun.Builder builder(String preset, String... sets) {
        TrainingRun.Builder b = TrainingRun.builder().preset(preset).set("train.steps", Long.toString(K)).evaluation(false);
        for (String kv : sets) {
            String[] p = kv.split("=", 2);
            b.set(p[0], p[1]);
        }
        return b;
    }

    private static TrainingRun trainSingle(String preset, long seed, String... sets) {
        TrainingRun tr = builder(preset, sets).set("train.seed", Long.toString(seed)).build();
        tr.train();
        return tr;
    }


    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }
}
