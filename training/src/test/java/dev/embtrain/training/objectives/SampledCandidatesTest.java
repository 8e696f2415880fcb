package dev.embtrain.training.objectives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.types.Shape;
import dev.embtrain.models.EmbeddingBag;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SampledCandidates' shapes, validation metrics and refusal, on tables small enough to rank by hand. */
class SampledCandidatesTest {

    private static final SampledCandidates.Options SKIP_GRAM = new SampledCandidates.Options(
            EmbeddingBag.Mode.SKIP_GRAM, 2, 2, 0, 0.0, 0.75, false);

    /** Item i (1..13) at angle 10i degrees on the unit circle; row 0, the unknown slot, anywhere. */
    private static float[][] circle() {
        float[][] table = new float[14][];
        table[0] = new float[] {1, 0};
        for (int i = 1; i < 14; i++) {
            double a = Math.toRadians(10 * i);
            table[i] = new float[] {(float) Math.cos(a), (float) Math.sin(a)};
        }
        return table;
    }

    @Test
    void validatesRecallAndMrrAtTenByCosineAgainstTheItemTable() {
        long[] counts = new long[14];
        counts[1] = counts[2] = counts[3] = 1;
        // From item 1 (10 degrees) the others rank by angle: item k at rank k - 1, so target 3 is at
        // rank 2 (reciprocal 1/2) and target 13 at rank 12 (a miss); query 0 is unknown (a miss).
        try (SampledCandidates o = new SampledCandidates(new int[][] {{1, 2, 3}}, counts, SKIP_GRAM, 4, 1, 1L,
                SampledCandidatesTest::circle, new int[] {1, 1, 0}, new int[] {3, 13, 5})) {
            assertEquals(List.of("valid_recall_at_10", "valid_mrr_at_10"), o.metrics());
            Map<String, Double> m = o.validate(null);
            assertEquals(1.0 / 3, m.get("valid_recall_at_10"), 1e-12);
            assertEquals(0.5 / 3, m.get("valid_mrr_at_10"), 1e-12);
            // a batch of 4 centres, each with its context and 2 negatives
            assertArrayEquals(new Shape[] {new Shape(4), new Shape(4, 3)}, o.inputShapes());
        }
    }

    @Test
    void sessionsWithoutTwoKnownItemsAreRefused() {
        long[] counts = {0, 1};
        var e = assertThrows(IllegalStateException.class, () -> new SampledCandidates(new int[][] {{1}}, counts,
                SKIP_GRAM, 4, 1, 1L, () -> new float[2][2], new int[0], new int[0]));
        assertEquals("the training sessions give no skip-gram pairs: every session has fewer than two known items",
                e.getMessage());
    }
}
