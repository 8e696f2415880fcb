package dev.embtrain.training.engine;

/**
 * What one epoch measured; a row of {@code metrics.csv}.
 *
 * @param epoch the epoch, from 1
 * @param trainLoss the mean of the epoch's batch losses
 * @param validMse validation mean squared error
 * @param validMae validation mean absolute error
 * @param seconds wall time of the epoch's training steps (validation excluded)
 * @param samplesPerSecond training rows per second
 * @param learningRate the learning rate at the epoch's last step
 */
public record EpochMetrics(
        int epoch, double trainLoss, double validMse, double validMae, double seconds, double samplesPerSecond,
        float learningRate) {

    /** The CSV header matching {@link #csvRow()}. */
    public static final String CSV_HEADER =
            "epoch,train_loss,valid_mse,valid_rmse,valid_mae,seconds,samples_per_second,learning_rate";

    /**
     * Returns validation root mean squared error.
     *
     * @return sqrt(validMse)
     */
    public double validRmse() {
        return Math.sqrt(validMse);
    }

    /**
     * Returns the value of a monitored metric.
     *
     * @param metric the metric
     * @return its value this epoch
     */
    public double value(dev.embtrain.training.config.EarlyStoppingConfig.Metric metric) {
        return switch (metric) {
            case VALID_MSE -> validMse;
            case VALID_RMSE -> validRmse();
            case VALID_MAE -> validMae;
            case TRAIN_LOSS -> trainLoss;
            default -> throw new IllegalArgumentException(metric.yamlName() + " is not measured for ratings; expected one of"
                    + " valid_mse, valid_rmse, valid_mae, train_loss");
        };
    }

    /**
     * Returns the epoch as a CSV row.
     *
     * @return the row, columns as {@link #CSV_HEADER}
     */
    public String csvRow() {
        return epoch + "," + trainLoss + "," + validMse + "," + validRmse() + "," + validMae + ","
                + String.format(java.util.Locale.ROOT, "%.3f", seconds) + ","
                + String.format(java.util.Locale.ROOT, "%.1f", samplesPerSecond) + "," + learningRate;
    }
}
