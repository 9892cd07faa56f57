package io.ganflow.diffusion;

/**
 * A trained method that is a model of the data through a forward process: what the likelihood and the score
 * experiments need of DDPM, a score model or EDM.
 */
public interface ScoreModel {
    /**
     * The sampling net as a denoiser.
     *
     * @throws io.ganflow.BadInputException where the method has no continuous-time view (DDPM's cosine schedule)
     */
    Denoiser denoiser();
}
