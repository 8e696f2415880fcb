package dev.embtrain.training.metrics;

import dev.embtrain.models.shared.TopK;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Next-item evaluation of item2vec and its two baselines on the same (query, target) pairs:
 * Recall@k (the target among the k items ranked first for the query) and MRR@k. A query of
 * index 0 (not in the vocabulary) is a miss for every method; index 0 is never ranked, and the
 * query itself is never ranked (gensim's {@code most_similar} leaves it out too).
 */
public final class NextItem {

    /** The cut-off of the reported metrics. */
    public static final int K = 10;

    /**
     * Recall@k and MRR@k of one method.
     *
     * @param recall Recall@k
     * @param mrr MRR@k
     */
    public record Scores(double recall, double mrr) {}

    private NextItem() {}

    /**
     * Ranks by cosine similarity of rows of an embedding table to the query's row.
     *
     * @param table the table, row i for vocabulary index i
     * @param queries the queries
     * @param targets the targets
     * @return the scores
     */
    public static Scores embedding(float[][] table, int[] queries, int[] targets) {
        float[][] normalized = Ranking.normalizeRows(table);
        List<int[]> ranked = new ArrayList<>(queries.length);
        for (int q : queries) {
            ranked.add(q == 0 ? null : Ranking.topK(normalized, q, K, Set.of(0)));
        }
        return score(ranked, targets);
    }

    /**
     * Ranks every query's candidates by how often they occur in training: the same list for every
     * query, less the query itself.
     *
     * @param counts per vocabulary index, occurrences in training
     * @param queries the queries
     * @param targets the targets
     * @return the scores
     */
    public static Scores popularity(long[] counts, int[] queries, int[] targets) {
        List<int[]> ranked = new ArrayList<>(queries.length);
        for (int q : queries) {
            ranked.add(q == 0 ? null : Ranking.mostPopular(counts, K, Set.of(0, q)));
        }
        return score(ranked, targets);
    }

    /**
     * Ranks the items that directly followed the query in the training sessions by how often they
     * did, ties by lower index (fewer than k when fewer items ever followed it).
     *
     * @param sessions the training sessions as vocabulary indices (0s are skipped over)
     * @param vocabularySize rows of the vocabulary
     * @param queries the queries
     * @param targets the targets
     * @return the scores
     */
    public static Scores cooccurrence(int[][] sessions, int vocabularySize, int[] queries, int[] targets) {
        boolean[] asked = new boolean[vocabularySize];
        for (int q : queries) {
            asked[q] = true;
        }
        asked[0] = false;
        Map<Integer, Map<Integer, Long>> followers = new HashMap<>();
        for (int[] session : sessions) {
            int previous = 0;
            for (int item : session) {
                if (item == 0) {
                    continue;
                }
                if (previous != 0 && asked[previous]) {
                    followers.computeIfAbsent(previous, k -> new HashMap<>()).merge(item, 1L, Long::sum);
                }
                previous = item;
            }
        }
        List<int[]> ranked = new ArrayList<>(queries.length);
        for (int q : queries) {
            Map<Integer, Long> next = followers.get(q);
            if (q == 0 || next == null) {
                ranked.add(null);
                continue;
            }
            TopK top = new TopK(K);
            next.forEach((item, n) -> {
                if (item != q) {
                    top.offer(item, n);
                }
            });
            ranked.add(top.drainBestFirst().indices());
        }
        return score(ranked, targets);
    }

    private static Scores score(List<int[]> ranked, int[] targets) {
        return new Scores(Ranking.recallAt(ranked, targets, K), Ranking.mrrAt(ranked, targets, K));
    }
}
