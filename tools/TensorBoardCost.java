import io.ganflow.cli.ConfigFiles;
import io.ganflow.cli.report.EvalPicture;
import io.ganflow.config.Config;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Rng;
import io.ganflow.train.Evaluator;
import io.ganflow.train.Listener;
import io.ganflow.train.Method;
import io.ganflow.train.TrainResult;
import io.ganflow.train.Trainer;
import io.ganflow.train.tensorboard.TensorBoardListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the TensorBoard listener costs a training run, measured inside the run: the time spent in its
 * callbacks (scalars, pictures, histograms) against the whole run's time, for the default preset.
 *
 *   ./ganflow presets >/dev/null    # builds cli/target/ganflow.jar
 *   java -cp cli/target/ganflow.jar tools/TensorBoardCost.java [steps] [eval_every] [histograms_every]
 */
public class TensorBoardCost {
    public static void main(String[] args) throws Exception {
        String steps = args.length > 0 ? args[0] : "2000";
        String evalEvery = args.length > 1 ? args[1] : "500";
        int histEvery = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Config c = ConfigFiles.resolve("ring8-wgan-gp", null, List.of("train.eval_every=" + evalEvery),
                Map.of("train.steps", steps)).config();
        Setup.engine(c);
        Dataset data = Setup.dataset(c);
        Method m = Setup.method(c, data);
        Evaluator ev = Setup.evaluator(c, data);
        Path dir = Files.createTempDirectory("tb-cost");
        TensorBoardListener tb = new TensorBoardListener(dir)
                .images("samples", EvalPicture.source("ring8-wgan-gp", m, data, ev))
                .histograms(histEvery, TensorBoardListener.weightsOf(m));
        long[] logNs = {0, 0};
        long[] evalNs = {0, 0};
        long[] trainerEvalNs = {0};
        Trainer t = new Trainer(m, data, new Rng(c.getLong("train.seed")), Setup.trainSpec(c), ev, null, Map.of());
        t.addListener(new Listener() {
            @Override
            public void onStart(long startStep, long totalSteps) {
                tb.onStart(startStep, totalSteps);
            }

            @Override
            public void onLog(long step, Map<String, Double> stats) {
                long t0 = System.nanoTime();
                tb.onLog(step, stats);
                logNs[0] += System.nanoTime() - t0;
                logNs[1]++;
            }

            @Override
            public void onEval(long step, Map<String, Double> metrics) {
                long t0 = System.nanoTime();
                tb.onEval(step, metrics);
                evalNs[0] += System.nanoTime() - t0;
                evalNs[1]++;
            }

            @Override
            public void onEnd(TrainResult r) {
                tb.onEnd(r);
            }
        });
        long t0 = System.nanoTime();
        TrainResult r = t.run();
        double total = (System.nanoTime() - t0) / 1e9;
        double log = logNs[0] / 1e9;
        double eval = evalNs[0] / 1e9;
        long bytes = Files.size(tb.file());
        System.out.printf(Locale.ROOT, "%d steps in %.1f s (%.2f ms/step, evaluations included)%n", r.steps(), total,
                total / r.steps() * 1e3);
        System.out.printf(Locale.ROOT, "onLog: %d calls, %.3f ms each, %.3f %% of the run%n", logNs[1],
                log / logNs[1] * 1e3, 100 * log / total);
        System.out.printf(Locale.ROOT, "onEval (scalars + picture): %d calls, %.0f ms each, %.2f %% of the run%n",
                evalNs[1], eval / evalNs[1] * 1e3, 100 * eval / total);
        System.out.printf(Locale.ROOT, "all listener time: %.2f %% of the run; event file %d bytes%n",
                100 * (log + eval) / total, bytes);
        // for scale: one evaluation, and one picture alone, after warm-up
        long e0 = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            ev.evaluate(m);
        }
        long e1 = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            EvalPicture.source("ring8-wgan-gp", m, data, ev).apply(i);
        }
        long e2 = System.nanoTime();
        System.out.printf(Locale.ROOT, "one evaluation: %.0f ms; one picture: %.0f ms%n", (e1 - e0) / 3e6,
                (e2 - e1) / 3e6);
    }
}
