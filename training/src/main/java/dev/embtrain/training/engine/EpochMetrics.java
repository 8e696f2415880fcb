package dev.embtrain.training.engine;

import dev.embtrain.training.config.EarlyStoppingConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one epoch measured; a row of {@code metrics.csv}, whose validation columns depend on
 * the task ({@link Task#metrics()}).
 *
 * @param epoch the epoch, from 1
 * @param trainLoss the mean of the epoch's batch losses
 * @param task the task, which decides the validation metrics
 * @param valid validation metrics by name, in the task's order
 * @param seconds wall time of the epoch's training steps (validation excluded)
 * @param samplesPerSecond training rows per second
 * @param learningRate the learning rate at the epoch's last step
 */
public record EpochMetrics(
        int epoch, double trainLoss, Task task, Map<String, Double> valid, double seconds, double samplesPerSecond,
        float learningRate) {

    /** Checks that the metrics are the task's. */
    public EpochMetrics {
        if (!valid.keySet().equals(new java.util.HashSet<>(task.metrics()))) {
            throw new IllegalArgumentException("a " + task + " epoch reports " + task.metrics() + ", found "
                    + valid.keySet());
        }
        Map<String, Double> ordered = new LinkedHashMap<>();
        for (String m : task.metrics()) {
            ordered.put(m, valid.get(m));
        }
        valid = java.util.Collections.unmodifiableMap(ordered);
    }

    /**
     * Returns a regression epoch.
     *
     * @param epoch the epoch
     * @param trainLoss the mean training loss
     * @param mse validation MSE
     * @param mae validation MAE
     * @param seconds training seconds
     * @param samplesPerSecond training rows per second
     * @param learningRate the last learning rate
     * @return the metrics
     */
    public static EpochMetrics regression(int epoch, double trainLoss, double mse, double mae, double seconds,
            double samplesPerSecond, float learningRate) {
        return new EpochMetrics(epoch, trainLoss, Task.REGRESSION,
                Map.of("valid_mse", mse, "valid_rmse", Math.sqrt(mse), "valid_mae", mae), seconds, samplesPerSecond,
                learningRate);
    }

    /**
     * Returns the CSV header of a task's rows.
     *
     * @param task the task
     * @return the header matching {@link #csvRow()}
     */
    public static String csvHeader(Task task) {
        return "epoch,train_loss," + String.join(",", task.metrics()) + ",seconds,samples_per_second,learning_rate";
    }

    /**
     * Returns validation mean squared error.
     *
     * @return MSE, NaN for a binary task
     */
    public double validMse() {
        return valid.getOrDefault("valid_mse", Double.NaN);
    }

    /**
     * Returns validation root mean squared error.
     *
     * @return sqrt(MSE), NaN for a binary task
     */
    public double validRmse() {
        return valid.getOrDefault("valid_rmse", Double.NaN);
    }

    /**
     * Returns validation mean absolute error.
     *
     * @return MAE, NaN for a binary task
     */
    public double validMae() {
        return valid.getOrDefault("valid_mae", Double.NaN);
    }

    /**
     * Returns the value of a monitored metric.
     *
     * @param metric the metric
     * @return its value this epoch
     * @throws IllegalArgumentException when this task does not measure it
     */
    public double value(EarlyStoppingConfig.Metric metric) {
        if (metric == EarlyStoppingConfig.Metric.TRAIN_LOSS) {
            return trainLoss;
        }
        Double v = valid.get(metric.yamlName());
        if (v == null) {
            throw new IllegalArgumentException(metric.yamlName() + " is not measured for " + task.name()
                    .toLowerCase(Locale.ROOT) + "; expected one of " + String.join(", ", task.metrics()) + ", train_loss");
        }
        return v;
    }

    /**
     * Returns the task's main metric, the one {@code auto} monitors.
     *
     * @return valid_mse or valid_auc
     */
    public double main() {
        return valid.get(task.metrics().get(0));
    }

    /**
     * Returns the epoch as a CSV row.
     *
     * @return the row, columns as {@link #csvHeader(Task)}
     */
    public String csvRow() {
        StringBuilder sb = new StringBuilder().append(epoch).append(',').append(trainLoss);
        valid.values().forEach(v -> sb.append(',').append(v));
        return sb.append(',').append(String.format(Locale.ROOT, "%.3f", seconds))
                .append(',').append(String.format(Locale.ROOT, "%.1f", samplesPerSecond))
                .append(',').append(learningRate).toString();
    }
}
