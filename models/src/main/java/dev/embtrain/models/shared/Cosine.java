package dev.embtrain.models.shared;

/**
 * The rows of a table most cosine-similar to a query vector: the search behind
 * {@code embtrain neighbors} and every served neighbour request, in one place so that training
 * and an exported serving directory answer alike.
 */
public final class Cosine {

    private Cosine() {}

    /**
     * Returns the {@code k} rows nearest a query, best first; equal cosines by lower row.
     *
     * @param rows the table's rows, each as wide as the query
     * @param query the query vector
     * @param k how many, at least 1 (fewer when fewer rows are searched)
     * @param skip rows never returned (the unknown row, the query itself), or null
     * @return row indices and cosines, best first; a zero row or query scores 0
     * @throws IllegalArgumentException for a null or ragged row, or a NaN or infinite value
     */
    public static TopK.Result nearest(float[][] rows, float[] query, int k, boolean[] skip) {
        int dim = query.length;
        double queryNorm = Math.sqrt(dot(query, query));
        if (!Double.isFinite(queryNorm)) {
            throw new IllegalArgumentException("the query holds a NaN or infinite value");
        }
        TopK top = new TopK(Math.max(1, Math.min(k, rows.length)));
        for (int i = 0; i < rows.length; i++) {
            if (skip != null && skip[i]) {
                continue;
            }
            float[] r = rows[i];
            if (r == null) {
                throw new IllegalArgumentException("row " + i + " is null");
            }
            if (r.length != dim) {
                throw new IllegalArgumentException("row " + i + " has " + r.length + " values, expected " + dim
                        + " like the query row");
            }
            double cosine = cosine(query, queryNorm, r);
            // Squares of floats cannot overflow a double, so a NaN means a NaN or infinity in the row.
            if (Double.isNaN(cosine)) {
                throw new IllegalArgumentException("row " + i + " holds a NaN or infinite value");
            }
            top.offer(i, cosine);
        }
        return top.drainBestFirst();
    }

    /**
     * Returns the cosine of a query and a row exactly as {@link #nearest} scores it, so that a
     * search which picks candidates another way (a blocked matrix product) ranks them alike.
     *
     * @param query the query
     * @param queryNorm its norm, {@code sqrt(Σ query²)} in double
     * @param row a row as wide as the query
     * @return the cosine in [-1, 1]; 0 for a zero row or query; NaN when the row holds a NaN or
     *     an infinity
     */
    public static double cosine(float[] query, double queryNorm, float[] row) {
        // Dot product and squared norm in one pass over the row: each row is read once.
        double dot = 0;
        double squared = 0;
        for (int j = 0; j < query.length; j++) {
            double x = row[j];
            dot += query[j] * x;
            squared += x * x;
        }
        if (!Double.isFinite(squared)) {
            return Double.NaN;
        }
        if (queryNorm > 0 && squared > 0) {
            // Rounding can push |cosine| of (anti)parallel rows just past 1; + 0.0 turns -0.0 into 0.0.
            return Math.max(-1, Math.min(1, dot / (queryNorm * Math.sqrt(squared)))) + 0.0;
        }
        return 0;
    }

    /**
     * Returns a vector's norm as {@link #nearest} computes a query's.
     *
     * @param v the vector
     * @return {@code sqrt(Σ v²)}, summed in double
     */
    public static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }

    /**
     * Returns the mean of some rows, the query of a basket.
     *
     * @param rows the table
     * @param which the rows to average, at least one
     * @return their mean
     */
    public static float[] mean(float[][] rows, int[] which) {
        float[] out = new float[rows[which[0]].length];
        for (int i : which) {
            for (int j = 0; j < out.length; j++) {
                out[j] += rows[i][j];
            }
        }
        for (int j = 0; j < out.length; j++) {
            out[j] /= which.length;
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            sum += (double) a[j] * b[j];
        }
        return sum;
    }
}
