package dev.embtrain.training.plot;

import java.util.Arrays;

/**
 * Principal component analysis of the rows of a matrix, for drawing embeddings in two
 * dimensions as fastai does with the first principal components of its item factors.
 *
 * <p>Shapes: N = rows, D = width of a row, K = components kept. The covariance (D x D) is
 * decomposed exactly, by Householder reduction to tridiagonal form and the implicit QL
 * algorithm (EISPACK's {@code tred2}/{@code tql2}, as in JAMA), rather than by Jacobi
 * rotations or power iteration: cyclic Jacobi needs several sweeps of about 3 D^3 flops
 * each (by estimate, many seconds at D = 600), and power iteration converges slowly, and to
 * an arbitrary mixture, when two variances are close, as they often are for trained factors.
 * This decomposition took 0.7 s for D = 600 on one core; forming the covariance costs
 * N D^2 / 2 multiply-adds.
 */
public final class Pca {

    /**
     * The fitted projection. Arrays are the caller's to keep; a record of arrays compares by
     * identity, so compare fields with {@link Arrays#equals}.
     *
     * @param mean the column means (D), subtracted before projecting
     * @param components the principal axes (K x D), unit rows, largest variance first; each
     *     row's entry of largest magnitude is positive, so that refitting the same data gives
     *     the same picture rather than one mirrored at random
     * @param explainedVariance the sample variance (divided by N - 1) of the data along each
     *     component (K), equal to the covariance's eigenvalues
     * @param projected each row's centred coordinates on the components (N x K)
     */
    public record Result(double[] mean, double[][] components, double[] explainedVariance, double[][] projected) {}

    /** Sweeps of the QL iteration per eigenvalue before giving up; it needs 2 or 3 in practice. */
    private static final int MAX_QL_ITERATIONS = 60;

    private Pca() {}

