package io.ganflow.train;

import java.util.Map;

/**
 * Evaluates the method every {@code every} steps and after the last step, and publishes the figures to
 * every listener through {@link Trainer#publishEval}. Evaluation draws from its own seeded generators, so
 * it never changes the training trajectory.
 */
public final class EvaluationListener implements Listener {
    private final Evaluator evaluator;
    private final int every;
    private Trainer trainer;
    private long totalSteps;

    /** @param every evaluation interval in steps (0: only after the last step) */
    public EvaluationListener(Evaluator evaluator, int every) {
        this.evaluator = evaluator;
        this.every = every;
    }

    @Override
    public void onAttach(Trainer t) {
        this.trainer = t;
    }

    @Override
    public void onStart(long startStep, long total) {
        this.totalSteps = total;
    }

    @Override
    public void onStep(long step) {
        if (step < totalSteps && every > 0 && step % every == 0) {
            evaluate(step);
        }
    }

    @Override
    public void onFinish(long step, boolean interrupted) {
        if (!interrupted) {
            evaluate(step);
        }
    }

    private void evaluate(long step) {
        Map<String, Double> m = evaluator.evaluate(trainer.method());
        trainer.publishEval(step, m);
    }

    public Evaluator evaluator() {
        return evaluator;
    }
}
