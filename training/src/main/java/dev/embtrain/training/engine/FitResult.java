package dev.embtrain.training.engine;

import java.util.List;

/**
 * What the loop ended with.
 *
 * @param history one record per epoch run
 * @param bestEpoch the epoch whose monitored value was best
 * @param stoppedEarly whether a listener stopped the loop before its last epoch
 */
public record FitResult(List<EpochRecord> history, int bestEpoch, boolean stoppedEarly) {

    /** Copies the history. */
    public FitResult {
        history = List.copyOf(history);
    }

    /**
     * Returns the best epoch's record.
     *
     * @return the record
     * @throws IllegalStateException when no epoch had a finite monitored value
     */
    public EpochRecord best() {
        if (bestEpoch < 1) {
            throw new IllegalStateException("no epoch had a finite monitored value");
        }
        return history.get(bestEpoch - 1);
    }

    /**
     * Returns the last epoch's record.
     *
     * @return the record
     */
    public EpochRecord last() {
        return history.get(history.size() - 1);
    }
}
