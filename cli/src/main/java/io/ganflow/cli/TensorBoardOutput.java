package io.ganflow.cli;

import io.ganflow.cli.report.EvalPicture;
import io.ganflow.config.Config;
import io.ganflow.data.Dataset;
import io.ganflow.train.Evaluator;
import io.ganflow.train.Method;
import io.ganflow.train.RunDirectory;
import io.ganflow.train.Trainer;
import io.ganflow.train.tensorboard.TensorBoardListener;

/**
 * The CLI's TensorBoard output, on when {@code log.tensorboard} is true: event files in the run directory
 * with the metrics, the picture of each evaluation (tag {@code samples}; not with {@code --no-plots}) and,
 * every {@code log.tensorboard.histograms_every} steps, histograms of the weights. Closing it closes the file.
 */
final class TensorBoardOutput implements AutoCloseable {
    private final TensorBoardListener listener;

    private TensorBoardOutput(TensorBoardListener listener) {
        this.listener = listener;
    }

    /** Adds the listener to the trainer when the config asks for it; does nothing otherwise. */
    static TensorBoardOutput attach(Trainer trainer, Config c, RunDirectory run, String preset, Dataset data,
            Method method, Evaluator evaluator, boolean pictures) {
        if (!c.getBool("log.tensorboard")) {
            return new TensorBoardOutput(null);
        }
        TensorBoardListener l = new TensorBoardListener(run.root())
                .histograms(c.getInt("log.tensorboard.histograms_every"), TensorBoardListener.weightsOf(method));
        if (pictures) {
            l.images("samples", EvalPicture.source(preset, method, data, evaluator));
        }
        trainer.addListener(l);
        return new TensorBoardOutput(l);
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
    }
}
