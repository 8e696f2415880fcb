package dev.embtrain.training.labelled;

import dev.embtrain.datasets.labelled.SelectKBest;
import dev.embtrain.models.shared.Preprocessing;

/**
 * Fits a labelled run's {@link Preprocessing} (SelectKBest's columns, then standardisation) on
 * its training rows; the fitted record lives in models, where the serving translator applies it
 * exactly as training did.
 */
public final class Preprocess {

    private Preprocess() {}

    /**
     * Fits on the training rows.
     *
     * @param x every row's vector
     * @param labels every row's label
     * @param train the training rows
     * @param k SelectKBest's k, 0 for every column
     * @param standardize whether to standardise
     * @return the fitted preprocessing
     */
    public static Preprocessing fit(float[][] x, int[] labels, int[] train, int k, boolean standardize) {
        int raw = x[train[0]].length;
        int[] columns;
        if (k == 0 || k == raw) {
            columns = new int[raw];
            for (int i = 0; i < raw; i++) {
                columns[i] = i;
            }
        } else {
            if (k > raw) {
                throw new IllegalArgumentException("select_k_best is " + k + " but the vectors have " + raw
                        + " columns");
            }
            columns = SelectKBest.fit(x, labels, train, k).columns();
        }
        float[] mean = new float[columns.length];
        float[] std = new float[columns.length];
        java.util.Arrays.fill(std, 1f);
        if (standardize) {
            for (int j = 0; j < columns.length; j++) {
                int c = columns[j];
                double sum = 0;
                for (int r : train) {
                    sum += x[r][c];
                }
                double m = sum / train.length;
                double ss = 0;
                for (int r : train) {
                    double d = x[r][c] - m;
                    ss += d * d;
                }
                // Population deviation, as scikit-learn's StandardScaler.
                double s = Math.sqrt(ss / train.length);
                mean[j] = (float) m;
                std[j] = s > 0 ? (float) s : 1f;
            }
        }
        return new Preprocessing(raw, columns, mean, std);
    }
}
