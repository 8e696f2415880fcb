package dev.embtrain.training.metrics;

import java.util.List;
import java.util.Set;

/**
 * Top-k ranking metrics for recommendations, each user's ranked list against the items held
 * out for that user (binary relevance), averaged over the users that have held-out items:
 * <ul>
 *   <li>Recall@k: held-out items in the top k / held-out items;</li>
 *   <li>HR@k (hit rate): 1 when any held-out item is in the top k;</li>
 *   <li>NDCG@k: DCG = Σ 1/log2(rank + 1) over the held-out items in the top k, divided by
 *       the DCG of a perfect list, min(held-out, k) hits at ranks 1, 2, ...;</li>
 *   <li>MRR@k: 1 / rank of the first held-out item in the top k, else 0.</li>
 * </ul>
 * With one held-out item a user (the NCF protocol), Recall@k equals HR@k.
 */
public final class UserRanking {
    private UserRanking() {}

    /**
     * Averages over users.
     *
     * @param recall mean Recall@k
     * @param hitRate mean HR@k
     * @param ndcg mean NDCG@k
     * @param mrr mean MRR@k
     * @param users users averaged over
     */
    public record Scores(double recall, double hitRate, double ndcg, double mrr, int users) {}

    /**
     * Scores ranked lists.
     *
     * @param ranked per user, items best first (only the first k are read)
     * @param relevant per user, the held-out items; users with none are skipped
     * @param k the cut-off
     * @return the means
     * @throws IllegalArgumentException when k &lt; 1, the sizes differ, or no user has a held-out item
     */
    public static Scores at(List<int[]> ranked, List<Set<Integer>> relevant, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, found " + k);
        }
        if (ranked.size() != relevant.size()) {
            throw new IllegalArgumentException(ranked.size() + " ranked lists but " + relevant.size()
                    + " sets of held-out items");
        }
        double recall = 0;
        double hits = 0;
        double ndcg = 0;
        double mrr = 0;
        int users = 0;
        for (int u = 0; u < ranked.size(); u++) {
            Set<Integer> rel = relevant.get(u);
            if (rel == null || rel.isEmpty()) {
                continue;
            }
            users++;
            int[] list = ranked.get(u);
            int found = 0;
            double dcg = 0;
            int first = 0;
            for (int r = 0; r < Math.min(k, list.length); r++) {
                if (rel.contains(list[r])) {
                    found++;
                    dcg += 1 / log2(r + 2);
                    if (first == 0) {
                        first = r + 1;
                    }
                }
            }
            double ideal = 0;
            for (int r = 0; r < Math.min(k, rel.size()); r++) {
                ideal += 1 / log2(r + 2);
            }
            recall += (double) found / rel.size();
            hits += found > 0 ? 1 : 0;
            ndcg += dcg / ideal;
            mrr += first > 0 ? 1.0 / first : 0;
        }
        if (users == 0) {
            throw new IllegalArgumentException("no user has a held-out item to rank");
        }
        return new Scores(recall / users, hits / users, ndcg / users, mrr / users, users);
    }

    /**
     * The rank of a held-out item among sampled negatives (the NCF protocol): 1 + the negatives
     * scored above it; a negative with the same score counts as above (no credit for ties).
     *
     * @param scores a score per item index
     * @param target the held-out item
     * @param negatives the sampled items
     * @return the rank, from 1
     */
    public static int sampledRank(float[] scores, int target, int[] negatives) {
        int rank = 1;
        for (int n : negatives) {
            if (scores[n] >= scores[target]) {
                rank++;
            }
        }
        return rank;
    }

    /**
     * Scores ranks of single held-out items: HR@k (= Recall@k) counts ranks within k, NDCG@k
     * is 1 / log2(rank + 1) within k, MRR@k is 1 / rank within k.
     *
     * @param ranks the held-out items' ranks, from 1
     * @param k the cut-off
     * @return the means over the ranks
     * @throws IllegalArgumentException when k &lt; 1 or there are no ranks
     */
    public static Scores ofRanks(int[] ranks, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, found " + k);
        }
        if (ranks.length == 0) {
            throw new IllegalArgumentException("no user has a held-out item to rank");
        }
        double hits = 0;
        double ndcg = 0;
        double mrr = 0;
        for (int r : ranks) {
            if (r <= k) {
                hits++;
                ndcg += 1 / log2(r + 1);
                mrr += 1.0 / r;
            }
        }
        int n = ranks.length;
        return new Scores(hits / n, hits / n, ndcg / n, mrr / n, n);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
