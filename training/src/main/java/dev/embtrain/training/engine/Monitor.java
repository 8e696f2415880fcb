package dev.embtrain.training.engine;

/**
 * The metric that picks the kept epoch and drives early stopping and pruning: its name in an
 * {@link EpochRecord} and its direction.
 *
 * @param name {@code train_loss} or one of the objective's validation metrics
 * @param higherIsBetter true for AUC, accuracy and ranking metrics
 */
public record Monitor(String name, boolean higherIsBetter) {

    /** The training loss, lower is better. */
    public static final String TRAIN_LOSS = "train_loss";

    /** The training loss as a monitor: every objective measures it. */
    public static final Monitor TRAINING = new Monitor(TRAIN_LOSS, false);

    /**
     * Returns whether {@code value} improves on {@code best} by more than {@code minDelta}.
     *
     * @param value this epoch's value
     * @param best the best so far, NaN before the first epoch
     * @param minDelta the smallest improvement that counts
     * @return whether it is an improvement
     */
    public boolean improves(double value, double best, double minDelta) {
        if (Double.isNaN(best)) {
            return true;
        }
        return higherIsBetter ? value > best + minDelta : value < best - minDelta;
    }
}
