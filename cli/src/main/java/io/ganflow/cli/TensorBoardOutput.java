package io.ganflow.cli;

import io.ganflow.cli.report.EvalGrids;
import io.ganflow.cli.report.EvalPicture;
import io.ganflow.config.Setup;
import io.ganflow.run.TrainingRun;
import io.ganflow.train.Evaluator;
import java.util.Optional;

/**
 * The CLI's part of TensorBoard output: the picture of each evaluation (tag {@code samples}; not with
 * {@code --no-plots}): the scatter for points, the evaluation's image grid for images. It is added to the
 * run's own {@link TrainingRun#tensorBoard() listener}, which writes the scalars and histograms.
 */
final class TensorBoardOutput {
    private TensorBoardOutput() {}

    /**
     * Adds the evaluation pictures when the run writes TensorBoard files: the grids of {@code grids} where the
     * run has them (image data), else the scatter. Call before {@link TrainingRun#train()}.
     */
    static void attachPictures(TrainingRun tr, boolean pictures, Optional<EvalGrids> grids) {
        if (!pictures) {
            return;
        }
        tr.tensorBoard().ifPresent(l -> {
            Evaluator evaluator = tr.evaluator().orElseGet(() -> Setup.evaluator(tr.config(), tr.data()));
            l.images("samples", EvalPicture.source(tr.preset(), tr.method(), tr.data(), evaluator, grids));
        });
    }
}
