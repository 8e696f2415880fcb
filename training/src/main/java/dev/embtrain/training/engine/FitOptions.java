package dev.embtrain.training.engine;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/**
 * What the loop needs besides the trainer, the objective and the listeners. No YAML record:
 * a run kind maps its config onto these values.
 *
 * @param epochs the most epochs to run, &gt; 0
 * @param monitor the metric that picks the best epoch
 * @param minDelta the smallest change in the better direction that counts as an improvement
 * @param learningRate the schedule, to report the rate in each epoch's record
 * @param optimizer the trainer's optimizer, called directly on a single device
 * @param rowSparse the tables trained row by row, or null when every parameter trains densely
 * @param maxSteps the most optimizer steps, the last epoch cut there; 0 for no bound
 */
public record FitOptions(int epochs, Monitor monitor, double minDelta, Tracker learningRate, Optimizer optimizer,
        RowSparse rowSparse, int maxSteps) {

    /**
     * Options for a run whose parameters all train densely.
     *
     * @param epochs the most epochs to run, &gt; 0
     * @param monitor the metric that picks the best epoch
     * @param minDelta the smallest change in the better direction that counts as an improvement
     * @param learningRate the schedule, to report the rate in each epoch's record
     * @param optimizer the trainer's optimizer, called directly on a single device
     */
    public FitOptions(int epochs, Monitor monitor, double minDelta, Tracker learningRate, Optimizer optimizer) {
        this(epochs, monitor, minDelta, learningRate, optimizer, null, 0);
    }

    /** Rejects a count or delta out of range. */
    public FitOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be > 0, found " + epochs);
        }
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("minDelta must be >= 0, found " + minDelta);
        }
        java.util.Objects.requireNonNull(monitor, "monitor");
        java.util.Objects.requireNonNull(learningRate, "learningRate");
        java.util.Objects.requireNonNull(optimizer, "optimizer");
        if (maxSteps < 0) {
            throw new IllegalArgumentException("maxSteps must be >= 0, found " + maxSteps);
        }
    }
}
