package dev.embtrain.training.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

class RowwiseAdagradTest {

    /**
     * Two steps on row 1 of a two-row table, lr 0.1, decoupled decay 0.5, eps 0, by hand:
     * step 1: s = (0.3² + 0.4²) / 2 = 0.125, lr / sqrt(s) = 0.2828427, w = [1, 2] · 0.95 −
     * 0.2828427 · [0.3, −0.4] = [0.8651472, 2.0131371]; step 2, same gradient: s = 0.25,
     * lr / sqrt(s) = 0.2, w = [0.8651472, 2.0131371] · 0.95 − 0.2 · [0.3, −0.4] =
     * [0.7618898, 1.9924802]. Row 0 and its accumulator stay as they were.
     */
    @Test
    void matchesHandComputation() {
        RowwiseAdagrad adagrad = new RowwiseAdagrad(Tracker.fixed(0.1f), 0f, 0.5f);
        TableRows w = TableRows.wrap(new float[] {7f, -7f, 1f, 2f});
        float[] g = {0.3f, -0.4f};
        adagrad.update("t", w, 2, 2, new int[] {1}, 1, g, 1);
        assertArrayEquals(new float[] {7f, -7f, 0.8651472f, 2.0131371f}, w.array(), 1e-6f);
        assertArrayEquals(new float[] {0f, 0.125f}, adagrad.accumulator("t"), 1e-7f);
        adagrad.update("t", w, 2, 2, new int[] {1}, 1, g, 2);
        assertArrayEquals(new float[] {7f, -7f, 0.7618898f, 1.9924802f}, w.array(), 1e-6f);
        assertArrayEquals(new float[] {0f, 0.25f}, adagrad.accumulator("t"), 1e-7f);
    }
}
