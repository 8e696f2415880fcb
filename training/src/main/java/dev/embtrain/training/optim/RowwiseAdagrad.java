package dev.embtrain.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.training.tracker.ParameterTracker;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Row-wise Adagrad, the optimizer PyTorch-BigGraph and torchrec's fused embedding kernels use for
 * large tables: one accumulator per row, not per value, so a table of 10^8 rows × 64 needs 400 MB
 * of state instead of Adam's 51 GB. For each touched row r with gradient g_r of width D:
 *
 * <pre>
 *   s_r += mean(g_r²)                      (over the D values)
 *   w_r  = w_r · (1 − lr·wd) − lr · g_r / (sqrt(s_r) + eps)
 * </pre>
 *
 * Weight decay is decoupled and, like every row-sparse update, applies to touched rows only.
 * Untouched rows and their accumulators stay bit-identical.
 */
public final class RowwiseAdagrad implements RowOptimizer {

    private final ParameterTracker learningRate;
    private final float epsilon;
    private final float weightDecay;
    private final Map<String, float[]> sums = new ConcurrentHashMap<>();
    private float[] row = new float[0];

    /**
     * Creates the optimizer.
     *
     * @param learningRate the schedule
     * @param epsilon added to the root of the accumulator
     * @param weightDecay decoupled decay of touched rows
     */
    public RowwiseAdagrad(ParameterTracker learningRate, float epsilon, float weightDecay) {
        this.learningRate = learningRate;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    /** {@inheritDoc} */
    @Override
    public void update(String tableId, TableRows weights, long rowCount, int cols, int[] rows, int count,
            float[] grad, int t) {
        float lr = learningRate.getNewValue(tableId, t);
        if (!Float.isFinite(lr)) {
            throw new IllegalStateException("learning rate is not finite: lr=" + lr);
        }
        float[] s = sums.computeIfAbsent(tableId, k -> new float[Math.toIntExact(rowCount)]);
        float decay = 1f - lr * weightDecay;
        if (row.length < cols) {
            row = new float[cols];
        }
        float[] w = row;
        for (int u = 0; u < count; u++) {
            int r = rows[u];
            int g0 = u * cols;
            float squares = 0f;
            for (int i = 0; i < cols; i++) {
                float gi = grad[g0 + i];
                squares += gi * gi;
            }
            float sum = s[r] + squares / cols;
            s[r] = sum;
            float scale = lr / ((float) Math.sqrt(sum) + epsilon);
            int base = r * cols;
            weights.get(base, w, 0, cols);
            for (int i = 0; i < cols; i++) {
                w[i] = w[i] * decay - scale * grad[g0 + i];
            }
            weights.put(base, w, 0, cols);
        }
    }

    /** {@inheritDoc} */
    @Override
    public long stateBytes(long rows, long cols) {
        return rows * Float.BYTES;
    }

    /** {@inheritDoc} */
    @Override
    public String describe() {
        return "row-wise adagrad";
    }

    /**
     * Returns a table's accumulators, for tests.
     *
     * @param tableId the table
     * @return one value per row (the optimizer's own array)
     */
    float[] accumulator(String tableId) {
        return sums.get(tableId);
    }

    /** {@inheritDoc} */
    @Override
    public void writeState(DataOutputStream out, Map<String, String> namesById) throws IOException {
        SavesState.writeEntries(out, namesById, sums.keySet(), id -> SavesState.writeFloats(out, sums.get(id)));
    }

    /** {@inheritDoc} */
    @Override
    public void readState(DataInputStream in, Map<String, NDArray> weightsByName, Map<String, String> idsByName)
            throws IOException {
        SavesState.readEntries(in, weightsByName, idsByName, "sparse optimizer state names table",
                (name, id, weight) ->
                sums.put(id, SavesState.readFloats(in, name, weight.getShape().get(0))));
    }
}
