package dev.embtrain.training.export;

import dev.embtrain.training.metrics.TopK;
import dev.embtrain.training.text.EditDistance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Finds the nearest neighbours of one row of an embedding table by cosine similarity, the
 * quickest check that a trained table has learnt something ("the neighbours of Star Wars are
 * The Empire Strikes Back and Return of the Jedi").
 *
 * <p>Shapes: {@code vectors} is N × D (N rows of an embedding table, D = embedding width),
 * {@code labels} has N entries, one per row. Exact search, O(N·D) per query with a bounded heap
 * for the top k; 100 000 × 64 takes a few milliseconds.
 */
public final class Neighbors {

    /** How many close labels {@link #findLabel} suggests when nothing matches. */
    static final int SUGGESTIONS = 5;

    /**
     * One neighbour: its row index, its label and its cosine similarity to the query row, in
     * [-1, 1]; 0 when either row has zero norm.
     */
    public record Neighbor(int index, String label, double cosine) {}

    private Neighbors() {}

    /**
     * Returns the {@code k} rows most similar to row {@code query}, by descending cosine and,
     * among equal cosines, ascending index so that results are reproducible. The query row and
     * every index in {@code exclude} (e.g. the "unknown" row 0) are left out; fewer than
     * {@code k} neighbours are returned when fewer rows remain.
     *
     * <p>A zero-norm row (an embedding never updated, or the zero padding row) has cosine 0 to
     * everything rather than NaN, which would sort unpredictably.
     *
     * @throws IllegalArgumentException if {@code k <= 0}, {@code query} or an excluded index is
     *     out of range, the labels do not match the rows, the matrix is ragged, or a row used
     *     holds a NaN or infinite value
     */
    public static List<Neighbor> nearest(float[][] vectors, List<String> labels, int query, int k,
                                         Set<Integer> exclude) {
        Objects.requireNonNull(vectors, "vectors");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(exclude, "exclude");
        int n = vectors.length;
        if (labels.size() != n) {
            throw new IllegalArgumentException("there are " + labels.size() + " labels for " + n + " vectors");
        }
        if (query < 0 || query >= n) {
            throw new IllegalArgumentException("query must be a row index in [0, " + n + "), found " + query);
        }
        if (k <= 0) {
            throw new IllegalArgumentException("k must be > 0, found " + k);
        }
        boolean[] skip = new boolean[n];
        for (Integer e : exclude) {
            if (e == null || e < 0 || e >= n) {
                throw new IllegalArgumentException("excluded index must be in [0, " + n + "), found " + e);
            }
            skip[e] = true;
        }
        skip[query] = true;

        float[] q = row(vectors, query, -1);
        int dim = q.length;
        double queryNorm = Math.sqrt(dot(q, q));
        checkFinite(queryNorm, query);

        TopK top = new TopK(Math.min(k, n));
        for (int i = 0; i < n; i++) {
            if (skip[i]) {
                continue;
            }
            float[] r = row(vectors, i, dim);
            // Dot product and squared norm in one pass over the row: each row is read once.
            double dot = 0;
            double squared = 0;
            for (int j = 0; j < dim; j++) {
                double x = r[j];
                dot += q[j] * x;
                squared += x * x;
            }
            checkFinite(squared, i);
            double cosine = 0;
            if (queryNorm > 0 && squared > 0) {
                // Rounding can push |cosine| of (anti)parallel rows just past 1.
                cosine = Math.max(-1, Math.min(1, dot / (queryNorm * Math.sqrt(squared))));
            }
            top.offer(i, cosine + 0.0); // + 0.0 turns -0.0 into 0.0
        }

        TopK.Result best = top.drainBestFirst();
        List<Neighbor> result = new ArrayList<>(best.indices().length);
        for (int r = 0; r < best.indices().length; r++) {
            int i = best.indices()[r];
            result.add(new Neighbor(i, labels.get(i), best.scores()[r]));
        }
        return result;
    }

    /**
     * Returns the index of the first label equal to {@code query}, or failing that of the
     * first label equal to it ignoring case.
     *
     * @throws IllegalArgumentException if no label matches, suggesting up to five close labels
     */
    public static int findLabel(List<String> labels, String query) {
        return findLabel(labels, query, null);
    }

    /**
     * Like {@link #findLabel(List, String)}, naming {@code table} in the error message:
     * {@code no item labelled "Star Warz" in table item; closest labels: "Star Wars (1977)", ...}.
     * Suggestions are ranked by case-insensitive Levenshtein distance, then by label order.
     */
    public static int findLabel(List<String> labels, String query, String table) {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(query, "query");
        int exact = labels.indexOf(query);
        if (exact >= 0) {
            return exact;
        }
        for (int i = 0; i < labels.size(); i++) {
            if (query.equalsIgnoreCase(labels.get(i))) {
                return i;
            }
        }
        StringBuilder message = new StringBuilder("no item labelled \"").append(query).append('"');
        if (table != null) {
            message.append(" in table ").append(table);
        }
        List<Integer> closest = closest(labels, query, SUGGESTIONS);
        if (closest.isEmpty()) {
            message.append("; the table has no labels");
        } else {
            message.append("; closest labels: ");
            for (int s = 0; s < closest.size(); s++) {
                if (s > 0) {
                    message.append(", ");
                }
                message.append('"').append(labels.get(closest.get(s))).append('"');
            }
        }
        throw new IllegalArgumentException(message.toString());
    }

    /** Indices of the {@code limit} labels nearest to {@code query}, best first. */
    static List<Integer> closest(List<String> labels, String query, int limit) {
        String q = query.toLowerCase(Locale.ROOT);
        // Kept sorted by (distance, index); small enough that insertion is cheapest.
        List<int[]> best = new ArrayList<>(limit + 1);
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            if (label == null) {
                continue;
            }
            String candidate = label.toLowerCase(Locale.ROOT);
            int worst = best.size() < limit ? Integer.MAX_VALUE : best.get(limit - 1)[0];
            // The length difference is a lower bound on the distance, so most labels of a large
            // table are passed over without filling a table of q.length() × label.length().
            if (Math.abs(candidate.length() - q.length()) >= worst) {
                continue;
            }
            int d = EditDistance.levenshtein(q, candidate);
            if (d >= worst) {
                continue; // ties keep the earlier label
            }
            int at = best.size();
            while (at > 0 && best.get(at - 1)[0] > d) {
                at--;
            }
            best.add(at, new int[] {d, i});
            if (best.size() > limit) {
                best.remove(limit);
            }
        }
        List<Integer> indices = new ArrayList<>(best.size());
        for (int[] entry : best) {
            indices.add(entry[1]);
        }
        return indices;
    }


    private static float[] row(float[][] vectors, int i, int dim) {
        float[] r = vectors[i];
        if (r == null) {
            throw new IllegalArgumentException("row " + i + " is null");
        }
        if (dim >= 0 && r.length != dim) {
            throw new IllegalArgumentException("row " + i + " has " + r.length
                    + " values, expected " + dim + " like the query row");
        }
        return r;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            sum += (double) a[j] * b[j];
        }
        return sum;
    }

    /** Squares of floats cannot overflow a double, so a non-finite sum means a NaN or infinity. */
    private static void checkFinite(double squaredOrNorm, int i) {
        if (!Double.isFinite(squaredOrNorm)) {
            throw new IllegalArgumentException("row " + i + " holds a NaN or infinite value");
        }
    }
}
