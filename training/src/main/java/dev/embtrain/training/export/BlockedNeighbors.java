package dev.embtrain.training.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.embtrain.models.shared.Cosine;
import dev.embtrain.models.shared.TopK;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The top-k cosine neighbours of many rows of one table at once: a block of query rows times the
 * whole row-normalised table in one matrix product (PyTorch's BLAS), the best {@code k +}
 * {@value #MARGIN} (plus the excluded rows) of each taken as candidates, and those rescored
 * exactly as {@link Neighbors#nearest} scores them ({@link Cosine#cosine}), so the answer is the
 * single-row search's whenever float rounding in the product does not push a true neighbour
 * below {@value #MARGIN} others: cosines within about 1e-6 of the k-th. Each query costs the
 * same O(N·D) multiply-adds as the single-row search, done by BLAS a block at a time.
 */
public final class BlockedNeighbors implements AutoCloseable {

    /** Candidates kept beyond k, against float rounding in the product. */
    static final int MARGIN = 16;

    /** Scores held at once: a block's queries × N floats. */
    private static final long BLOCK_CELLS = 1L << 24;

    private final float[][] vectors;
    private final List<String> labels;
    private final Set<Integer> exclude;
    private final NDManager manager;
    private final NDArray normalized;
    /** The normalised table transposed, D × N, made once for every block's product. */
    private final NDArray transposed;

    /**
     * Prepares the table: its rows normalised (a zero row stays zero).
     *
     * @param table the table
     * @param parent the manager the table's copy is made under
     */
    public BlockedNeighbors(Neighbors.Table table, NDManager parent) {
        this.vectors = table.vectors();
        this.labels = table.labels();
        this.exclude = table.exclude();
        this.manager = parent.newSubManager();
        int n = vectors.length;
        int d = vectors[0].length;
        float[] flat = new float[n * d];
        for (int i = 0; i < n; i++) {
            double norm = Cosine.norm(vectors[i]);
            for (int j = 0; j < d; j++) {
                flat[i * d + j] = norm > 0 ? (float) (vectors[i][j] / norm) : 0f;
            }
        }
        this.normalized = manager.create(flat, new Shape(n, d));
        this.transposed = normalized.transpose();
    }

    /**
     * Returns how many queries one block holds.
     *
     * @return at least 1
     */
    public int blockSize() {
        return (int) Math.max(1, Math.min(4096, BLOCK_CELLS / vectors.length));
    }

    /**
     * Finds the neighbours of a block of rows.
     *
     * @param queries row indices, at most {@link #blockSize()}
     * @param k neighbours each
     * @return per query, its neighbours best first, as {@link Neighbors#nearest} returns them
     */
    public List<List<Neighbors.Neighbor>> nearest(int[] queries, int k) {
        int n = vectors.length;
        int candidates = Math.min(n, k + MARGIN + exclude.size() + 1);
        long[] ids = new long[queries.length];
        for (int b = 0; b < queries.length; b++) {
            ids[b] = queries[b];
        }
        int[] found;
        try (NDManager m = manager.newSubManager()) {
            // An operation's result belongs to its input's manager (the table's, here): each is
            // moved into the block's manager, or a block's scores would live as long as the table.
            NDArray q = normalized.get(m.create(ids));
            q.attach(m);
            NDArray scores = q.matMul(transposed);
            scores.attach(m);
            NDList top = scores.topK(candidates, 1, true, false);
            top.attach(m);
            NDArray rows = top.get(1).toType(ai.djl.ndarray.types.DataType.INT32, false);
            rows.attach(m);
            found = rows.toIntArray();
        }
        List<List<Neighbors.Neighbor>> out = new ArrayList<>(queries.length);
        for (int b = 0; b < queries.length; b++) {
            int query = queries[b];
            int[] rows = Arrays.copyOfRange(found, b * candidates, (b + 1) * candidates);
            // Offered by row, as the single-row search offers them, so that ties go the same way.
            Arrays.sort(rows);
            float[] v = vectors[query];
            double norm = Cosine.norm(v);
            if (norm == 0) {
                // A zero row ties at cosine 0 with every row, which the product cannot order: the
                // single-row search takes the lowest rows.
                out.add(Neighbors.nearest(vectors, labels, query, k, exclude));
                continue;
            }
            TopK best = new TopK(Math.max(1, Math.min(k, n)));
            for (int r : rows) {
                if (r != query && !exclude.contains(r)) {
                    best.offer(r, Cosine.cosine(v, norm, vectors[r]));
                }
            }
            TopK.Result res = best.drainBestFirst();
            List<Neighbors.Neighbor> list = new ArrayList<>(res.indices().length);
            for (int j = 0; j < res.indices().length; j++) {
                list.add(new Neighbors.Neighbor(res.indices()[j], labels.get(res.indices()[j]), res.scores()[j]));
            }
            out.add(list);
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
