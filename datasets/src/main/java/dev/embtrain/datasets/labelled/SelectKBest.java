package dev.embtrain.datasets.labelled;

import java.util.Arrays;

/**
 * Keeps the k columns with the largest univariate ANOVA F statistic between the two classes, as
 * scikit-learn's {@code SelectKBest(f_classif, k)}, fitted on the training rows only so that
 * validation and test rows cannot leak into the choice.
 *
 * <p>For a column x with classes c ∈ {0, 1} of n_c rows and means m_c, overall mean m and
 * n = n_0 + n_1: F = [Σ_c n_c (m_c − m)²] / [Σ_c Σ_{i∈c} (x_i − m_c)² / (n − 2)], computed in
 * double precision from the class means (two passes, no cancellation). A column that is
 * constant within both classes but differs between them has F = +∞; a constant column has
 * F = NaN, which ranks below every number (scikit-learn replaces NaN by the smallest float).
 * Ties go to the later column, as scikit-learn's stable argsort followed by taking the last k
 * does.
 */
public final class SelectKBest {
    private final int[] columns;
    private final double[] scores;

    private SelectKBest(int[] columns, double[] scores) {
        this.columns = columns;
        this.scores = scores;
    }

    /**
     * Computes F for every column over the given rows.
     *
     * @param x the rows' vectors, all of one width
     * @param labels 0 or 1 per row of x
     * @param rows the rows to use (the training split)
     * @return F per column
     * @throws IllegalArgumentException when a label is not 0 or 1, or either class has no row
     */
    public static double[] fClassif(float[][] x, int[] labels, int[] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("no rows to score");
        }
        int width = x[rows[0]].length;
        double[][] sums = new double[2][width];
        int[] n = new int[2];
        for (int r : rows) {
            int c = labels[r];
            if (c != 0 && c != 1) {
                throw new IllegalArgumentException("labels[" + r + "] must be 0 or 1, found " + c);
            }
            n[c]++;
            float[] v = x[r];
            for (int k = 0; k < width; k++) {
                sums[c][k] += v[k];
            }
        }
        if (n[0] == 0 || n[1] == 0) {
            throw new IllegalArgumentException("F needs both classes in the rows, found " + n[0] + " zeros and "
                    + n[1] + " ones");
        }
        double[][] means = new double[2][width];
        for (int c = 0; c < 2; c++) {
            for (int k = 0; k < width; k++) {
                means[c][k] = sums[c][k] / n[c];
            }
        }
        double[] within = new double[width];
        for (int r : rows) {
            double[] m = means[labels[r]];
            float[] v = x[r];
            for (int k = 0; k < width; k++) {
                double d = v[k] - m[k];
                within[k] += d * d;
            }
        }
        int total = n[0] + n[1];
        double[] f = new double[width];
        for (int k = 0; k < width; k++) {
            double mean = (sums[0][k] + sums[1][k]) / total;
            double d0 = means[0][k] - mean;
            double d1 = means[1][k] - mean;
            double between = n[0] * d0 * d0 + n[1] * d1 * d1;
            f[k] = between / (within[k] / (total - 2));
        }
        return f;
    }

    /**
     * Fits the selection on the training rows.
     *
     * @param x all rows' vectors
     * @param labels all rows' labels
     * @param trainRows the rows to fit on
     * @param k how many columns to keep, 1 to the width
     * @return the fitted selection
     */
    public static SelectKBest fit(float[][] x, int[] labels, int[] trainRows, int k) {
        double[] f = fClassif(x, labels, trainRows);
        if (k < 1 || k > f.length) {
            throw new IllegalArgumentException("k must be in [1, " + f.length + "], found " + k);
        }
        Integer[] order = new Integer[f.length];
        for (int i = 0; i < f.length; i++) {
            order[i] = i;
        }
        // Stable ascending sort with NaN lowest; the last k win, so ties favour later columns.
        Arrays.sort(order, (a, b) -> Double.compare(Double.isNaN(f[a]) ? Double.NEGATIVE_INFINITY : f[a],
                Double.isNaN(f[b]) ? Double.NEGATIVE_INFINITY : f[b]));
        int[] keep = new int[k];
        for (int i = 0; i < k; i++) {
            keep[i] = order[f.length - k + i];
        }
        Arrays.sort(keep);
        return new SelectKBest(keep, f);
    }

    /**
     * Returns the kept columns.
     *
     * @return column indices, ascending
     */
    public int[] columns() {
        return columns.clone();
    }

    /**
     * Returns every column's F on the training rows.
     *
     * @return F per column
     */
    public double[] scores() {
        return scores.clone();
    }

    /**
     * Keeps the selected columns of one vector.
     *
     * @param row a vector of the fitted width
     * @return the selected values, in column order
     */
    public float[] transform(float[] row) {
        if (row.length != scores.length) {
            throw new IllegalArgumentException("expected a vector of width " + scores.length + ", found " + row.length);
        }
        float[] out = new float[columns.length];
        for (int i = 0; i < columns.length; i++) {
            out[i] = row[columns[i]];
        }
        return out;
    }
}
