package dev.embtrain.training.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserRankingTest {

    @Test
    void metricsOfASmallRankingByHand() {
        // User A holds out {2, 9}: 2 at rank 2, 9 not in the top 3.
        // User B holds out {5}: at rank 1.
        // User C holds out {7, 8, 1}: 7 at rank 3, 1 at rank 1.
        // User D holds out nothing: skipped.
        List<int[]> ranked = List.of(new int[] {4, 2, 6, 9}, new int[] {5, 1, 3}, new int[] {1, 4, 7}, new int[] {1});
        List<Set<Integer>> held = List.of(Set.of(2, 9), Set.of(5), Set.of(7, 8, 1), Set.of());
        UserRanking.Scores s = UserRanking.at(ranked, held, 3);
        assertEquals(3, s.users());
        // Recall@3: A 1/2, B 1, C 2/3.
        assertEquals((0.5 + 1 + 2.0 / 3) / 3, s.recall(), 1e-12);
        assertEquals(1.0, s.hitRate(), 1e-12);
        // NDCG@3: A (1/log2 3) / (1 + 1/log2 3); B 1; C (1 + 1/2) / (1 + 1/log2 3 + 1/2).
        double l3 = 1 / (Math.log(3) / Math.log(2));
        double expected = ((l3 / (1 + l3)) + 1 + (1.5 / (1 + l3 + 0.5))) / 3;
        assertEquals(expected, s.ndcg(), 1e-12);
        // MRR@3: A 1/2, B 1, C 1.
        assertEquals((0.5 + 1 + 1) / 3, s.mrr(), 1e-12);

        // At k = 1 only the first item counts.
        UserRanking.Scores one = UserRanking.at(ranked, held, 1);
        assertEquals((0 + 1 + 1.0 / 3) / 3, one.recall(), 1e-12);
        assertEquals(2.0 / 3, one.hitRate(), 1e-12);
        assertEquals(2.0 / 3, one.ndcg(), 1e-12);
        assertEquals(2.0 / 3, one.mrr(), 1e-12);
    }

    @Test
    void badInputIsNamed() {
        assertEquals("k must be >= 1, found 0", assertThrows(IllegalArgumentException.class,
                () -> UserRanking.at(List.of(new int[] {1}), List.of(Set.of(1)), 0)).getMessage());
        assertEquals("no user has a held-out item to rank", assertThrows(IllegalArgumentException.class,
                () -> UserRanking.at(List.of(new int[] {1}), List.of(Set.of()), 5)).getMessage());
        assertEquals("1 ranked lists but 2 sets of held-out items", assertThrows(IllegalArgumentException.class,
                () -> UserRanking.at(List.of(new int[] {1}), List.of(Set.of(1), Set.of(2)), 5)).getMessage());
    }

    @Test
    void theSampledProtocolByHand() {
        // Item 3 scores 0.5; of the negatives 1 (0.9), 2 (0.5, a tie counts above) and 4 (0.1),
        // two are at or above it: rank 3.
        float[] scores = {0f, 0.9f, 0.5f, 0.5f, 0.1f};
        assertEquals(3, UserRanking.sampledRank(scores, 3, new int[] {1, 2, 4}));
        assertEquals(1, UserRanking.sampledRank(scores, 1, new int[] {2, 3, 4}));
        // Ranks 1, 3 and 12 at k = 10: HR 2/3, NDCG (1 + 1/2) / 3, MRR (1 + 1/3) / 3.
        UserRanking.Scores s = UserRanking.ofRanks(new int[] {1, 3, 12}, 10);
        assertEquals(2.0 / 3, s.hitRate(), 1e-12);
        assertEquals(2.0 / 3, s.recall(), 1e-12);
        assertEquals(1.5 / 3, s.ndcg(), 1e-12);
        assertEquals((1 + 1.0 / 3) / 3, s.mrr(), 1e-12);
        assertEquals(3, s.users());
    }
}