    /**
     * Fits the first {@code components} principal components of {@code rows} (N x D) and
     * projects every row on them. All rows are used; leave out rows such as the unknown row 0
     * before calling.
     *
     * @throws IllegalArgumentException if there are fewer than 2 rows, rows differ in width,
     *     a value is not finite, or {@code components} is not in [1, D]
     */
    public static Result fit(float[][] rows, int components) {
        if (rows == null || rows.length < 2) {
            throw new IllegalArgumentException(
                    "PCA needs at least 2 rows, found " + (rows == null ? "null" : rows.length));
        }
        int n = rows.length;
        int d = width(rows);
        if (components < 1 || components > d) {
            throw new IllegalArgumentException(
                    "components must be in [1, " + d + "] (the width of a row), found " + components);
        }

        double[] mean = new double[d];
        for (float[] row : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }

        // Upper triangle only, row by row: cache-friendly, and half the work.
        double[][] cov = new double[d][d];
        double[] centred = new double[d];
        for (float[] row : rows) {
            for (int j = 0; j < d; j++) {
                centred[j] = row[j] - mean[j];
            }
            for (int j = 0; j < d; j++) {
                double cj = centred[j];
                if (cj == 0.0) {
                    continue;
                }
                double[] covRow = cov[j];
                for (int l = j; l < d; l++) {
                    covRow[l] += cj * centred[l];
                }
            }
        }
        for (int j = 0; j < d; j++) {
            for (int l = j; l < d; l++) {
                cov[j][l] /= n - 1;
                cov[l][j] = cov[j][l];
            }
        }

        double[] eigenvalues = new double[d];
        double[][] vectors = symmetricEigen(cov, eigenvalues);

        // Largest first; equal eigenvalues keep the solver's column order, so that data with
        // no spread along several axes (identical rows) gets e1, e2, ... rather than e_D first.
        Integer[] order = new Integer[d];
        for (int j = 0; j < d; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Double.compare(eigenvalues[b], eigenvalues[a]));
        double[][] axes = new double[components][d];
        double[] variance = new double[components];
        for (int c = 0; c < components; c++) {
            int col = order[c];
            // Rounding leaves about -1e-17 where a variance is zero; a negative variance
            // would only confuse a reader of the result.
            variance[c] = Math.max(0.0, eigenvalues[col]);
            int largest = 0;
            for (int j = 0; j < d; j++) {
                axes[c][j] = vectors[j][col];
                if (Math.abs(axes[c][j]) > Math.abs(axes[c][largest])) {
                    largest = j;
                }
            }
            if (axes[c][largest] < 0) {
                for (int j = 0; j < d; j++) {
                    axes[c][j] = -axes[c][j];
                }
            }
        }

        double[][] projected = new double[n][components];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centred[j] = rows[i][j] - mean[j];
            }
            for (int c = 0; c < components; c++) {
                double sum = 0.0;
                double[] axis = axes[c];
                for (int j = 0; j < d; j++) {
                    sum += axis[j] * centred[j];
                }
                projected[i][c] = sum;
            }
        }
        return new Result(mean, axes, variance, projected);
    }

    private static int width(float[][] rows) {
        if (rows[0] == null) {
            throw new IllegalArgumentException("row 0 is null");
        }
        int d = rows[0].length;
        for (int i = 0; i < rows.length; i++) {
            float[] row = rows[i];
            if (row == null) {
                throw new IllegalArgumentException("row " + i + " is null");
            }
            if (row.length != d) {
                throw new IllegalArgumentException(
                        "rows must have one width: row 0 has " + d + " values, row " + i + " has " + row.length);
            }
            for (int j = 0; j < d; j++) {
                if (!Float.isFinite(row[j])) {
                    throw new IllegalArgumentException("row " + i + ", column " + j + " is " + row[j]
                            + "; PCA needs finite values");
                }
            }
        }
        return d;
    }

    /**
     * Decomposes the symmetric matrix {@code a} (destroyed) into eigenvalues, written to
     * {@code values} in ascending order, and returns the orthonormal eigenvectors as the
     * columns of a D x D matrix. EISPACK's tred2 and tql2 (Bowdler, Martin, Reinsch and
     * Wilkinson, Handbook for Automatic Computation vol. II), as transcribed in JAMA.
     */
    static double[][] symmetricEigen(double[][] a, double[] values) {
        int n = a.length;
        double[][] v = a;
        double[] d = values;
        double[] e = new double[n];
        tred2(v, d, e);
        // The QL rotations combine two eigenvector columns at a time; held as rows of the
        // transpose they are two contiguous arrays, which makes the iteration several times
        // faster at D = 600 than striding down the columns.
        double[][] vt = transpose(v);
        tql2(vt, d, e);
        return transpose(vt);
    }

    private static double[][] transpose(double[][] m) {
        int n = m.length;
        double[][] t = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }

    /** Householder reduction to tridiagonal form; v holds the matrix on entry, the transform on exit. */
    private static void tred2(double[][] v, double[] d, double[] e) {
        int n = d.length;
        for (int j = 0; j < n; j++) {
            d[j] = v[n - 1][j];
        }
        for (int i = n - 1; i > 0; i--) {
            // Scaling avoids underflow and overflow in the Householder vector.
            double scale = 0.0;
            double h = 0.0;
            for (int k = 0; k < i; k++) {
                scale += Math.abs(d[k]);
            }
            if (scale == 0.0) {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++) {
                    d[j] = v[i - 1][j];
                    v[i][j] = 0.0;
                    v[j][i] = 0.0;
                }
            } else {
                for (int k = 0; k < i; k++) {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1];
                double g = Math.sqrt(h);
                if (f > 0) {
                    g = -g;
                }
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) {
                    e[j] = 0.0;
                }
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    v[j][i] = f;
                    g = e[j] + v[j][j] * f;
                    for (int k = j + 1; k <= i - 1; k++) {
                        g += v[k][j] * d[k];
                        e[k] += v[k][j] * f;
                    }
                    e[j] = g;
                }
                f = 0.0;
                for (int j = 0; j < i; j++) {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) {
                    e[j] -= hh * d[j];
                }
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    g = e[j];
                    for (int k = j; k <= i - 1; k++) {
                        v[k][j] -= (f * e[k] + g * d[k]);
                    }
                    d[j] = v[i - 1][j];
                    v[i][j] = 0.0;
                }
            }
            d[i] = h;
        }
        // Accumulate the transformations.
        for (int i = 0; i < n - 1; i++) {
            v[n - 1][i] = v[i][i];
            v[i][i] = 1.0;
            double h = d[i + 1];
            if (h != 0.0) {
                for (int k = 0; k <= i; k++) {
                    d[k] = v[k][i + 1] / h;
                }
                for (int j = 0; j <= i; j++) {
                    double g = 0.0;
                    for (int k = 0; k <= i; k++) {
                        g += v[k][i + 1] * v[k][j];
                    }
                    for (int k = 0; k <= i; k++) {
                        v[k][j] -= g * d[k];
                    }
                }
            }
            for (int k = 0; k <= i; k++) {
                v[k][i + 1] = 0.0;
            }
        }
        for (int j = 0; j < n; j++) {
            d[j] = v[n - 1][j];
            v[n - 1][j] = 0.0;
        }
        v[n - 1][n - 1] = 1.0;
        e[0] = 0.0;
    }

    /**
     * Implicit QL iteration on the tridiagonal (d, e), accumulating the rotations into the
     * eigenvectors held as the rows of {@code vt}; sorts ascending.
     */
    private static void tql2(double[][] vt, double[] d, double[] e) {
        int n = d.length;
        for (int i = 1; i < n; i++) {
            e[i - 1] = e[i];
        }
        e[n - 1] = 0.0;

        double f = 0.0;
        double tst1 = 0.0;
        double eps = Math.ulp(1.0);
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n) {
                if (Math.abs(e[m]) <= eps * tst1) {
                    break;
                }
                m++;
            }
            if (m > l) {
                int iterations = 0;
                do {
                    if (++iterations > MAX_QL_ITERATIONS) {
                        throw new IllegalStateException("PCA: the eigenvalue iteration did not converge for eigenvalue "
                                + l + " of " + n + " after " + MAX_QL_ITERATIONS + " sweeps");
                    }
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2.0 * e[l]);
                    double r = Math.hypot(p, 1.0);
                    if (p < 0) {
                        r = -r;
                    }
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) {
                        d[i] -= h;
                    }
                    f += h;

                    p = d[m];
                    double c = 1.0;
                    double c2 = c;
                    double c3 = c;
                    double el1 = e[l + 1];
                    double s = 0.0;
                    double s2 = 0.0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Math.hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        double[] vi = vt[i];
                        double[] vi1 = vt[i + 1];
                        for (int k = 0; k < n; k++) {
                            h = vi1[k];
                            vi1[k] = s * vi[k] + c * h;
                            vi[k] = c * vi[k] - s * h;
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0.0;
        }

        // Selection sort, ascending, moving eigenvector columns along.
        for (int i = 0; i < n - 1; i++) {
            int k = i;
            double p = d[i];
            for (int j = i + 1; j < n; j++) {
                if (d[j] < p) {
                    k = j;
                    p = d[j];
                }
            }
            if (k != i) {
                d[k] = d[i];
                d[i] = p;
                double[] t = vt[i];
                vt[i] = vt[k];
                vt[k] = t;
            }
        }
    }
}
