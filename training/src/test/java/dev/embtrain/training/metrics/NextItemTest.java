package dev.embtrain.training.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NextItemTest {

    // Row 0 is the unknown item; the queries are 1, 3 and 0 (unknown, a miss for every method).
    private static final int[] QUERIES = {1, 3, 0};
    private static final int[] TARGETS = {2, 4, 1};

    @Test
    void embeddingRanksByCosineWithoutTheQueryAndRowZero() {
        float[][] table = {{5, 5}, {1, 0}, {0.9f, 0.1f}, {0, 1}, {-1, 0}};
        // q=1: cosines 2 -> 0.994, 3 -> 0, 4 -> -1: [2, 3, 4], target 2 at rank 1.
        // q=3: cosines 1 -> 0, 2 -> 0.110, 4 -> 0: [2, 1, 4] (a tie goes to the lower index), target 4 at rank 3.
        NextItem.Scores s = NextItem.embedding(table, QUERIES, TARGETS);
        assertEquals(2.0 / 3, s.recall(), 1e-12);
        assertEquals((1 + 1.0 / 3) / 3, s.mrr(), 1e-12);
    }

    @Test
    void popularityRanksByTrainingCountWithoutTheQuery() {
        long[] counts = {0, 5, 3, 9, 1};
        // q=1: [3, 2, 4], target 2 at rank 2. q=3: [1, 2, 4], target 4 at rank 3.
        NextItem.Scores s = NextItem.popularity(counts, QUERIES, TARGETS);
        assertEquals(2.0 / 3, s.recall(), 1e-12);
        assertEquals((0.5 + 1.0 / 3) / 3, s.mrr(), 1e-12);
    }

    @Test
    void cooccurrenceRanksWhatDirectlyFollowedTheQuery() {
        int[][] sessions = {{1, 2, 1, 3}, {1, 3}, {3, 0, 4, 3}, {3, 3}};
        // After 1: 2 once, 3 twice -> [3, 2], target 2 at rank 2. After 3: 4 once (the unknown 0 is
        // skipped over; 3 -> 3 is the query itself) -> [4], target 4 at rank 1.
        NextItem.Scores s = NextItem.cooccurrence(sessions, 5, QUERIES, TARGETS);
        assertEquals(2.0 / 3, s.recall(), 1e-12);
        assertEquals((0.5 + 1) / 3, s.mrr(), 1e-12);
    }

    @Test
    void aTargetPastTheTenthPlaceIsAMiss() {
        long[] counts = new long[13];
        for (int i = 1; i < 13; i++) {
            counts[i] = 100 - i; // 1 is the most popular, 12 the least
        }
        // Query 1 leaves 2..11 as the top ten: target 11 is 10th, target 12 11th.
        NextItem.Scores s = NextItem.popularity(counts, new int[] {1, 1}, new int[] {11, 12});
        assertEquals(0.5, s.recall(), 1e-12);
        assertEquals(0.1 / 2, s.mrr(), 1e-12);
    }
}
