package dev.embtrain.training.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one epoch measured: a row of {@code metrics.csv}, whose validation columns are the
 * objective's ({@link Objective#metrics()}).
 *
 * @param epoch the epoch, from 1
 * @param trainLoss the mean of the epoch's batch losses
 * @param valid validation metrics by name, in the objective's order
 * @param seconds wall time of the epoch's training steps (validation excluded)
 * @param samples training examples of the epoch (rows, pairs or positives)
 * @param learningRate the learning rate at the epoch's last step
 * @param improved whether the monitored value beat every earlier epoch's
 * @param bestEpoch the best epoch so far, this one included
 */
public record EpochRecord(int epoch, double trainLoss, Map<String, Double> valid, double seconds, long samples,
        float learningRate, boolean improved, int bestEpoch) {

    /** Keeps the metrics' order and makes them read-only. */
    public EpochRecord {
        valid = Collections.unmodifiableMap(new LinkedHashMap<>(valid));
    }

    /**
     * Returns the CSV header of an objective's rows.
     *
     * @param metrics the validation metrics, in order
     * @return the header matching {@link #csvRow()}
     */
    public static String csvHeader(List<String> metrics) {
        return "epoch,train_loss" + (metrics.isEmpty() ? "" : "," + String.join(",", metrics))
                + ",seconds,samples_per_second,learning_rate";
    }

    /**
     * Returns training examples per second.
     *
     * @return samples / seconds
     */
    public double samplesPerSecond() {
        return samples / seconds;
    }

    /**
     * Returns a metric's value: {@code train_loss} or a validation metric.
     *
     * @param name the metric
     * @return its value this epoch
     * @throws IllegalArgumentException naming the metrics there are
     */
    public double value(String name) {
        if (name.equals(Monitor.TRAIN_LOSS)) {
            return trainLoss;
        }
        Double v = valid.get(name);
        if (v == null) {
            throw new IllegalArgumentException(name + " is not measured here; expected one of "
                    + String.join(", ", valid.keySet()) + (valid.isEmpty() ? "" : ", ") + Monitor.TRAIN_LOSS);
        }
        return v;
    }

    /**
     * Returns the epoch as a CSV row.
     *
     * @return the row, columns as {@link #csvHeader(List)}
     */
    public String csvRow() {
        StringBuilder sb = new StringBuilder().append(epoch).append(',').append(trainLoss);
        valid.values().forEach(v -> sb.append(',').append(v));
        return sb.append(',').append(String.format(Locale.ROOT, "%.3f", seconds))
                .append(',').append(String.format(Locale.ROOT, "%.1f", samplesPerSecond()))
                .append(',').append(learningRate).toString();
    }
}
