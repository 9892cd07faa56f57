package io.ganflow.cli;

import io.ganflow.run.TrainingRun;
import io.ganflow.train.Listener;
import io.ganflow.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny image data sets and runs for the picture tests. */
final class ImageRuns {
    private ImageRuns() {}

    /**
     * An IDX file of n grey 8 × 8 images: a dark, slightly noisy background with a bright bar two pixels wide,
     * horizontal or vertical, at a random place.
     */
    static Path writeIdx(Path file, int n, long seed) throws IOException {
        Random r = new Random(seed);
        ByteBuffer b = ByteBuffer.allocate(16 + n * 64);
        b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) 3).putInt(n).putInt(8).putInt(8);
        for (int i = 0; i < n; i++) {
            boolean horizontal = r.nextBoolean();
            int at = r.nextInt(7);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    int p = horizontal ? y : x;
                    boolean bar = p == at || p == at + 1;
                    b.put((byte) (bar ? 200 + r.nextInt(56) : r.nextInt(30)));
                }
            }
        }
        Files.write(file, b.array());
        return file;
    }

    /** Settings of a few-second GAN run on the IDX file: non-saturating, no penalty, small MLPs. */
    static List<String> ganKeys(Path idx, boolean flatten) {
        return List.of("data.name=idx", "data.path=" + idx, "data.flatten=" + flatten, "gan.objective=nonsaturating",
                "gan.gp.weight=0", "gan.n_critic=1", "model.z_dim=8", "model.g.width=32", "model.g.depth=2",
                "model.d.width=32", "model.d.depth=2", "train.batch=32", "train.eval_samples=200", "train.w1_samples=100",
                "train.log_every=10", "train.eval_every=10", "train.checkpoint_every=20", "opt.g.lr=2e-4",
                "opt.d.lr=2e-4");
    }

    /** {@code ganflow train} arguments: the keys as --set flags, then the extra arguments, then --quiet. */
    static String[] trainArgs(List<String> keys, String... extra) {
        List<String> a = new ArrayList<>(List.of("train"));
        for (String k : keys) {
            a.add("--set");
            a.add(k);
        }
        a.addAll(List.of(extra));
        a.add("--quiet");
        return a.toArray(new String[0]);
    }

    /**
     * A run on [1, 8, 8] images (data.flatten=false) through the CLI's {@link Session}, with the run's own
     * evaluation off and an empty evaluation published every 10 steps instead, so the grids, TensorBoard
     * pictures and report are drawn as for any image run (the Evaluator's metrics do not take shaped samples
     * yet).
     */
    static Session.Outcome shapedRun(Path idx, Path out, int steps) {
        TrainingRun.Builder b = TrainingRun.builder().evaluation(false).set("train.steps", String.valueOf(steps))
                .listener(new Listener() {
                    private Trainer trainer;

                    @Override
                    public void onAttach(Trainer t) {
                        trainer = t;
                    }

                    @Override
                    public void onStep(long step) {
                        if (step % 10 == 0) {
                            trainer.publishEval(step, Map.of("marker", (double) step));
                        }
                    }
                });
        for (String k : ganKeys(idx, false)) {
            int eq = k.indexOf('=');
            b.set(k.substring(0, eq), k.substring(eq + 1));
        }
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        return new Session(quiet, quiet, quiet, false, true).train(b, out);
    }
}
