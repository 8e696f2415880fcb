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
            // Dot product and squared norm in one pass over the row: each row is read once.
            double dot = 0;
            double squared = 0;
            for (int j = 0; j < dim; j++) {
                double x = r[j];
                dot += query[j] * x;
                squared += x * x;
            }
            // Squares of floats cannot overflow a double, so a non-finite sum means a NaN or infinity.
            if (!Double.isFinite(squared)) {
                throw new IllegalArgumentException("row " + i + " holds a NaN or infinite value");
            }
            double cosine = 0;
            if (queryNorm > 0 && squared > 0) {
                // Rounding can push |cosine| of (anti)parallel rows just past 1.
                cosine = Math.max(-1, Math.min(1, dot / (queryNorm * Math.sqrt(squared))));
            }
            top.offer(i, cosine + 0.0); // + 0.0 turns -0.0 into 0.0
        }
        return top.drainBestFirst();
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
