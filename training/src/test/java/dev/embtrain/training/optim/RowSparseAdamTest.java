package dev.embtrain.training.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RowSparseAdamTest {

    private static final int ROWS = 5;
    private static final int COLS = 3;

    private static RowSparseAdam lazy(boolean decoupled) {
        float[] beta1 = {0.9f, 0.8f, 0.85f, 0.9f, 0.95f};
        return new RowSparseAdam(Tracker.fixed(0.05f), n -> beta1[n - 1], 0.99f, 1e-5f, 0.1f, decoupled);
    }

    private static ScheduledAdam dense(boolean decoupled) {
        float[] beta1 = {0.9f, 0.8f, 0.85f, 0.9f, 0.95f};
        return ScheduledAdam.builder().setLearningRateTracker(Tracker.fixed(0.05f)).optBeta1(n -> beta1[n - 1])
                .optBeta2(0.99f).optEpsilon(1e-5f).optWeightDecays(0.1f).optDecoupledWeightDecay(decoupled).build();
    }

    private static float[] table(long seed) {
        Random random = new Random(seed);
        float[] w = new float[ROWS * COLS];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        return w;
    }

    /**
     * Rows touched at every step, handed over in a shuffled order, follow dense Adam(W) to 1e-6
     * over five steps with a scheduled beta1.
     */
    private static void equalsDenseAdamOnRowsTouchedEveryStep(boolean decoupled) {
        RowSparseAdam lazy = lazy(decoupled);
        ScheduledAdam dense = dense(decoupled);
        float[] start = table(1);
        TableRows sparse = TableRows.wrap(start.clone());
        Random random = new Random(2);
        int[] order = {3, 0, 4, 1, 2};
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(start.clone(), new Shape(ROWS, COLS));
            for (int t = 1; t <= 5; t++) {
                float[] g = new float[ROWS * COLS];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) random.nextGaussian();
                }
                dense.update("w", w, manager.create(g, new Shape(ROWS, COLS)));
                float[] byOrder = new float[g.length];
                for (int u = 0; u < ROWS; u++) {
                    System.arraycopy(g, order[u] * COLS, byOrder, u * COLS, COLS);
                }
                lazy.update("w", sparse, ROWS, COLS, order, ROWS, byOrder, t);
                assertArrayEquals(w.toFloatArray(), sparse.array(), 1e-6f, "after step " + t);
            }
        }
    }

    @Test
    void equalsDenseAdamWOnRowsTouchedAtEveryStep() {
        equalsDenseAdamOnRowsTouchedEveryStep(true);
    }

    @Test
    void equalsDenseAdamWithL2OnRowsTouchedAtEveryStep() {
        equalsDenseAdamOnRowsTouchedEveryStep(false);
    }

    /**
     * Rows a step does not name keep their weights and moments bit for bit; the rows it names get
     * dense Adam's update of the same rows (a one-row table of their own).
     */
    @Test
    void leavesUntouchedRowsBitIdentical() {
        RowSparseAdam lazy = lazy(true);
        float[] start = table(3);
        TableRows sparse = TableRows.wrap(start.clone());
        float[] g = {0.5f, -1f, 2f, 0.25f, 0f, -0.75f};
        lazy.update("w", sparse, ROWS, COLS, new int[] {3, 1, 99}, 2, g, 1);
        float[] after = sparse.array();
        for (int r : new int[] {0, 2, 4}) {
            for (int c = 0; c < COLS; c++) {
                assertEquals(Float.floatToRawIntBits(start[r * COLS + c]), Float.floatToRawIntBits(after[r * COLS + c]),
                        "row " + r + " changed");
                assertEquals(0f, lazy.moment("w", false)[r * COLS + c]);
                assertEquals(0f, lazy.moment("w", true)[r * COLS + c]);
            }
        }
        // Row 3 got the first gradient row: one dense Adam step of that row alone.
        ScheduledAdam dense = dense(true);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray row = manager.create(Arrays.copyOfRange(start, 3 * COLS, 4 * COLS));
            dense.update("r", row, manager.create(Arrays.copyOfRange(g, 0, COLS)));
            assertArrayEquals(row.toFloatArray(), Arrays.copyOfRange(after, 3 * COLS, 4 * COLS), 1e-6f);
        }
    }

    /**
     * Caught up, a table trains as dense AdamW does: rows skipped by some steps (every pattern from
     * every step to one in seven, and one row never touched), under a varying learning rate and
     * beta1, match dense AdamW with zero gradients on the skipped rows, each time a row is touched
     * and for every row after {@link RowSparseAdam#settle}. Beta1 is low so that the momentum
     * horizon is 41 steps and rows skipped longer take the other path. Eps is tiny, as the replayed
     * steps neglect it.
     */
    @Test
    void caughtUpEqualsDenseAdamWOnEveryRow() {
        int rows = 8;
        int cols = 4;
        int steps = 150;
        ParameterTracker lr = new ParameterTracker() {
            @Override
            public float getNewValue(String parameterId, int n) {
                return (float) (0.05 * (1 + 0.5 * Math.cos(n / 7.0)));
            }
        };
        Tracker beta1 = n -> (float) (0.4 + 0.1 * Math.sin(n));
        int horizon = SkippedSteps.horizon(0.5, 0.99);
        assertEquals(41, horizon); // ln(1e-12) / ln(0.5 / sqrt(0.99)) = 40.2
        RowSparseAdam sparse = new RowSparseAdam(lr, beta1, 0.99f, 1e-10f, 0.1f, true, horizon);
        ScheduledAdam dense = ScheduledAdam.builder().setLearningRateTracker(lr).optBeta1(beta1).optBeta2(0.99f)
                .optEpsilon(1e-10f).optWeightDecays(0.1f).optDecoupledWeightDecay(true).build();
        Random random = new Random(4);
        float[] start = new float[rows * cols];
        for (int i = 0; i < start.length; i++) {
            start[i] = (float) random.nextGaussian();
        }
        TableRows table = TableRows.wrap(start.clone());
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(start.clone(), new Shape(rows, cols));
            for (int t = 1; t <= steps; t++) {
                float[] g = new float[rows * cols];
                int[] touched = new int[rows];
                int count = 0;
                for (int r = rows - 1; r >= 0; r--) {
                    // Row r is named by one step in r + 1; row 6 by steps 71-79 only, so the
                    // settlement at 130 catches it up over 51 steps; row 7 by none.
                    boolean named = r == 7 ? false : r == 6 ? t > 70 && t < 80 : t % (r + 1) == 0;
                    if (named) {
                        touched[count++] = r;
                        for (int c = 0; c < cols; c++) {
                            g[r * cols + c] = (float) random.nextGaussian();
                        }
                    }
                }
                float[] byRow = new float[count * cols];
                for (int u = 0; u < count; u++) {
                    System.arraycopy(g, touched[u] * cols, byRow, u * cols, cols);
                }
                dense.update("w", w, manager.create(g, new Shape(rows, cols)));
                sparse.update("w", table, rows, cols, touched, count, byRow, t);
                float[] expected = w.toFloatArray();
                for (int u = 0; u < count; u++) {
                    int r = touched[u];
                    assertArrayEquals(Arrays.copyOfRange(expected, r * cols, r * cols + cols),
                            Arrays.copyOfRange(table.array(), r * cols, r * cols + cols), 1e-6f,
                            "row " + r + " at step " + t);
                }
                if (t == 130 || t == steps) {
                    sparse.settle("w", table, rows, cols);
                    assertArrayEquals(expected, table.array(), 1e-6f, "settled at step " + t);
                    assertArrayEquals(dense.moment("w", false), sparse.moment("w", false), 1e-6f);
                    assertArrayEquals(dense.moment("w", true), sparse.moment("w", true), 1e-6f);
                }
            }
        }
    }

    /** Lazy, a row no step names keeps its weights; caught up, it decays as dense AdamW's does. */
    @Test
    void aNeverTouchedRowDecaysOnlyWhenCaughtUp() {
        float[] start = {1f, -2f, 3f, 0.5f};
        for (int horizon : new int[] {0, 10}) {
            RowSparseAdam adam = new RowSparseAdam(Tracker.fixed(0.1f), Tracker.fixed(0.5f), 0.99f, 1e-5f, 0.2f,
                    true, horizon);
            TableRows table = TableRows.wrap(start.clone());
            for (int t = 1; t <= 5; t++) {
                adam.update("w", table, 2, 2, new int[] {0}, 1, new float[] {0.5f, 0.5f}, t);
            }
            adam.settle("w", table, 2, 2);
            // Five steps of w -= 0.1 * 0.2 * w, and no momentum: (1 - 0.02)^5 = 0.9039207968.
            float factor = horizon == 0 ? 1f : (float) Math.pow(0.98, 5);
            assertArrayEquals(new float[] {3f * factor, 0.5f * factor}, Arrays.copyOfRange(table.array(), 2, 4),
                    1e-6f, "horizon " + horizon);
        }
    }
}
