package dev.embtrain.training.engine;

/**
 * Receives the loop's events, by DJL's {@code TrainingListener} names but without its traps:
 * early stopping is a returned {@link Decision}, not an exception, and every method runs on
 * the training thread.
 */
public interface Listener {

    /** What the loop does after an epoch. */
    enum Decision {
        /** Train the next epoch. */
        CONTINUE,
        /** Stop: no further epoch. */
        STOP
    }

    /**
     * Called once before the first step.
     *
     * @param epochs the most epochs the loop will run
     */
    default void onTrainingBegin(int epochs) {}

    /**
     * Called after each optimizer step.
     *
     * @param epoch the epoch, from 1
     * @param batch the batch, from 1
     * @param batches batches in the epoch
     */
    default void onTrainingBatch(int epoch, int batch, int batches) {}

    /**
     * Called after each epoch's validation.
     *
     * @param record what the epoch measured
     * @return whether to go on; the loop stops when any listener says {@link Decision#STOP}
     */
    default Decision onEpoch(EpochRecord record) {
        return Decision.CONTINUE;
    }

    /**
     * Called once after the last epoch (not after a failure).
     *
     * @param result the history
     */
    default void onTrainingEnd(FitResult result) {}
}
