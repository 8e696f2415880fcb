package dev.embtrain.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchesTest {

    private static final long[] IDS = {1, 10, 2, 20, 3, 30, 4, 40, 5, 50};
    private static final float[] LABELS = {1, 2, 3, 4, 5};

    @Test
    void inOrderBatchesSliceTheRowsWithASmallerLastOne() {
        try (NDManager m = NDManager.newBaseManager(); Batches b = new Batches(m, Device.cpu(), IDS, 2, LABELS)) {
            assertEquals(3, b.batchCount(2));
            List<float[]> labels = new ArrayList<>();
            var epoch = b.epoch(2, null);
            while (epoch.hasNext()) {
                try (Batch batch = epoch.next()) {
                    labels.add(batch.getLabels().head().toFloatArray());
                    assertEquals(new Shape(batch.getSize(), 2), batch.getData().head().getShape());
                }
            }
            assertArrayEquals(new float[] {1, 2}, labels.get(0));
            assertArrayEquals(new float[] {5}, labels.get(2));
        }
    }

    @Test
    void shuffledEpochsVisitEveryRowOnceWithIdsKeptWithTheirLabels() {
        try (NDManager m = NDManager.newBaseManager(); Batches b = new Batches(m, Device.cpu(), IDS, 2, LABELS)) {
            float[] seen = new float[0];
            var epoch = b.epoch(3, new SplittableRandom(7));
            while (epoch.hasNext()) {
                try (Batch batch = epoch.next()) {
                    long[] ids = batch.getData().head().toLongArray();
                    float[] y = batch.getLabels().head().toFloatArray();
                    for (int r = 0; r < y.length; r++) {
                        assertEquals((long) y[r], ids[2 * r]);
                        assertEquals(10L * (long) y[r], ids[2 * r + 1]);
                    }
                    float[] all = Arrays.copyOf(seen, seen.length + y.length);
                    System.arraycopy(y, 0, all, seen.length, y.length);
                    seen = all;
                }
            }
            assertFalse(Arrays.equals(LABELS, seen), "seed 7 should not leave 5 rows in order");
            Arrays.sort(seen);
            assertArrayEquals(LABELS, seen);
        }
    }

    @Test
    void permutationIsDeterministicForASeed() {
        assertArrayEquals(Batches.permutation(10, new SplittableRandom(1)), Batches.permutation(10, new SplittableRandom(1)));
        long[] p = Batches.permutation(10, new SplittableRandom(1));
        Arrays.sort(p);
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, p);
    }
}
