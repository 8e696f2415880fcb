package dev.embtrain.training.engine;

import java.util.List;

/** What a supervised model is trained to predict, and so which validation metrics an epoch reports. */
public enum Task {
    /** A rating: MSE loss; validation MSE, RMSE, MAE. */
    REGRESSION(List.of("valid_mse", "valid_rmse", "valid_mae")),
    /** A 0/1 label from a logit: sigmoid cross-entropy; validation AUC, log loss, accuracy at 0.5. */
    BINARY(List.of("valid_auc", "valid_log_loss", "valid_accuracy"));

    private final List<String> metrics;

    Task(List<String> metrics) {
        this.metrics = metrics;
    }

    /**
     * Returns the validation metrics an epoch of this task reports, in column order.
     *
     * @return the metric names
     */
    public List<String> metrics() {
        return metrics;
    }
}
