package dev.embtrain.training.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.optimizer.Optimizer;

import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adam whose beta1 can follow a schedule, with decoupled (AdamW) or L2 weight decay and epsilon
 * added to the debiased root of the second moment, as fastai's {@code Adam} does.
 *
 * <p>Why not DJL's {@code AdamW}: its beta1 is fixed, and it adds epsilon to the root of the
 * biased second moment. fastai's one-cycle training cycles beta1 (0.95 → 0.85 → 0.95) and its
 * epsilon is 1e-5 on the debiased root; on MovieLens 100k that difference alone moves the
 * validation MSE from 0.837 to 0.814. The update itself is DJL's fused native
 * {@code adamUpdate}, one call per parameter, with the learning rate, epsilon and bias
 * correction folded in so that it computes exactly
 * {@code w -= lr·wd·w; w -= lr · m̂ / (sqrt(v̂) + eps)}.
 *
 * <p>On the CPU the same formula runs as one fused Java loop over the tensors' own memory
 * (direct buffers that alias PyTorch's storage): weight, both moments and the gradient are read
 * once and written once, and the gradient is zeroed in the same pass. The native op takes about
 * fourteen passes and seven temporaries per parameter; for MovieLens 100k at batch 64 the fused
 * loop halves the optimizer's time, which dominates a step. Other devices use the native op.
 */
public final class ScheduledAdam extends Optimizer implements SavesState {

    private final ParameterTracker learningRate;
    private final Tracker beta1;
    private final float beta2;
    private final float epsilon;
    private final boolean decoupled;
    private final Map<String, Map<Device, NDArray>> means = new ConcurrentHashMap<>();
    private final Map<String, Map<Device, NDArray>> variances = new ConcurrentHashMap<>();
    /** Moments below this are flushed to zero (see {@link #fused}). */
    private static final float TINY = 1e-30f;
    /** Updates between two flushes of tiny moments. */
    private static final int FLUSH_EVERY = 64;
    /** Floats per chunk of the fused loop: five arrays of it stay in the L1 cache. */
    private static final int CHUNK = 1024;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[5][CHUNK]);
    /** Tables with at least this many values are updated by two threads. */
    private static final int PARALLEL_FROM = 1 << 17;

    private final Map<String, Boolean> aliasing = new ConcurrentHashMap<>();
    /** Updates per parameter, and their maximum: DJL's own counts are private, and a resumed run restores these. */
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private int steps;
    private final boolean fuse;

    private ScheduledAdam(Builder b) {
        super(b);
        this.learningRate = b.learningRate;
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.decoupled = b.decoupled;
        this.fuse = b.fuse;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Counts an update of a parameter, as DJL's optimizer does: the step t is the largest count
     * of any parameter.
     *
     * @param parameterId the parameter
     * @return t, from 1
     */
    @Override
    protected int updateCount(String parameterId) {
        int count = counts.merge(parameterId, 1, Integer::sum);
        steps = Math.max(steps, count);
        return steps;
    }

    /**
     * Writes the optimizer's state (per parameter: its update count and both moments), keyed by
     * parameter name, so that a resumed run continues exactly.
     *
     * @param out where to write
     * @param namesById each parameter's name by its id
     * @throws IOException when writing fails
     */
    public void writeState(java.io.DataOutputStream out, Map<String, String> namesById) throws IOException {
        out.writeInt(steps);
        out.writeInt(counts.size());
        for (Map.Entry<String, Integer> c : new java.util.TreeMap<>(counts).entrySet()) {
            out.writeUTF(namesById.get(c.getKey()));
            out.writeInt(c.getValue());
            for (Map<String, Map<Device, NDArray>> moments : List.of(means, variances)) {
                SavesState.writeFloats(out, moments.get(c.getKey()).values().iterator().next().toFloatArray());
            }
        }
    }

    /**
     * Reads what {@link #writeState} wrote into this optimizer, before its first update.
     *
     * @param in where to read
     * @param weightsByName each trained parameter's array by name
     * @param idsByName each parameter's id by name
     * @throws IOException when the state does not fit the parameters
     */
    public void readState(java.io.DataInputStream in, Map<String, NDArray> weightsByName, Map<String, String> idsByName)
            throws IOException {
        steps = in.readInt();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            int count = in.readInt();
            NDArray weight = weightsByName.get(name);
            if (weight == null) {
                throw new IOException("the checkpoint's optimizer state names parameter " + name
                        + ", which this model does not have");
            }
            String id = idsByName.get(name);
            counts.put(id, count);
            for (Map<String, Map<Device, NDArray>> moments : List.of(means, variances)) {
                int length = in.readInt();
                if (length != weight.size()) {
                    throw new IOException("the checkpoint's optimizer state of " + name + " holds " + length
                            + " values, the parameter " + weight.size());
                }
                float[] values = SavesState.readFloats(in, length);
                NDArray state = weight.zerosLike();
                state.set(java.nio.FloatBuffer.wrap(values));
                Map<Device, NDArray> byDevice = new ConcurrentHashMap<>();
                byDevice.put(weight.getDevice(), state);
                moments.put(id, byDevice);
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = updateCount(parameterId);
        float lr = learningRate.getNewValue(parameterId, t);
        float b1 = beta1.getNewValue(t);
        double debias1 = 1.0 - Math.pow(b1, t);
        double debias2 = 1.0 - Math.pow(beta2, t);
        // m̂/(sqrt(v̂)+eps) = sqrt(d2)/d1 · m/(sqrt(v) + eps·sqrt(d2)); the native op computes the right side.
        float lrCorrected = (float) (lr * Math.sqrt(debias2) / debias1);
        float eps = (float) (epsilon * Math.sqrt(debias2));
        float wd = getWeightDecay();
        if (!Float.isFinite(lr) || !Float.isFinite(wd)) {
            throw new IllegalStateException("learning rate or weight decay is not finite: lr=" + lr + ", wd=" + wd);
        }
        NDArray mean = withDefaultState(means, parameterId, weight.getDevice(), k -> weight.zerosLike());
        NDArray variance = withDefaultState(variances, parameterId, weight.getDevice(), k -> weight.zerosLike());
        if (fuse && fusible(parameterId, weight, grad, mean, variance)) {
            FloatBuffer w = buffer(weight);
            FloatBuffer g = buffer(grad);
            FloatBuffer m = buffer(mean);
            FloatBuffer v = buffer(variance);
            int n = Math.toIntExact(weight.size());
            boolean flush = t % FLUSH_EVERY == 0;
            if (n < PARALLEL_FROM) {
                fused(w, g, m, v, 0, n, lr, lrCorrected, wd, b1, eps, flush);
            } else {
                // Large tables: halves on two cores (PyTorch's own ops run on one thread by default).
                int half = n / 2;
                java.util.concurrent.ForkJoinTask<?> other = java.util.concurrent.ForkJoinPool.commonPool().submit(
                        () -> fused(w.duplicate(), g.duplicate(), m.duplicate(), v.duplicate(), half, n, lr,
                                lrCorrected, wd, b1, eps, flush));
                fused(w, g, m, v, 0, half, lr, lrCorrected, wd, b1, eps, flush);
                other.join();
            }
            return;
        }
        NDList inputs = new NDList(weight, grad, mean, variance);
        NDArrayEx ex = weight.getNDArrayInternal();
        ex.adamUpdate(inputs, new NDList(weight), lr, lrCorrected, wd, rescaleGrad, clipGrad, b1, beta2, eps,
                true, decoupled);
    }

    /**
     * The native op's formula in one pass: {@code g = min(rescale·g, clip)} (DJL clamps the maximum
     * only), L2 or decoupled decay, moments, step, gradient zeroed. The buffers are copied in
     * chunks into float arrays, where the loop has no branch and C2 compiles it to SIMD
     * instructions (a loop over the buffers themselves stays scalar): on a 2 GHz Xeon this took
     * the update of MovieLens' four tables (131,682 values) from 870-900 to 286-294 us a step.
     *
     * @param flush whether to flush tiny moments to zero after this update
     */
    private void fused(FloatBuffer w, FloatBuffer g, FloatBuffer m, FloatBuffer v, int from, int to, float lr,
            float lrCorrected, float wd, float b1, float eps, boolean flush) {
        float decay = decoupled ? 1f - lr * wd : 1f;
        float l2 = decoupled ? 0f : wd;
        float c1 = 1f - b1;
        float c2 = 1f - beta2;
        float b2 = beta2;
        float rescale = rescaleGrad;
        float clip = clipGrad >= 0 ? clipGrad : Float.POSITIVE_INFINITY;
        float[][] scratch = SCRATCH.get();
        float[] ws = scratch[0];
        float[] gs = scratch[1];
        float[] ms = scratch[2];
        float[] vs = scratch[3];
        float[] zeros = scratch[4];
        for (int start = from; start < to; start += CHUNK) {
            int n = Math.min(CHUNK, to - start);
            w.get(start, ws, 0, n);
            g.get(start, gs, 0, n);
            m.get(start, ms, 0, n);
            v.get(start, vs, 0, n);
            for (int i = 0; i < n; i++) {
                float wi = ws[i];
                float gi = Math.min(gs[i] * rescale, clip) + l2 * wi;
                float mi = ms[i] * b1 + gi * c1;
                float vi = vs[i] * b2 + gi * gi * c2;
                ms[i] = mi;
                vs[i] = vi;
                ws[i] = wi * decay - lrCorrected * mi / ((float) Math.sqrt(vi) + eps);
            }
            if (flush) {
                // Moments of rows no batch touches decay geometrically into subnormal floats, whose
                // arithmetic is many times slower; flushed to zero they change a step by < 1e-25.
                // Every FLUSH_EVERY updates is often enough: a moment above TINY needs more updates
                // than that to decay below the normal range (0.9^64 · 1e-30 > 1.2e-38).
                for (int i = 0; i < n; i++) {
                    if (Math.abs(ms[i]) < TINY) {
                        ms[i] = 0f;
                    }
                    if (vs[i] < TINY) {
                        vs[i] = 0f;
                    }
                }
            }
            w.put(start, ws, 0, n);
            m.put(start, ms, 0, n);
            v.put(start, vs, 0, n);
            g.put(start, zeros, 0, n);
        }
    }

    /**
     * Returns a copy of a parameter's moment on the CPU, for tests.
     *
     * @param parameterId the parameter
     * @param second the second moment (v) rather than the first (m)
     * @return its values
     */
    float[] moment(String parameterId, boolean second) {
        return (second ? variances : means).get(parameterId).values().iterator().next().toFloatArray();
    }

    private boolean fusible(String parameterId, NDArray... arrays) {
        for (NDArray a : arrays) {
            if (!a.getDevice().equals(Device.cpu()) || a.getDataType() != DataType.FLOAT32
                    || !a.getShape().equals(arrays[0].getShape())) {
                return false;
            }
        }
        // A direct buffer aliases the tensor only when it is contiguous; parameters, their
        // gradients and the moments are, but check once per parameter rather than trust it.
        return aliasing.computeIfAbsent(parameterId, k -> {
            for (NDArray a : arrays) {
                if (!aliases(a)) {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * Returns whether the fused loop updated a parameter.
     *
     * @param parameterId the parameter
     * @return true once the fused loop ran for it
     */
    boolean fused(String parameterId) {
        return fuse && Boolean.TRUE.equals(aliasing.get(parameterId));
    }

    static boolean aliases(NDArray a) {
        if (a.isEmpty()) {
            return true;
        }
        FloatBuffer b = buffer(a);
        float old = b.get(0);
        float probe = old == 1f ? 2f : 1f;
        b.put(0, probe);
        float seen;
        try (NDArray first = a.getScalar(new long[a.getShape().dimension()])) {
            seen = first.toFloatArray()[0];
        }
        b.put(0, old);
        return Float.compare(seen, probe) == 0;
    }

    static FloatBuffer buffer(NDArray a) {
        return a.toByteBuffer(true).asFloatBuffer();
    }

    /** Builds a {@link ScheduledAdam}. */
    public static final class Builder extends Optimizer.OptimizerBuilder<Builder> {
        private ParameterTracker learningRate = Tracker.fixed(1e-3f);
        private Tracker beta1 = Tracker.fixed(0.9f);
        private float beta2 = 0.99f;
        private float epsilon = 1e-5f;
        private boolean decoupled = true;
        private boolean fuse = true;

        Builder() {}

        /**
         * Chooses the fused Java loop on the CPU (default) or DJL's native op everywhere; the two
         * compute the same formula, the choice exists to test that they agree.
         *
         * @param fuse false for the native op
         * @return this builder
         */
        Builder optFused(boolean fuse) {
            this.fuse = fuse;
            return this;
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the learning-rate schedule.
         *
         * @param tracker the schedule
         * @return this builder
         */
        public Builder setLearningRateTracker(ParameterTracker tracker) {
            this.learningRate = tracker;
            return this;
        }

        /**
         * Sets the beta1 schedule (a fixed tracker for plain Adam).
         *
         * @param tracker the schedule
         * @return this builder
         */
        public Builder optBeta1(Tracker tracker) {
            this.beta1 = tracker;
            return this;
        }

        /**
         * Sets beta2.
         *
         * @param beta2 the decay of the second moment
         * @return this builder
         */
        public Builder optBeta2(float beta2) {
            this.beta2 = beta2;
            return this;
        }

        /**
         * Sets epsilon, added to the debiased root of the second moment.
         *
         * @param epsilon epsilon
         * @return this builder
         */
        public Builder optEpsilon(float epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Chooses decoupled weight decay (AdamW, default) or L2 added to the gradient (Adam).
         *
         * @param decoupled true for AdamW
         * @return this builder
         */
        public Builder optDecoupledWeightDecay(boolean decoupled) {
            this.decoupled = decoupled;
            return this;
        }

        /**
         * Builds the optimizer.
         *
         * @return the optimizer
         */
        public ScheduledAdam build() {
            return new ScheduledAdam(this);
        }
    }
}
