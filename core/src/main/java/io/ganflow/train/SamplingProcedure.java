package io.ganflow.train;

import java.util.List;

/**
 * One way a method can draw samples, as {@link Method#samplingProcedures()} lists them: a generator's one step, an
 * ODE solve with a solver and an NFE, and later SDE and ancestral samplers. Callers (the CLI, the report, the
 * export) choose one by name in a {@link SampleRequest} and never name a concrete method.
 *
 * @param name what {@code ganflow sample --sampler} calls it, e.g. {@code one-step}, {@code ode}
 * @param description one line for help and errors
 * @param options the request options it reads, named as the sample command's flags without "--" (e.g. solver, nfe,
 *     atol, rtol); any other option is refused
 * @param hasPath whether it can return the intermediate states (trajectories for plots)
 */
public record SamplingProcedure(String name, String description, List<String> options, boolean hasPath) {
    public SamplingProcedure {
        options = List.copyOf(options);
    }

    /** A generator's single forward pass from its latent draw: NFE 1, no options. */
    public static final SamplingProcedure ONE_STEP = new SamplingProcedure("one-step",
            "one forward pass of the generator from its latent draw (NFE 1)", List.of(), false);
}
