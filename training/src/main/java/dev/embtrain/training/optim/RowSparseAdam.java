package dev.embtrain.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import dev.embtrain.training.engine.Floats;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adam(W) for row-sparse tables. The rows a step touched get exactly {@link ScheduledAdam}'s
 * update ({@code w -= lr·wd·w; w -= lr · m̂ / (sqrt(v̂) + eps)}, the same bias correction from the
 * global step t, the same scheduled beta1). What the other rows get is a choice:
 *
 * <ul>
 *   <li><b>caught up</b> (the default): nothing until the row is next touched (or the table is
 *       {@linkplain #settle settled}, before validation and checkpoints); then, in one pass, what
 *       dense Adam(W) would have done to it on the steps it skipped: both moments decayed, the
 *       decoupled decay of every skipped step, and the steps its momentum kept taking
 *       ({@link SkippedSteps}, in closed form; eps is held at its first skipped step's value). So the table
 *       trains as dense AdamW would, at the cost of the rows a batch names. For plain Adam with
 *       weight decay, the L2 gradient of the skipped steps is not replayed.
 *   <li><b>lazy</b>: left as they are, weights and both moments, as {@code torch.optim.SparseAdam}
 *       and TensorFlow's {@code LazyAdam} do. A row's moments do not decay on the steps that skip
 *       it, so its next update uses moments as they were when it was last seen, and (AdamW)
 *       decoupled weight decay shrinks a row only on the steps that touch it: a row seen in k of T
 *       steps decays by {@code (1 - lr·wd)^k}, not {@code ^T}. Rare ids therefore keep larger
 *       weights than dense AdamW would leave them.
 * </ul>
 *
 * <p>Either way rows touched at every step follow dense Adam exactly. State: two floats per value
 * (the moments), on the heap, one array per table; caught up, also the step each row was last
 * updated at (an int per row).
 */
public final class RowSparseAdam implements RowOptimizer {

    private final ParameterTracker learningRate;
    private final Tracker beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private final boolean decoupled;
    private final Map<String, float[]> means = new ConcurrentHashMap<>();
    private final Map<String, float[]> variances = new ConcurrentHashMap<>();
    /** Caught up: the step each row was last updated at, and the skipped steps' sums, by table. */
    private final int horizon;
    private final Map<String, int[]> lastSteps = new ConcurrentHashMap<>();
    private final Map<String, SkippedSteps> skipped = new ConcurrentHashMap<>();
    private final double[] coefficients = new double[5];
    private final float[] factors = new float[5];
    private int latest;
    private float[] row = new float[0];
    /** Values from which a table is read ahead ({@link #touch}): 4 MB of floats. */
    private static final int TOUCH_FROM = 1 << 20;
    /** Where {@link #touch} leaves its sum, so that its loads are not optimised away. */
    private float sink;

    /**
     * Creates the lazy optimizer: rows a step skips stay as they are.
     *
     * @param learningRate the schedule
     * @param beta1 beta1's schedule (fixed for plain Adam)
     * @param beta2 beta2
     * @param epsilon added to the debiased root of the second moment
     * @param weightDecay the decay
     * @param decoupled true for AdamW, false for L2 added to the gradient
     */
    public RowSparseAdam(ParameterTracker learningRate, Tracker beta1, float beta2, float epsilon, float weightDecay,
            boolean decoupled) {
        this(learningRate, beta1, beta2, epsilon, weightDecay, decoupled, 0);
    }

    /**
     * Creates the optimizer.
     *
     * @param learningRate the schedule
     * @param beta1 beta1's schedule (fixed for plain Adam)
     * @param beta2 beta2
     * @param epsilon added to the debiased root of the second moment
     * @param weightDecay the decay
     * @param decoupled true for AdamW, false for L2 added to the gradient
     * @param horizon 0 for lazy; else skipped steps are caught up, their momentum counted for this
     *     many steps ({@link SkippedSteps#horizon})
     */
    public RowSparseAdam(ParameterTracker learningRate, Tracker beta1, float beta2, float epsilon,
            float weightDecay, boolean decoupled, int horizon) {
        this.horizon = horizon;
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    /** {@inheritDoc} */
    @Override
    public void update(String tableId, TableRows weights, long rowCount, int cols, int[] rows, int count,
            float[] grad, int t) {
        latest = Math.max(latest, t);
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
        Floats.Adam step = new Floats.Adam(b1, 1f - b1, beta2, 1f - beta2, decoupled ? 0f : weightDecay,
                decoupled ? 1f - lr * weightDecay : 1f, lrCorrected, eps);
        if (row.length < cols) {
            row = new float[cols];
        }
        float[] w = row;
        int[] last = null;
        SkippedSteps steps = null;
        if (horizon > 0) {
            last = lastSteps(tableId, rowCount, t - 1);
            steps = skipped(tableId, t - 1);
            steps.advance(t - 1);
        }
        touch(weights, m, v, rows, count, cols);
        for (int u = 0; u < count; u++) {
            int base = rows[u] * cols;
            int g0 = u * cols;
            if (last != null) {
                // A no-op after catchUp, which the forward pass ran; for a caller that did not, the same.
                bringUp(steps, last, rows[u], t - 1, weights, m, v, cols);
                last[rows[u]] = t;
            }
            weights.get(base, w, 0, cols);
            Floats.adam(w, grad, g0, m, v, base, cols, step);
            weights.put(base, w, 0, cols);
        }
    }

    /**
     * Caught up: gives the rows the steps they skipped up to the last step, before the forward
     * pass reads them; lazy: nothing.
     */
    @Override
    public void catchUp(String tableId, TableRows weights, long rowCount, int cols, int[] rows, int count) {
        if (horizon == 0 || latest == 0) {
            return;
        }
        int[] last = lastSteps(tableId, rowCount, latest);
        SkippedSteps steps = skipped(tableId, latest);
        steps.advance(latest);
        float[] m = means.get(tableId);
        float[] v = variances.get(tableId);
        if (m == null) {
            return; // never updated: every row is as it started
        }
        touch(weights, m, v, rows, count, cols);
        for (int u = 0; u < count; u++) {
            bringUp(steps, last, rows[u], latest, weights, m, v, cols);
        }
    }

    /** Gives row r, last updated at {@code last[r]}, the steps up to {@code now} it skipped. */
    private void bringUp(SkippedSteps steps, int[] last, int r, int now, TableRows weights, float[] m, float[] v,
            int cols) {
        if (last[r] >= now) {
            return;
        }
        if (row.length < cols) {
            row = new float[cols];
        }
        int base = r * cols;
        weights.get(base, row, 0, cols);
        catchUp(steps, last[r], row, m, v, base, cols);
        weights.put(base, row, 0, cols);
        last[r] = now;
    }

    /**
     * Reads one value per cache line of every row the pass will update, before the pass: these
     * loads do not wait on each other, so the memory system fetches many rows at once, where the
     * pass, a row's arithmetic between its loads, would fetch them one row at a time.
     */
    private void touch(TableRows weights, float[] m, float[] v, int[] rows, int count, int cols) {
        if (m.length < TOUCH_FROM) {
            return; // the table and its moments stay in the caches anyway
        }
        float sum = 0;
        for (int u = 0; u < count; u++) {
            int base = rows[u] * cols;
            for (int i = 0; i < cols; i += 16) {
                sum += weights.get(base + i) + m[base + i] + v[base + i];
            }
        }
        sink = sum;
    }

    /**
     * Gives a row, held in {@code w} with its moments at {@code base}, the steps after
     * {@code last} up to the last step {@code steps} has folded in.
     */
    private void catchUp(SkippedSteps steps, int last, float[] w, float[] m, float[] v, int base, int cols) {
        steps.coefficients(last, coefficients);
        for (int k = 0; k < factors.length; k++) {
            factors[k] = (float) coefficients[k];
        }
        Floats.catchUp(w, m, v, base, cols, factors);
    }

    private int[] lastSteps(String tableId, long rowCount, int settledAt) {
        return lastSteps.computeIfAbsent(tableId, k -> {
            int[] last = new int[Math.toIntExact(rowCount)];
            Arrays.fill(last, settledAt);
            return last;
        });
    }

    private SkippedSteps skipped(String tableId, int settledAt) {
        return skipped.computeIfAbsent(tableId, k -> new SkippedSteps(new SkippedSteps.Schedule() {
            @Override
            public double learningRate(int step) {
                return learningRate.getNewValue(tableId, step);
            }

            @Override
            public double beta1(int step) {
                return beta1.getNewValue(step);
            }
        }, beta2, decoupled ? weightDecay : 0, epsilon, horizon, settledAt));
    }

    /**
     * Caught up: gives every row of a table the steps it skipped, up to the last step, so that
     * the whole table is as dense Adam(W) would have left it; lazy: nothing.
     */
    @Override
    public void settle(String tableId, TableRows weights, long rowCount, int cols) {
        int[] last = lastSteps.get(tableId);
        SkippedSteps steps = skipped.get(tableId);
        if (last == null || steps == null) {
            return;
        }
        int now = latest;
        steps.advance(now);
        float[] m = means.get(tableId);
        float[] v = variances.get(tableId);
        if (m != null) {
            for (int r = 0; r < last.length; r++) {
                bringUp(steps, last, r, now, weights, m, v, cols);
            }
        }
        steps.rebase(now);
    }

    /** {@inheritDoc} */
    @Override
    public long stateBytes(long rows, long cols) {
        return 2L * rows * cols * Float.BYTES + (horizon > 0 ? rows * Integer.BYTES : 0);
    }

    /** {@inheritDoc} */
    @Override
    public String describe() {
        return (horizon > 0 ? "" : "lazy ") + (decoupled ? "adamw" : "adam")
                + (horizon > 0 ? ", skipped steps caught up" : "");
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
        // Written after a settlement: every row is at this step.
        out.writeInt(latest);
        SavesState.writeEntries(out, namesById, means.keySet(), id -> {
            SavesState.writeFloats(out, means.get(id));
            SavesState.writeFloats(out, variances.get(id));
        });
    }

    /** {@inheritDoc} */
    @Override
    public void readState(DataInputStream in, Map<String, NDArray> weightsByName, Map<String, String> idsByName)
            throws IOException {
        latest = in.readInt();
        SavesState.readEntries(in, weightsByName, idsByName, "sparse optimizer state names table",
                (name, id, weight) -> {
                    means.put(id, SavesState.readFloats(in, name, weight.size()));
                    variances.put(id, SavesState.readFloats(in, name, weight.size()));
                });
    }
}
