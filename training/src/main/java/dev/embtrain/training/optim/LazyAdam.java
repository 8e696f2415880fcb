package dev.embtrain.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lazy Adam(W) for row-sparse tables: the rows a step touched get exactly {@link ScheduledAdam}'s
 * update ({@code w -= lr·wd·w; w -= lr · m̂ / (sqrt(v̂) + eps)}, the same bias correction from the
 * global step t, the same scheduled beta1); every other row, its weights and both its moments, is
 * left untouched, as {@code torch.optim.SparseAdam} and TensorFlow's {@code LazyAdam} do.
 *
 * <p>What that means against dense Adam: a row's moments do not decay on the steps that skip it,
 * so its next update uses moments as they were when it was last seen, and (AdamW) decoupled
 * weight decay shrinks a row only on the steps that touch it: a row seen in k of T steps decays
 * by {@code (1 - lr·wd)^k}, not {@code ^T}. Rows touched at every step follow dense Adam exactly.
 * Rare ids therefore keep larger weights than dense AdamW would leave them.
 *
 * <p>State: two floats per value (the moments), on the heap, one array per table.
 */
public final class LazyAdam implements RowOptimizer {

    private final ParameterTracker learningRate;
    private final Tracker beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private final boolean decoupled;
    private final Map<String, float[]> means = new ConcurrentHashMap<>();
    private final Map<String, float[]> variances = new ConcurrentHashMap<>();
    private float[] row = new float[0];

    /**
     * Creates the optimizer.
     *
     * @param learningRate the schedule
     * @param beta1 beta1's schedule (fixed for plain Adam)
     * @param beta2 beta2
     * @param epsilon added to the debiased root of the second moment
     * @param weightDecay the decay
     * @param decoupled true for AdamW, false for L2 added to the gradient
     */
    public LazyAdam(ParameterTracker learningRate, Tracker beta1, float beta2, float epsilon, float weightDecay,
            boolean decoupled) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    /** {@inheritDoc} */
    @Override
    public void update(String tableId, FloatBuffer weights, long rowCount, int cols, int[] rows, int count,
            float[] grad, int t) {
        float lr = learningRate.getNewValue(tableId, t);
        float b1 = beta1.getNewValue(t);
        if (!Float.isFinite(lr)) {
            throw new IllegalStateException("learning rate is not finite: lr=" + lr);
        }
        double debias1 = 1.0 - Math.pow(b1, t);
        double debias2 = 1.0 - Math.pow(beta2, t);
        // As ScheduledAdam: m̂/(sqrt(v̂)+eps) = sqrt(d2)/d1 · m/(sqrt(v) + eps·sqrt(d2)).
        float lrCorrected = (float) (lr * Math.sqrt(debias2) / debias1);
        float eps = (float) (epsilon * Math.sqrt(debias2));
        int size = Math.toIntExact(rowCount * cols);
        float[] m = means.computeIfAbsent(tableId, k -> new float[size]);
        float[] v = variances.computeIfAbsent(tableId, k -> new float[size]);
        float decay = decoupled ? 1f - lr * weightDecay : 1f;
        float l2 = decoupled ? 0f : weightDecay;
        float c1 = 1f - b1;
        float c2 = 1f - beta2;
        float b2 = beta2;
        if (row.length < cols) {
            row = new float[cols];
        }
        float[] w = row;
        for (int u = 0; u < count; u++) {
            int base = rows[u] * cols;
            int g0 = u * cols;
            weights.get(base, w, 0, cols);
            for (int i = 0; i < cols; i++) {
                float wi = w[i];
                float gi = grad[g0 + i] + l2 * wi;
                float mi = m[base + i] * b1 + gi * c1;
                float vi = v[base + i] * b2 + gi * gi * c2;
                m[base + i] = mi;
                v[base + i] = vi;
                w[i] = wi * decay - lrCorrected * mi / ((float) Math.sqrt(vi) + eps);
            }
            weights.put(base, w, 0, cols);
        }
    }

    /** {@inheritDoc} */
    @Override
    public long stateBytes(long rows, long cols) {
        return 2L * rows * cols * Float.BYTES;
    }

    /** {@inheritDoc} */
    @Override
    public String describe() {
        return "lazy " + (decoupled ? "adamw" : "adam");
    }

    /**
     * Returns a table's moment, for tests.
     *
     * @param tableId the table
     * @param second v rather than m
     * @return its values (the optimizer's own array)
     */
    float[] moment(String tableId, boolean second) {
        return (second ? variances : means).get(tableId);
    }

    /** {@inheritDoc} */
    @Override
    public void writeState(DataOutputStream out, Map<String, String> namesById) throws IOException {
        SavesState.writeEntries(out, namesById, means.keySet(), id -> {
            SavesState.writeFloats(out, means.get(id));
            SavesState.writeFloats(out, variances.get(id));
        });
    }

    /** {@inheritDoc} */
    @Override
    public void readState(DataInputStream in, Map<String, NDArray> weightsByName, Map<String, String> idsByName)
            throws IOException {
        SavesState.readEntries(in, weightsByName, idsByName, "sparse optimizer state names table",
                (name, id, weight) -> {
                    means.put(id, SavesState.readFloats(in, name, weight.size()));
                    variances.put(id, SavesState.readFloats(in, name, weight.size()));
                });
    }
}
