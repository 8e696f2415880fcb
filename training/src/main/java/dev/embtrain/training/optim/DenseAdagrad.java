package dev.embtrain.training.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Element-wise Adagrad for the dense parameters (MLP towers, projections) of a run whose tables
 * train with {@link RowwiseAdagrad}: {@code s += g²; w = w·(1 − lr·wd) − lr·g / (sqrt(s) + eps)},
 * the gradient zeroed after. DJL's own {@code Adagrad} keeps its state private, so a checkpoint
 * could not hold it.
 */
public final class DenseAdagrad extends Optimizer implements SavesState {

    private final ParameterTracker learningRate;
    private final float epsilon;
    private final Map<String, NDArray> sums = new ConcurrentHashMap<>();

    private DenseAdagrad(Builder b) {
        super(b);
        this.learningRate = b.learningRate;
        this.epsilon = b.epsilon;
    }

    /**
     * Creates a builder.
     *
     * @param learningRate the schedule
     * @param epsilon added to the root of the accumulator
     * @return the builder
     */
    public static Builder builder(ParameterTracker learningRate, float epsilon) {
        return new Builder(learningRate, epsilon);
    }

    /** {@inheritDoc} */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = updateCount(parameterId);
        float lr = learningRate.getNewValue(parameterId, t);
        float wd = getWeightDecay();
        NDArray sum = sums.computeIfAbsent(parameterId, k -> weight.zerosLike());
        try (NDArray g2 = grad.square()) {
            sum.addi(g2);
        }
        try (NDArray root = sum.sqrt(); NDArray denom = root.add(epsilon); NDArray ratio = grad.div(denom)) {
            if (wd > 0) {
                weight.muli(1f - lr * wd);
            }
            weight.subi(ratio.muli(lr));
        }
        grad.subi(grad);
    }

    /** {@inheritDoc} */
    @Override
    public void writeState(DataOutputStream out, Map<String, String> namesById) throws IOException {
        SavesState.writeEntries(out, namesById, sums.keySet(),
                id -> SavesState.writeFloats(out, sums.get(id).toFloatArray()));
    }

    /** {@inheritDoc} */
    @Override
    public void readState(DataInputStream in, Map<String, NDArray> weightsByName, Map<String, String> idsByName)
            throws IOException {
        SavesState.readEntries(in, weightsByName, idsByName, "optimizer state names parameter",
                (name, id, weight) -> {
                    NDArray sum = weight.zerosLike();
                    sum.set(java.nio.FloatBuffer.wrap(SavesState.readFloats(in, name, weight.size())));
                    sums.put(id, sum);
                });
    }

    /** Builds a {@link DenseAdagrad}. */
    public static final class Builder extends Optimizer.OptimizerBuilder<Builder> {
        private final ParameterTracker learningRate;
        private final float epsilon;

        Builder(ParameterTracker learningRate, float epsilon) {
            this.learningRate = learningRate;
            this.epsilon = epsilon;
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Builds the optimizer.
         *
         * @return the optimizer
         */
        public DenseAdagrad build() {
            return new DenseAdagrad(this);
        }
    }
}
