package dev.embtrain.datasets.labelled;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SelectKBestTest {

    /**
     * Column 0: class 0 has 1, 2, 3 (mean 2), class 1 has 4, 6 (mean 5); overall mean 16/5 = 3.2.
     * Between = 3·(2 − 3.2)² + 2·(5 − 3.2)² = 4.32 + 6.48 = 10.8; within = (1 + 0 + 1) + (1 + 1)
     * = 4 over n − 2 = 3 degrees of freedom; F = 10.8 / (4/3) = 8.1.
     * Column 1: 0, 0, 0 | 1, 1: within 0, between > 0, F = +∞.
     * Column 2: constant 5: F = NaN. Column 3: 1, 3, 2 | 2, 2: means 2 and 2, F = 0.
     * Row 5 (class 1, value 100 in column 0) is outside the training rows and must not count.
     */
    private static final float[][] X = {
        {1, 0, 5, 1}, {2, 0, 5, 3}, {3, 0, 5, 2}, {4, 1, 5, 2}, {6, 1, 5, 2}, {100, 0, 5, 9},
    };
    private static final int[] Y = {0, 0, 0, 1, 1, 1};
    private static final int[] TRAIN = {0, 1, 2, 3, 4};

    @Test
    void fMatchesHandComputedValues() {
        double[] f = SelectKBest.fClassif(X, Y, TRAIN);
        assertEquals(8.1, f[0], 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, f[1]);
        assertEquals(Double.NaN, f[2]);
        assertEquals(0.0, f[3], 0);
    }

    @Test
    void keepsTheTopKFittedOnTrainingRowsOnly() {
        SelectKBest s = SelectKBest.fit(X, Y, TRAIN, 2);
        assertArrayEquals(new int[] {0, 1}, s.columns());
        assertArrayEquals(new float[] {6, 1}, s.transform(X[4]));
        // NaN ranks below 0: with k = 3, the constant column is the one left out.
        assertArrayEquals(new int[] {0, 1, 3}, SelectKBest.fit(X, Y, TRAIN, 3).columns());
    }

    @Test
    void tiesGoToTheLaterColumnAsInScikitLearn() {
        float[][] x = {{1, 1, 0}, {2, 2, 1}, {5, 5, 0}, {6, 6, 2}};
        int[] y = {0, 0, 1, 1};
        assertArrayEquals(new int[] {1}, SelectKBest.fit(x, y, new int[] {0, 1, 2, 3}, 1).columns());
    }

    @Test
    void refusesBadInput() {
        assertEquals("k must be in [1, 4], found 5",
                assertThrows(IllegalArgumentException.class, () -> SelectKBest.fit(X, Y, TRAIN, 5)).getMessage());
        assertEquals("F needs both classes in the rows, found 3 zeros and 0 ones", assertThrows(
                IllegalArgumentException.class, () -> SelectKBest.fClassif(X, Y, new int[] {0, 1, 2})).getMessage());
        assertEquals("labels[1] must be 0 or 1, found 2", assertThrows(IllegalArgumentException.class,
                () -> SelectKBest.fClassif(X, new int[] {0, 2, 0, 1, 1, 1}, TRAIN)).getMessage());
    }
}
