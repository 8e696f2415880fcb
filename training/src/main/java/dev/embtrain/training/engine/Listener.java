package dev.embtrain.training.engine;

/**
 * Receives the loop's events and may act on them, as fastai's callbacks do: around every step
 * ({@link #beforeForward}, {@link #afterLoss}, {@link #afterBackward} with the gradients
 * visible and scalable, {@link #afterStep}) a listener reads the {@link Step} and may skip its
 * update or stop the run; after every epoch it returns a {@link Decision}. Early stopping is a
 * decision, not an exception, and every method runs on the training thread. Listeners run in
 * ascending {@link #order()}, those of equal order in the order given.
 */
public interface Listener {

    /**
     * Returns where this listener runs among the others: lower first (fastai's {@code order}).
     * Most listeners leave it at 0; one that must see gradients after another has changed them
     * (a logger of clipped norms after clipping) returns more.
     *
     * @return the order
     */
    default int order() {
        return 0;
    }

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
     * Called before a batch's forward pass; {@link Step#skip()} here spares the batch's forward
     * and backward passes.
     *
     * @param step the step
     */
    default void beforeForward(Step step) {}

    /**
     * Called once the batch's loss is computed, before the backward pass ({@link Step#loss()}).
     *
     * @param step the step
     */
    default void afterLoss(Step step) {}

    /**
     * Called after the backward pass and before the optimizer step: {@link Step#gradients()} are
     * what the update will apply, and may be changed in place (clipping) or the update skipped.
     *
     * @param step the step
     */
    default void afterBackward(Step step) {}

    /**
     * Called after the optimizer step (or its skip), once the batch is closed.
     *
     * @param step the step; its loss and gradients are gone
     */
    default void afterStep(Step step) {}

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
