package io.ganflow.diffusion;

/**
 * A trained method that is a model of the data through a forward process: what the likelihood and the score
 * experiments need of DDPM, a score model or EDM.
 */
public interface ScoreModel {
    /** The sampling net as a denoiser of its continuous-time process. */
    Denoiser denoiser();
}
