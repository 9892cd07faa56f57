package io.ganflow.train;

import io.ganflow.nn.StateDict;
import io.ganflow.engine.Rng;
import io.ganflow.optim.Optimizer;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;

/**
 * One training algorithm: it owns the maths, the modules and their optimisers. The {@link Trainer} owns
 * the loop, scopes, schedules, evaluation and checkpoints, and calls {@link #step} once per iteration
 * inside a native-memory scope. A new algorithm is a new Method.
 */
public interface Method {
    /** A short name, e.g. "gan". */
    String name();

    /**
     * One iteration (for GANs: n_critic critic updates, then one generator update). Returns the step's
     * statistics as device tensors; the trainer copies them to the host only on logging steps.
     */
    StepStats step(StepContext ctx);

    /** n samples in model space, shape (n, dim), without gradient, with the default procedure. */
    Tensor sample(int n, Rng rng);

    /**
     * The sampling procedures this method offers, its default first: a generator's one step, an ODE solve, and
     * (diffusion) SDE and ancestral samplers. {@link SamplingProcedure#ONE_STEP} by default.
     */
    default java.util.List<SamplingProcedure> samplingProcedures() {
        return java.util.List.of(SamplingProcedure.ONE_STEP);
    }

    /**
     * Samples as the request asks: its procedure and options, its labels where the method is conditional, its
     * path where the procedure keeps one. The default serves {@link SamplingProcedure#ONE_STEP} through
     * {@link #sample(int, Rng)} and refuses labels, unknown procedures and options.
     */
    default Samples sample(SampleRequest request) {
        request.procedureIn(name(), samplingProcedures());
        return Samples.oneStep(sample(request.n(), request.rng()));
    }

    /**
     * The number of classes a conditional method generates (its samples take a class each: {@link SampleRequest}'s
     * labels, uniform classes without them); 0 for an unconditional one.
     */
    default int classes() {
        return 0;
    }

    /**
     * The latent dimension when a sample is the generator applied to z ~ N(0, I) of shape (n, latentDim), drawn
     * first from the request's stream (what an export's latent draws must reproduce); empty otherwise.
     */
    default java.util.OptionalInt latentDim() {
        return java.util.OptionalInt.empty();
    }

    /**
     * The optimisers by name ("g", "d", …), for learning-rate schedules and for data-parallel training, which
     * averages the gradients of exactly these optimisers across processes: list every optimiser the method
     * steps, or its replicas drift apart.
     */
    Map<String, Optimizer> optimizers();

    /** The critic as a function of x, when the method has one (for plots and diagnostics). */
    default Optional<UnaryOperator<Tensor>> critic() {
        return Optional.empty();
    }

    /**
     * Method-specific figures for the evaluation and the summary (for flows: NFE of the configured sampler,
     * straightness), computed on n fresh samples drawn with rng. Empty by default.
     */
    default Map<String, Double> diagnostics(int n, Rng rng) {
        return Map.of();
    }

    /**
     * The method's networks by role, for export and import: "generator" (the one that samples, an EMA
     * copy where that is on), "critic", "velocity", "velocity_distilled". Empty by default.
     */
    default Map<String, io.ganflow.nn.Module> networks() {
        return Map.of();
    }

    /**
     * The trainable network of a role, for starting it from given weights ({@code model.g.init_from},
     * {@code model.d.init_from}): "generator" or "critic". Empty where the method has no such network.
     */
    default Optional<io.ganflow.nn.Module> trainable(String role) {
        return Optional.ofNullable(networks().get(role));
    }

    /** Called after weights were loaded into a trainable network, so copies (an EMA) can follow. */
    default void weightsLoaded(String role) {}

    /**
     * Tensors the method keeps across steps besides its networks' parameters and buffers and its optimisers'
     * state (running averages, fixed couplings): the trainer moves them to the run's device with the rest.
     */
    default java.util.List<Tensor> stateTensors() {
        return java.util.List.of();
    }

    /** Everything needed to continue exactly: parameters, optimiser state, counters. */
    void saveState(StateDict into);

    void loadState(StateDict from);
}
