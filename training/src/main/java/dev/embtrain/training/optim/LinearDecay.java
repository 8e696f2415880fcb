package dev.embtrain.training.optim;

import ai.djl.training.tracker.Tracker;

/**
 * gensim's word2vec learning rate as a DJL {@link Tracker}: a straight line from {@code start}
 * at the first step to {@code end} at the last ({@code alpha} to {@code min_alpha}), held at
 * {@code end} after it.
 */
public final class LinearDecay implements Tracker {

    private final float start;
    private final float end;
    private final int totalSteps;

    /**
     * Creates the schedule.
     *
     * @param start the value at step 1
     * @param end the value at step {@code totalSteps} and after
     * @param totalSteps the number of optimizer steps in the whole run, &gt;= 1
     */
    public LinearDecay(float start, float end, int totalSteps) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be > 0, found " + totalSteps);
        }
        this.start = start;
        this.end = end;
        this.totalSteps = totalSteps;
    }

    /** {@inheritDoc} DJL counts updates from 1. */
    @Override
    public float getNewValue(int numUpdate) {
        if (totalSteps == 1) {
            return numUpdate <= 1 ? start : end;
        }
        double progress = Math.min(1.0, Math.max(0, numUpdate - 1) / (double) (totalSteps - 1));
        return (float) (start + (end - start) * progress);
    }
}
