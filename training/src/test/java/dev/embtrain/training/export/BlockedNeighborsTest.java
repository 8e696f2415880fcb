package dev.embtrain.training.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The blocked search answers every row as the single-row search does, ties and zero rows included. */
class BlockedNeighborsTest {

    @Test
    void everyRowsNeighboursEqualTheSingleRowSearch() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 3000;
        float[][] vectors = new float[n][16];
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 16; j++) {
                vectors[i][j] = (float) random.nextGaussian();
            }
            labels.add("r" + i);
        }
        // Ties: rows 10-14 are copies of row 9 (and one a multiple, the same direction); row 20 is zero.
        for (int i = 10; i < 15; i++) {
            for (int j = 0; j < 16; j++) {
                vectors[i][j] = vectors[9][j] * (i == 12 ? 3f : 1f);
            }
        }
        vectors[20] = new float[16];
        Neighbors.Table table = new Neighbors.Table("t", vectors, labels, Set.of(0));
        try (NDManager m = NDManager.newBaseManager(); BlockedNeighbors search = new BlockedNeighbors(table, m)) {
            int block = 257;
            for (int from = 1; from < n; from += block) {
                int[] queries = new int[Math.min(block, n - from)];
                for (int b = 0; b < queries.length; b++) {
                    queries[b] = from + b;
                }
                List<List<Neighbors.Neighbor>> got = search.nearest(queries, 8);
                for (int b = 0; b < queries.length; b++) {
                    assertEquals(Neighbors.nearest(vectors, labels, queries[b], 8, Set.of(0)), got.get(b),
                            "row " + queries[b]);
                }
            }
        }
    }
}
