package dev.embtrain.training.metrics;

import dev.embtrain.models.shared.TopK;
import java.util.List;
import java.util.Set;

/**
 * Next-item evaluation of item embeddings the way it is done with gensim: for each query item
 * (the item bought), rank the other items by cosine similarity (gensim's
 * {@code KeyedVectors.most_similar}, which leaves the query out) and ask whether the item
 * bought next is among the first k: Recall@k (the hit rate) and MRR@k.
 *
 * <p>Plain arrays in, so every number can be checked by hand. A query whose item the model
 * does not know has a null ranked list and counts as a miss, so a model is not rewarded for
 * dropping hard queries. Bad input (k &lt; 1, lists of different lengths, vectors of
 * different widths, NaN scores) is an {@link IllegalArgumentException} naming the value.
 */
public final class Ranking {
    private Ranking() {}

    /**
     * The fraction of queries whose target is among the first k of its ranked list; a
     * null list (an unknown query item) is a miss. A list shorter than k is read as it is.
     *
     * @throws IllegalArgumentException when k &lt; 1, the sizes differ, or there are no queries
     */
    public static double recallAt(List<int[]> rankedLists, int[] targets, int k) {
        checkQueries(rankedLists, targets, k);
        long hits = 0;
        for (int q = 0; q < targets.length; q++) {
            if (rank(rankedLists.get(q), targets[q], k) > 0) {
                hits++;
            }
        }
        return (double) hits / targets.length;
    }

    /**
     * The mean reciprocal rank cut at k: the mean over queries of 1 / rank of the target
     * (rank 1 = first) when it is within the first k of the list, else 0; a null list
     * counts 0. Only the target's first occurrence counts.
     *
     * @throws IllegalArgumentException when k &lt; 1, the sizes differ, or there are no queries
     */
    public static double mrrAt(List<int[]> rankedLists, int[] targets, int k) {
        checkQueries(rankedLists, targets, k);
        double sum = 0;
        for (int q = 0; q < targets.length; q++) {
            int r = rank(rankedLists.get(q), targets[q], k);
            if (r > 0) {
                sum += 1.0 / r;
            }
        }
        return sum / targets.length;
    }

    /**
     * The k rows most cosine-similar to row {@code query}, best first: by dot product over
     * rows already normalized ({@link #normalizeRows}), the query itself and {@code exclude}
     * (e.g. index 0, the unknown item) left out, equal scores in increasing index order.
     * O(n·d + n log k) with a bounded heap; dot products are summed in double, so ties are
     * exact ties. Fewer than k rows come back when fewer are left.
     *
     * @param exclude indices never returned; {@code Set.of()} for none
     * @throws IllegalArgumentException when k &lt; 1, the query is out of range, a row's width
     *     differs from the query's, or a score is NaN
     */
    public static int[] topK(float[][] normalizedVectors, int query, int k, Set<Integer> exclude) {
        if (normalizedVectors == null) {
            throw new IllegalArgumentException("normalizedVectors is null");
        }
        checkK(k);
        checkExclude(exclude);
        if (query < 0 || query >= normalizedVectors.length) {
            throw new IllegalArgumentException(
                    "query " + query + " is out of range: normalizedVectors has " + normalizedVectors.length + " rows");
        }
        float[] q = normalizedVectors[query];
        if (q == null) {
            throw new IllegalArgumentException("normalizedVectors[" + query + "] is null");
        }
        TopK heap = new TopK(k);
        for (int i = 0; i < normalizedVectors.length; i++) {
            if (i == query || exclude.contains(i)) {
                continue;
            }
            float[] row = normalizedVectors[i];
            if (row == null || row.length != q.length) {
                throw new IllegalArgumentException("normalizedVectors[" + i + "] has "
                        + (row == null ? "no" : String.valueOf(row.length)) + " entries but the query row has " + q.length);
            }
            double dot = 0;
            for (int d = 0; d < q.length; d++) {
                dot += (double) row[d] * q[d];
            }
            if (Double.isNaN(dot)) {
                throw new IllegalArgumentException("the score of row " + i + " against query " + query + " is NaN");
            }
            heap.offer(i, dot);
        }
        return heap.drainBestFirst().indices();
    }

    /**
     * A copy of the rows, each divided by its L2 norm (summed in double) so that dot products
     * are cosine similarities. A zero row stays zero (gensim divides it into NaNs), so it
     * scores 0 against every query.
     */
    public static float[][] normalizeRows(float[][] vectors) {
        if (vectors == null) {
            throw new IllegalArgumentException("vectors is null");
        }
        float[][] out = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            float[] row = vectors[i];
            if (row == null) {
                throw new IllegalArgumentException("vectors[" + i + "] is null");
            }
            double sq = 0;
            for (float v : row) {
                sq += (double) v * v;
            }
            double norm = Math.sqrt(sq);
            out[i] = new float[row.length];
            if (norm > 0) {
                for (int d = 0; d < row.length; d++) {
                    out[i][d] = (float) (row[d] / norm);
                }
            }
        }
        return out;
    }

    /**
     * The popularity baseline: the k indices of highest count, best first, equal counts in
     * increasing index order, {@code exclude} (e.g. index 0) left out. The same list answers
     * every query; a strong baseline on purchase data, which an embedding should beat.
     *
     * @throws IllegalArgumentException when k &lt; 1 or a count is negative
     */
    public static int[] mostPopular(long[] counts, int k, Set<Integer> exclude) {
        if (counts == null) {
            throw new IllegalArgumentException("counts is null");
        }
        checkK(k);
        checkExclude(exclude);
        TopK heap = new TopK(k);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new IllegalArgumentException("counts[" + i + "] must be >= 0, found " + counts[i]);
            }
            if (!exclude.contains(i)) {
                // Exact as a double up to 2^53, far beyond any count of purchases.
                heap.offer(i, counts[i]);
            }
        }
        return heap.drainBestFirst().indices();
    }

    /** The 1-based rank of the target's first occurrence within the first k, or 0. */
    private static int rank(int[] ranked, int target, int k) {
        if (ranked == null) {
            return 0;
        }
        int n = Math.min(k, ranked.length);
        for (int i = 0; i < n; i++) {
            if (ranked[i] == target) {
                return i + 1;
            }
        }
        return 0;
    }

    private static void checkQueries(List<int[]> rankedLists, int[] targets, int k) {
        if (rankedLists == null) {
            throw new IllegalArgumentException("rankedLists is null");
        }
        if (targets == null) {
            throw new IllegalArgumentException("targets is null");
        }
        checkK(k);
        if (rankedLists.size() != targets.length) {
            throw new IllegalArgumentException(
                    "rankedLists has " + rankedLists.size() + " entries but targets has " + targets.length);
        }
        if (targets.length == 0) {
            throw new IllegalArgumentException("rankedLists and targets are empty");
        }
    }

    private static void checkK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, found " + k);
        }
    }

    private static void checkExclude(Set<Integer> exclude) {
        if (exclude == null) {
            throw new IllegalArgumentException("exclude is null; pass Set.of() to exclude nothing");
        }
    }
}
