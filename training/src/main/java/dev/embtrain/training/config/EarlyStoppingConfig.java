package dev.embtrain.training.config;

/**
 * Which validation metric picks the epoch whose parameters are kept, and when training stops.
 *
 * @param metric the monitored metric; {@code auto} is the task's main metric
 * @param patience epochs without improvement before stopping; 0 never stops early
 * @param minDelta the smallest change in the better direction that counts as an improvement
 */
@Doc("Which validation metric picks the kept epoch, and when training stops early.")
public record EarlyStoppingConfig(
        @Doc("Monitored metric; the best epoch's parameters are kept. auto: valid_mse for ratings, valid_auc for"
                        + " binary labels, valid_recall_at_10 for item2vec, valid_loss for feat2vec, valid_ndcg_at_10 for an implicit label (its first"
                        + " cut-off).")
                @Default("auto") Metric metric,
        @Doc("Stop after this many epochs without improvement; 0 never stops early.") @Default("0") int patience,
        @Doc("The smallest change in the better direction that counts as an improvement.") @Default("0.0")
                double minDelta) {

    /** Validates the section. */
    public EarlyStoppingConfig {
        if (patience < 0) {
            throw new ConfigValueException("patience", "must be >= 0, found " + patience);
        }
        Check.nonNegative("min_delta", minDelta);
    }

    /**
     * The names {@code early_stopping.metric} accepts: auto and every metric an objective declares
     * ({@code objectives.Metrics}, where their direction is; a test keeps the two lists equal).
     */
    public enum Metric implements YamlName {
        /** The task's main metric: valid_mse, valid_auc or valid_recall_at_10. */
        AUTO,
        /** Validation mean squared error. */
        VALID_MSE,
        /** Validation root mean squared error. */
        VALID_RMSE,
        /** Validation mean absolute error. */
        VALID_MAE,
        /** Validation ROC AUC (binary labels). */
        VALID_AUC,
        /** Validation log loss (binary labels). */
        VALID_LOG_LOSS,
        /** Validation accuracy at threshold 0.5 (binary labels). */
        VALID_ACCURACY,
        /** Validation Recall@10 (next-item ranking). */
        VALID_RECALL_AT_10,
        /** Validation MRR@10 (next-item ranking; a ratings run's ranking metrics). */
        VALID_MRR_AT_10,
        /** Validation NDCG@10 (a ratings run's ranking metrics). */
        VALID_NDCG_AT_10,
        /** Validation hit rate @10 (a ratings run's ranking metrics). */
        VALID_HR_AT_10,
        /** Validation loss of implicit feedback (feat2vec): positives against negatives drawn for them. */
        VALID_LOSS,
        /** Mean training loss. */
        TRAIN_LOSS;

        /** {@inheritDoc} */
        @Override
        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
