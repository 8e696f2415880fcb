package dev.embtrain.training.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RankingTest {
    /** Three queries: the target at rank 1, at rank 3, and missing. */
    private static final List<int[]> RANKED = List.of(new int[] {7, 8, 9}, new int[] {4, 5, 6}, new int[] {1, 2, 3});
    private static final int[] TARGETS = {7, 6, 9};

    @Test
    void recallAndMrrByHand() {
        assertEquals(2.0 / 3, Ranking.recallAt(RANKED, TARGETS, 3), 1e-15);
        assertEquals((1 + 1.0 / 3 + 0) / 3, Ranking.mrrAt(RANKED, TARGETS, 3), 1e-15);
        // k = 2 cuts the rank-3 hit.
        assertEquals(1.0 / 3, Ranking.recallAt(RANKED, TARGETS, 2), 1e-15);
        assertEquals(1.0 / 3, Ranking.mrrAt(RANKED, TARGETS, 2), 1e-15);
        // A list shorter than k is read as it is.
        assertEquals(2.0 / 3, Ranking.recallAt(RANKED, TARGETS, 50), 1e-15);
    }

    @Test
    void aNullListIsAMiss() {
        List<int[]> ranked = new ArrayList<>(RANKED);
        ranked.set(0, null);
        // Query 0 (a hit at rank 1) now has an unknown item: only the rank-3 hit is left.
        assertEquals(1.0 / 3, Ranking.recallAt(ranked, TARGETS, 3), 1e-15);
        assertEquals((1.0 / 3) / 3, Ranking.mrrAt(ranked, TARGETS, 3), 1e-15);
        List<int[]> none = Arrays.asList(null, null);
        assertEquals(0.0, Ranking.recallAt(none, new int[] {1, 2}, 5));
        assertEquals(0.0, Ranking.mrrAt(none, new int[] {1, 2}, 5));
    }

    @Test
    void onlyTheFirstOccurrenceCounts() {
        assertEquals(0.5, Ranking.mrrAt(List.<int[]>of(new int[] {3, 1, 1}), new int[] {1}, 3), 1e-15);
    }

    @Test
    void topKByHandWithATie() {
        float[][] v = {
            {0f, 0f},      // 0: unknown, a zero row
            {1f, 0f},      // 1: the query
            {0.6f, 0.8f},  // 2: 0.6
            {0.6f, -0.8f}, // 3: 0.6, tied with 2: the lower index first
            {0.8f, 0.6f},  // 4: 0.8
        };
        assertArrayEquals(new int[] {4, 2}, Ranking.topK(v, 1, 2, Set.of(0)));
        assertArrayEquals(new int[] {4, 2, 3}, Ranking.topK(v, 1, 3, Set.of(0)));
        assertArrayEquals(new int[] {4, 2, 3}, Ranking.topK(v, 1, 10, Set.of(0)));
        // Without the exclusion the zero row scores 0 and comes last.
        assertArrayEquals(new int[] {4, 2, 3, 0}, Ranking.topK(v, 1, 10, Set.of()));
        assertArrayEquals(new int[] {4}, Ranking.topK(v, 1, 1, Set.of(0, 2, 3)));
        // Query 2: 4 scores 0.48 + 0.48 = 0.96, 1 scores 0.6, 3 scores 0.36 - 0.64 = -0.28.
        assertArrayEquals(new int[] {4, 1, 3}, Ranking.topK(v, 2, 3, Set.of(0)));
    }

    @Test
    void topKMatchesASortOnRandomVectors() {
        SplittableRandom random = new SplittableRandom(4);
        float[][] raw = new float[300][8];
        for (float[] row : raw) {
            for (int d = 0; d < row.length; d++) {
                // Few distinct values, so many scores tie exactly.
                row[d] = random.nextInt(3) - 1;
            }
        }
        float[][] v = Ranking.normalizeRows(raw);
        for (int query : new int[] {1, 17, 299}) {
            for (int k : new int[] {1, 5, 40, 400}) {
                float[] q = v[query];
                List<Integer> all = new ArrayList<>();
                for (int i = 1; i < v.length; i++) {
                    if (i != query) {
                        all.add(i);
                    }
                }
                double[] score = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    for (int d = 0; d < q.length; d++) {
                        score[i] += (double) v[i][d] * q[d];
                    }
                }
                all.sort(Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparingInt(i -> i));
                int[] expected = all.subList(0, Math.min(k, all.size())).stream().mapToInt(Integer::intValue).toArray();
                assertArrayEquals(expected, Ranking.topK(v, query, k, Set.of(0)), "query " + query + ", k " + k);
            }
        }
    }

    @Test
    void normalizeRowsKeepsZeroRows() {
        float[][] n = Ranking.normalizeRows(new float[][] {{3f, 4f}, {0f, 0f}, {0f, -2f}});
        assertArrayEquals(new float[] {0.6f, 0.8f}, n[0], 1e-7f);
        assertArrayEquals(new float[] {0f, 0f}, n[1]);
        assertArrayEquals(new float[] {0f, -1f}, n[2]);
    }

    @Test
    void mostPopularWithATie() {
        long[] counts = {100, 5, 9, 5, 1};
        assertArrayEquals(new int[] {2, 1, 3}, Ranking.mostPopular(counts, 3, Set.of(0)));
        assertArrayEquals(new int[] {2, 1}, Ranking.mostPopular(counts, 2, Set.of(0)));
        assertArrayEquals(new int[] {2, 1, 3, 4}, Ranking.mostPopular(counts, 9, Set.of(0)));
        assertArrayEquals(new int[] {0, 2}, Ranking.mostPopular(counts, 2, Set.of()));
    }

    @Test
    void errorMessages() {
        assertEquals("k must be >= 1, found 0", assertThrows(IllegalArgumentException.class,
                () -> Ranking.recallAt(RANKED, TARGETS, 0)).getMessage());
        assertEquals("k must be >= 1, found -1", assertThrows(IllegalArgumentException.class,
                () -> Ranking.mrrAt(RANKED, TARGETS, -1)).getMessage());
        assertEquals("k must be >= 1, found 0", assertThrows(IllegalArgumentException.class,
                () -> Ranking.topK(new float[][] {{1f}}, 0, 0, Set.of())).getMessage());
        assertEquals("k must be >= 1, found 0", assertThrows(IllegalArgumentException.class,
                () -> Ranking.mostPopular(new long[] {1}, 0, Set.of())).getMessage());
        assertEquals("rankedLists has 3 entries but targets has 2", assertThrows(IllegalArgumentException.class,
                () -> Ranking.recallAt(RANKED, new int[] {1, 2}, 3)).getMessage());
        assertEquals("rankedLists has 3 entries but targets has 4", assertThrows(IllegalArgumentException.class,
                () -> Ranking.mrrAt(RANKED, new int[] {1, 2, 3, 4}, 3)).getMessage());
        assertEquals("rankedLists and targets are empty", assertThrows(IllegalArgumentException.class,
                () -> Ranking.recallAt(List.of(), new int[0], 3)).getMessage());
        assertEquals("normalizedVectors[2] has 3 entries but the query row has 2",
                assertThrows(IllegalArgumentException.class,
                        () -> Ranking.topK(new float[][] {{1f, 0f}, {0f, 1f}, {1f, 0f, 0f}}, 0, 2, Set.of())).getMessage());
        assertEquals("query 3 is out of range: normalizedVectors has 3 rows", assertThrows(IllegalArgumentException.class,
                () -> Ranking.topK(new float[3][2], 3, 2, Set.of())).getMessage());
        assertEquals("exclude is null; pass Set.of() to exclude nothing", assertThrows(IllegalArgumentException.class,
                () -> Ranking.mostPopular(new long[] {1}, 1, null)).getMessage());
    }
}
