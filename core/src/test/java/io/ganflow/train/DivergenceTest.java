package io.ganflow.train;

import io.ganflow.nn.StateDict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.config.Config;
import io.ganflow.config.Setup;
import io.ganflow.data.Dataset;
import io.ganflow.engine.Ops;
import io.ganflow.engine.Rng;
import io.ganflow.gan.GanMethod;
import io.ganflow.optim.Optimizer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NaN injected into the generator stops the run; the last good checkpoint stays intact and loadable. */
class DivergenceTest {
    @TempDir
    Path dir;

    /** A GAN whose generator weights turn to NaN after a given step. */
    static final class Poisoned implements Method {
        final GanMethod inner;
        final long at;

        Poisoned(GanMethod inner, long at) {
            this.inner = inner;
            this.at = at;
        }

        @Override
        public String name() {
            return "poisoned";
        }

        @Override
        public StepStats step(StepContext ctx) {
            StepStats s = inner.step(ctx);
            if (ctx.step() == at) {
                Ops.noGrad(() -> inner.generator().parameters().get(0).value().fill_(Ops.s(Double.NaN)));
            }
            return s;
        }

        @Override
        public Tensor sample(int n, Rng rng) {
            return inner.sample(n, rng);
        }

        @Override
        public Map<String, Optimizer> optimizers() {
            return inner.optimizers();
        }

        @Override
        public Optional<UnaryOperator<Tensor>> critic() {
            return inner.critic();
        }

        @Override
        public void saveState(StateDict into) {
            inner.saveState(into);
        }

        @Override
        public void loadState(StateDict from) {
            inner.loadState(from);
        }
    }

    static Config config(int logEvery) {
        return Config.builder().set("model.g.width", "16", "t").set("model.g.depth", "1", "t")
                .set("model.d.width", "16", "t").set("model.d.depth", "1", "t").set("gan.gp.weight", "0.1", "t")
                .set("train.batch", "32", "t").set("train.steps", "100", "t").set("train.eval_every", "0", "t")
                .set("train.checkpoint_every", "10", "t").set("train.log_every", Integer.toString(logEvery), "t")
                .set("train.keep_checkpoints", "3", "t").build();
    }

    void assertStopsWithGoodCheckpoint(int logEvery, String expectedMessage) {
        Config c = config(logEvery);
        Setup.engine(c);
        Dataset data = Setup.dataset(c);
        RunDirectory run = RunDirectory.create(dir.resolve("run" + logEvery));
        TrainSpec spec = Setup.trainSpec(c);
        Trainer t = new Trainer(new Poisoned((GanMethod) Setup.method(c, data), 25), data, new Rng(1), spec)
                .addListener(new CheckpointListener(run, Map.of("note", "test"), spec.checkpointEvery(),
                        spec.keepCheckpoints()))
                .addListener(new EvaluationListener(Setup.evaluator(c, data), spec.evalEvery()));
        DivergenceException e = assertThrows(DivergenceException.class, t::run);
        assertTrue(e.getMessage().contains(expectedMessage), e.getMessage());
        assertTrue(e.getMessage().contains("step-000000020.gfck"), e.getMessage());

        Checkpoint good = CheckpointIO.read(run.checkpoints().get(0));
        assertEquals(20, good.step());
        for (float[] values : good.state().tensors().values()) {
            for (float v : values) {
                assertTrue(Float.isFinite(v));
            }
        }
        Method fresh = Setup.method(c, data);
        fresh.loadState(good.state());
        double[] s = Ops.toDoubles(fresh.sample(100, new Rng(2)));
        for (double v : s) {
            assertTrue(Double.isFinite(v), "the restored generator samples finite points");
        }
    }

    @Test
    void nanCaughtAtTheNextLoggedStep() {
        assertStopsWithGoodCheckpoint(10, "training diverged at step 30: ");
    }

    @Test
    void nanCaughtBeforeACheckpointIsWritten() {
        assertStopsWithGoodCheckpoint(50, "training diverged by step 30: g.layer0.weight holds NaN; no checkpoint was written");
    }
}
