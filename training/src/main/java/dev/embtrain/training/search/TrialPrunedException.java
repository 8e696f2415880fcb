package dev.embtrain.training.search;

/**
 * Thrown by {@link Trial#report} when the pruner stops the trial; the objective lets it
 * propagate (closing what it opened) and the study records the trial as pruned.
 */
public final class TrialPrunedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param trial the trial's number
     * @param epoch the epoch after which it was stopped
     */
    public TrialPrunedException(int trial, int epoch) {
        super("trial " + trial + " pruned after epoch " + epoch);
    }
}
