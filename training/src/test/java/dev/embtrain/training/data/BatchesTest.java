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

    @Test
    void denseValuesTravelWithTheirRowsThroughAShuffle() {
        // Row r has ids (r, 10r), dense (r/10, -r) and label r.
        float[] dense = new float[LABELS.length * 2];
        for (int r = 0; r < LABELS.length; r++) {
            dense[2 * r] = LABELS[r] / 10;
            dense[2 * r + 1] = -LABELS[r];
        }
        try (NDManager m = NDManager.newBaseManager();
                Batches b = new Batches(m, Device.cpu(), IDS, 2, dense, 2, LABELS)) {
            int rows = 0;
            var epoch = b.epoch(2, new SplittableRandom(7));
            while (epoch.hasNext()) {
                try (Batch batch = epoch.next()) {
                    assertEquals(2, batch.getData().size());
                    assertEquals(new Shape(batch.getSize(), 2), batch.getData().get(1).getShape());
                    long[] ids = batch.getData().head().toLongArray();
                    float[] d = batch.getData().get(1).toFloatArray();
                    float[] y = batch.getLabels().head().toFloatArray();
                    for (int r = 0; r < y.length; r++) {
                        assertEquals((long) y[r], ids[2 * r]);
                        assertEquals(y[r] / 10, d[2 * r], 1e-6f);
                        assertEquals(-y[r], d[2 * r + 1]);
                    }
                    rows += y.length;
                }
            }
            assertEquals(5, rows);
        }
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> {
            try (NDManager m = NDManager.newBaseManager()) {
                new Batches(m, Device.cpu(), IDS, 2, new float[3], 2, LABELS).close();
            }
        });
        assertEquals("dense values hold 3, expected 5 rows x 2 columns", e.getMessage());
    }
}
