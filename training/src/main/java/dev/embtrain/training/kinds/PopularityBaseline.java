package dev.embtrain.training.kinds;

import dev.embtrain.datasets.features.FeatureSchema;
import dev.embtrain.training.metrics.BinaryMetrics;

/**
 * The popularity baselines a binary model's validation AUC is read against: score each
 * validation row by its item's positive rate in the training split, or by the item's number
 * of training ratings. An item unseen in training (vocabulary index 0) gets the overall positive
 * rate and a count of 0.
 */
public final class PopularityBaseline {

    private PopularityBaseline() {}

    /**
     * Returns the validation AUC of both baselines.
     *
     * @param data the data, with a binary label
     * @return {@code {auc by positive rate, auc by rating count}}
     */
    public static double[] auc(RatingsData data) {
        FeatureSchema schema = data.schema();
        int column = schema.column("item").start();
        int width = schema.idWidth();
        int items = schema.column("item").size();
        return auc(data.train().ids(), data.train().labels(), data.valid().ids(), data.valid().labels(), column, width,
                items);
    }

    /**
     * Returns the validation AUC of both baselines from encoded ids.
     *
     * @param trainIds training ids, row-major {@code [rows, width]}
     * @param trainLabels training labels, 0/1
     * @param validIds validation ids
     * @param validLabels validation labels, 0/1
     * @param column the item's column
     * @param width F
     * @param items rows of the item vocabulary
     * @return {@code {auc by positive rate, auc by rating count}}
     */
    static double[] auc(long[] trainIds, float[] trainLabels, long[] validIds, float[] validLabels, int column,
            int width, int items) {
        double[] positives = new double[items];
        double[] counts = new double[items];
        double allPositives = 0;
        for (int r = 0; r < trainLabels.length; r++) {
            int item = (int) trainIds[r * width + column];
            counts[item]++;
            positives[item] += trainLabels[r];
            allPositives += trainLabels[r];
        }
        double overall = allPositives / trainLabels.length;
        double[] byRate = new double[validLabels.length];
        double[] byCount = new double[validLabels.length];
        int[] y = new int[validLabels.length];
        for (int r = 0; r < validLabels.length; r++) {
            int item = (int) validIds[r * width + column];
            byRate[r] = item == 0 || counts[item] == 0 ? overall : positives[item] / counts[item];
            byCount[r] = item == 0 ? 0 : counts[item];
            y[r] = validLabels[r] >= 0.5f ? 1 : 0;
        }
        return new double[] {BinaryMetrics.auc(byRate, y), BinaryMetrics.auc(byCount, y)};
    }
}
