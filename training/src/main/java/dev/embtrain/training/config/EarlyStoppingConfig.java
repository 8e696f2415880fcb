package dev.embtrain.training.config;

/**
 * Which validation metric picks the epoch whose parameters are kept, and when training stops.
 *
 * @param metric the monitored metric (lower is better)
 * @param patience epochs without improvement before stopping; 0 never stops early
 * @param minDelta the smallest decrease that counts as an improvement
 */
@Doc("Which validation metric picks the kept epoch, and when training stops early.")
public record EarlyStoppingConfig(
        @Doc("Monitored metric, lower is better; the best epoch's parameters are kept.") @Default("valid_mse")
                Metric metric,
        @Doc("Stop after this many epochs without improvement; 0 never stops early.") @Default("0") int patience,
        @Doc("The smallest decrease that counts as an improvement.") @Default("0.0") double minDelta) {

    /** Validates the section. */
    public EarlyStoppingConfig {
        if (patience < 0) {
            throw new ConfigValueException("patience", "must be >= 0, found " + patience);
        }
        Check.nonNegative("min_delta", minDelta);
    }

    /** Metrics that can be monitored, all lower-is-better. */
    public enum Metric implements YamlName {
        /** Validation mean squared error. */
        VALID_MSE,
        /** Validation root mean squared error. */
        VALID_RMSE,
        /** Validation mean absolute error. */
        VALID_MAE,
        /** Mean training loss. */
        TRAIN_LOSS;

        /** {@inheritDoc} */
        @Override
        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
