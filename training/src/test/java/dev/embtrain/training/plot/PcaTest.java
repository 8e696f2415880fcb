package dev.embtrain.training.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PcaTest {

    private static final double EPS = 1e-12;

    @Test
    void axisAlignedExampleMatchesHandComputation() {
        // Mean 0; covariance diag(8, 2) / 3: x has 2^2 + 2^2 = 8, y has 1 + 1 = 2, over n - 1 = 3.
        float[][] rows = {{2, 0}, {0, 1}, {-2, 0}, {0, -1}};
        Pca.Result r = Pca.fit(rows, 2);
        assertArrayEquals(new double[] {0, 0}, r.mean(), EPS);
        assertArrayEquals(new double[] {8.0 / 3, 2.0 / 3}, r.explainedVariance(), EPS);
        assertArrayEquals(new double[] {1, 0}, r.components()[0], EPS);
        assertArrayEquals(new double[] {0, 1}, r.components()[1], EPS);
        double[][] expected = {{2, 0}, {0, 1}, {-2, 0}, {0, -1}};
        for (int i = 0; i < rows.length; i++) {
            assertArrayEquals(expected[i], r.projected()[i], EPS, "row " + i);
        }
    }

    @Test
    void rotatedAndShiftedExampleMatchesHandComputation() {
        // The example above turned by the angle with cos 0.8, sin 0.6 and moved by (10, -5):
        // (2, 0) goes to (1.6, 1.2) and (0, 1) to (-0.6, 0.8). The axes turn with the data,
        // (0.8, 0.6) and (-0.6, 0.8), whose largest entries are already positive; the
        // variances and the projections are those of the unrotated example.
        float[][] rows = {{11.6f, -3.8f}, {9.4f, -4.2f}, {8.4f, -6.2f}, {10.6f, -5.8f}};
        Pca.Result r = Pca.fit(rows, 2);
        double tol = 1e-5; // the rows are floats: 11.6f is 11.6 to 4e-7
        assertArrayEquals(new double[] {10, -5}, r.mean(), tol);
        assertArrayEquals(new double[] {8.0 / 3, 2.0 / 3}, r.explainedVariance(), tol);
        assertArrayEquals(new double[] {0.8, 0.6}, r.components()[0], tol);
        assertArrayEquals(new double[] {-0.6, 0.8}, r.components()[1], tol);
        double[][] expected = {{2, 0}, {0, 1}, {-2, 0}, {0, -1}};
        for (int i = 0; i < rows.length; i++) {
            assertArrayEquals(expected[i], r.projected()[i], tol, "row " + i);
        }
    }

    @Test
    void signMakesTheLargestEntryPositive() {
        // Variance only along (0, -3, 4) / 5 up to sign; the entry of largest magnitude is 4/5.
        float[][] rows = {{1, -3, 4}, {1, 3, -4}, {1, 0, 0}};
        Pca.Result r = Pca.fit(rows, 1);
        assertArrayEquals(new double[] {0, -0.6, 0.8}, r.components()[0], 1e-7);
        assertArrayEquals(new double[] {50.0 / 2}, r.explainedVariance(), 1e-5);
        assertArrayEquals(new double[] {5}, r.projected()[0], 1e-6);
        assertArrayEquals(new double[] {-5}, r.projected()[1], 1e-6);
        assertArrayEquals(new double[] {0}, r.projected()[2], 1e-6);
    }

    @Test
    void fullRankProjectionIsOrthonormalAndReproducesCentredData() {
        float[][] rows = {{1, 2, 3}, {4, 0, -1}, {2, 2, 2}, {-3, 1, 0}, {0, -2, 5}, {1, 1, -4}};
        Pca.Result r = Pca.fit(rows, 3);
        double[][] c = r.components();
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                assertEquals(a == b ? 1.0 : 0.0, dot(c[a], c[b]), 1e-12, "components " + a + ", " + b);
            }
        }
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < 3; j++) {
                double back = 0;
                for (int k = 0; k < 3; k++) {
                    back += r.projected()[i][k] * c[k][j];
                }
                assertEquals(rows[i][j] - r.mean()[j], back, 1e-12, "row " + i + ", column " + j);
            }
        }
        double[] v = r.explainedVariance();
        assertTrue(v[0] >= v[1] && v[1] >= v[2], "variances descend: " + java.util.Arrays.toString(v));
        // A rotation keeps the total variance: the trace of the covariance.
        double trace = 0;
        for (int j = 0; j < 3; j++) {
            double sum = 0;
            for (float[] row : rows) {
                sum += (row[j] - r.mean()[j]) * (row[j] - r.mean()[j]);
            }
            trace += sum / (rows.length - 1);
        }
        assertEquals(trace, v[0] + v[1] + v[2], 1e-12);
        // Each component's variance is the sample variance of the projections on it.
        for (int k = 0; k < 3; k++) {
            double sum = 0;
            for (double[] p : r.projected()) {
                sum += p[k] * p[k];
            }
            assertEquals(v[k], sum / (rows.length - 1), 1e-12, "component " + k);
        }
    }

    @Test
    void eigenSolverSatisfiesTheEigenEquationsOnAWideRandomMatrix() {
        // Wider than any test above, with a planted spread of variances, to exercise the
        // Householder and QL code paths a 2 x 2 or 3 x 3 case never reaches.
        int n = 300;
        int d = 120;
        Random random = new Random(7);
        float[][] rows = new float[n][d];
        for (float[] row : rows) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) (random.nextGaussian() * (1 + j % 7) + 0.1 * j);
            }
        }
        Pca.Result r = Pca.fit(rows, 5);
        double[][] cov = covariance(rows, r.mean());
        for (int k = 0; k < 5; k++) {
            double[] axis = r.components()[k];
            double[] cv = multiply(cov, axis);
            double residual = 0;
            for (int j = 0; j < d; j++) {
                residual = Math.max(residual, Math.abs(cv[j] - r.explainedVariance()[k] * axis[j]));
            }
            assertTrue(residual < 1e-9, "component " + k + ": |C v - lambda v| = " + residual);
            assertEquals(1.0, dot(axis, axis), 1e-12);
            int largest = 0;
            for (int j = 0; j < d; j++) {
                if (Math.abs(axis[j]) > Math.abs(axis[largest])) {
                    largest = j;
                }
            }
            assertTrue(axis[largest] > 0, "component " + k + " sign");
        }
        // The first variance is the largest along any direction, the axes included.
        for (int j = 0; j < d; j++) {
            assertTrue(cov[j][j] <= r.explainedVariance()[0] + 1e-9, "column " + j);
        }
        for (int k = 1; k < 5; k++) {
            assertTrue(r.explainedVariance()[k - 1] >= r.explainedVariance()[k]);
        }
    }

    @Test
    void identicalRowsHaveZeroVarianceAndDeterministicAxes() {
        float[][] rows = {{1, 2}, {1, 2}, {1, 2}};
        Pca.Result r = Pca.fit(rows, 2);
        assertArrayEquals(new double[] {0, 0}, r.explainedVariance(), 0.0);
        assertArrayEquals(new double[] {1, 0}, r.components()[0], 0.0);
        assertArrayEquals(new double[] {0, 1}, r.components()[1], 0.0);
    }

    @Test
    void fitsASixHundredWideTableQuickly() {
        int n = 800;
        int d = 600;
        Random random = new Random(3);
        float[][] rows = new float[n][d];
        for (float[] row : rows) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        long start = System.nanoTime();
        Pca.Result r = Pca.fit(rows, 2);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(2, r.components().length);
        assertEquals(n, r.projected().length);
        // A guard against an accidentally cubic-per-row method, not a benchmark: ~1 s here, CI machines vary 10x.
        assertTrue(seconds < 30, "took " + seconds + " s");
    }

    @Test
    void rejectsBadInputNamingTheValues() {
        assertEquals("PCA needs at least 2 rows, found 1",
                assertThrows(IllegalArgumentException.class, () -> Pca.fit(new float[][] {{1, 2}}, 1)).getMessage());
        assertEquals("PCA needs at least 2 rows, found null",
                assertThrows(IllegalArgumentException.class, () -> Pca.fit(null, 1)).getMessage());
        float[][] two = {{1, 2}, {3, 4}};
        assertEquals("components must be in [1, 2] (the width of a row), found 0",
                assertThrows(IllegalArgumentException.class, () -> Pca.fit(two, 0)).getMessage());
        assertEquals("components must be in [1, 2] (the width of a row), found 3",
                assertThrows(IllegalArgumentException.class, () -> Pca.fit(two, 3)).getMessage());
        assertEquals("rows must have one width: row 0 has 2 values, row 1 has 3",
                assertThrows(IllegalArgumentException.class,
                        () -> Pca.fit(new float[][] {{1, 2}, {3, 4, 5}}, 1)).getMessage());
        assertEquals("row 1, column 0 is NaN; PCA needs finite values",
                assertThrows(IllegalArgumentException.class,
                        () -> Pca.fit(new float[][] {{1, 2}, {Float.NaN, 4}}, 1)).getMessage());
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[][] covariance(float[][] rows, double[] mean) {
        int d = mean.length;
        double[][] cov = new double[d][d];
        for (float[] row : rows) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cov[a][b] += (row[a] - mean[a]) * (row[b] - mean[b]);
                }
            }
        }
        for (double[] c : cov) {
            for (int b = 0; b < d; b++) {
                c[b] /= rows.length - 1;
            }
        }
        return cov;
    }

    private static double[] multiply(double[][] m, double[] v) {
        double[] out = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = dot(m[i], v);
        }
        return out;
    }
}
