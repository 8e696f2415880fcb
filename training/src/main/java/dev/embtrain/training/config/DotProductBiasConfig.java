package dev.embtrain.training.config;

import java.util.List;

/**
 * Hyperparameters of {@link dev.embtrain.models.DotProductBias}; vocabulary sizes come from
 * the data and are never written here.
 *
 * @param factors latent factors per user and item
 * @param yRange the sigmoid range of predictions
 * @param initStd standard deviation of the normal initialisation
 */
@Doc("Matrix factorisation with biases: lo + (hi - lo) * sigmoid(p_u . q_i + b_u + b_i).")
public record DotProductBiasConfig(
        @Doc("Latent factors per user and item.") @Default("50") int factors,
        @Doc("Output range [lo, hi]; fastai uses [0, 5.5] for 1-5 stars.") @Default("[0.0, 5.5]") List<Double> yRange,
        @Doc("Standard deviation of the normal initialisation.") @Default("0.01") double initStd)
        implements ModelConfig {

    /** Validates the section. */
    public DotProductBiasConfig {
        Check.positive("factors", factors);
        Check.range("y_range", yRange);
        Check.positive("init_std", initStd);
        yRange = List.copyOf(yRange);
    }
}
