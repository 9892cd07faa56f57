package io.ganflow.config;

/**
 * A model family (GAN, flow, diffusion, or a user's own): its config keys and its registrations in one place.
 * {@link Schema} keeps only the shared keys and asks every registered family for its own; a {@link Plugin} can
 * bring a whole family with {@link Registries#family(Family)}, with no edit elsewhere.
 *
 * <p>The built-in families are {@link GanFamily} (SPEC A) and {@link FlowFamily} (SPEC C and the particle-flow
 * bridge, SPEC D). A family's maths lives in its own package; its family class only names keys and factories.
 */
public interface Family {
    /** A short name, e.g. "gan". */
    String name();

    /** Declares the family's config keys (prefix them with the family's name: "gan.", "flow."). */
    void keys(Keys keys);

    /** Registers the family's methods, objectives, nets or data sets. */
    void register(Registries registries);
}
