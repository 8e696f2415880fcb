package dev.embtrain.training.optim;

import ai.djl.training.tracker.Tracker;

/**
 * fastai's one-cycle policy as a DJL {@link Tracker}: a cosine from {@code start} to
 * {@code peak} over the first {@code pctStart} of the steps, then a cosine from {@code peak} to
 * {@code end}. The same shape gives the learning rate (low, high, very low) and the momentum
 * (high, low, high); see Smith 2018, <a href="https://arxiv.org/abs/1803.09820">A disciplined
 * approach to neural network hyper-parameters</a>, and fastai's {@code fit_one_cycle}.
 */
public final class OneCycle implements Tracker {

    private final float start;
    private final float peak;
    private final float end;
    private final int totalSteps;
    private final double pctStart;

    /**
     * Creates the schedule.
     *
     * @param start the value at the first step
     * @param peak the value after {@code pctStart} of the steps
     * @param end the value at the last step
     * @param totalSteps the number of optimizer steps in the whole run
     * @param pctStart the fraction of steps spent going from start to peak, in (0, 1)
     */
    public OneCycle(float start, float peak, float end, int totalSteps, double pctStart) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be > 0, found " + totalSteps);
        }
        if (!(pctStart > 0 && pctStart < 1)) {
            throw new IllegalArgumentException("pctStart must be in (0, 1), found " + pctStart);
        }
        this.start = start;
        this.peak = peak;
        this.end = end;
        this.totalSteps = totalSteps;
        this.pctStart = pctStart;
    }

    /**
     * Returns the learning-rate cycle fastai uses: {@code lr/div → lr → lr/divFinal}.
     *
     * @param lrMax the peak learning rate
     * @param div the start is {@code lrMax / div}
     * @param divFinal the end is {@code lrMax / divFinal}
     * @param totalSteps steps in the whole run
     * @param pctStart the warm-up fraction
     * @return the schedule
     */
    public static OneCycle learningRate(float lrMax, double div, double divFinal, int totalSteps, double pctStart) {
        return new OneCycle((float) (lrMax / div), lrMax, (float) (lrMax / divFinal), totalSteps, pctStart);
    }

    /**
     * Returns the value for an update; DJL counts updates from 1, fastai's position from 0.
     *
     * @param numUpdate the update, from 1
     * @return the scheduled value
     */
    @Override
    public float getNewValue(int numUpdate) {
        double pos = Math.min(1.0, Math.max(0.0, (numUpdate - 1) / (double) totalSteps));
        if (pos < pctStart) {
            return cos(start, peak, pos / pctStart);
        }
        return cos(peak, end, (pos - pctStart) / (1 - pctStart));
    }

    // fastai's SchedCos: start + (1 + cos(pi * (1 - pos))) * (end - start) / 2
    private static float cos(float from, float to, double pos) {
        return (float) (from + (1 + Math.cos(Math.PI * (1 - pos))) * ((double) to - from) / 2);
    }
}
