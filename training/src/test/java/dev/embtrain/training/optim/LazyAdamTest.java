package dev.embtrain.training.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.tracker.Tracker;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LazyAdamTest {

    private static final int ROWS = 5;
    private static final int COLS = 3;

    private static LazyAdam lazy(boolean decoupled) {
        float[] beta1 = {0.9f, 0.8f, 0.85f, 0.9f, 0.95f};
        return new LazyAdam(Tracker.fixed(0.05f), n -> beta1[n - 1], 0.99f, 1e-5f, 0.1f, decoupled);
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
        LazyAdam lazy = lazy(decoupled);
        ScheduledAdam dense = dense(decoupled);
        float[] start = table(1);
        FloatBuffer sparse = FloatBuffer.wrap(start.clone());
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
        LazyAdam lazy = lazy(true);
        float[] start = table(3);
        FloatBuffer sparse = FloatBuffer.wrap(start.clone());
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
}
