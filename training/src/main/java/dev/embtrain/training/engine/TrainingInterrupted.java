package dev.embtrain.training.engine;

/**
 * Thrown out of the loop, after the step in progress, when the user asked the run to stop
 * (SIGINT or SIGTERM): the run keeps its last checkpoint and can be resumed.
 */
public final class TrainingInterrupted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int epoch;

    /**
     * Creates the exception.
     *
     * @param epoch the epoch that was in progress
     */
    public TrainingInterrupted(int epoch) {
        this(epoch, "interrupted during epoch " + epoch);
    }

    /**
     * Creates the exception with what the user can do now.
     *
     * @param epoch the epoch that was in progress
     * @param message the one line to print
     */
    public TrainingInterrupted(int epoch, String message) {
        super(message);
        this.epoch = epoch;
    }

    /**
     * Returns the epoch that was in progress, whose steps are lost.
     *
     * @return the epoch
     */
    public int epoch() {
        return epoch;
    }
}
