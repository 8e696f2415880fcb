package dev.embtrain.training.optim;

import java.util.Arrays;

/**
 * What dense Adam(W) does to one table row over the steps whose batches do not name it, in closed
 * form, so that a row-sparse table can give a row those steps at once when it is next touched.
 *
 * <p>On a step k whose gradient for the row is zero, dense Adam does, per value:
 * {@code m ← β1ₖ·m; v ← β2·v; w ← (1 − lrₖ·wd)·w − âₖ·m / (sqrt(v) + ε̂ₖ)}, with
 * {@code âₖ = lrₖ·sqrt(1 − β2ᵏ)/(1 − β1ₖᵏ)} and {@code ε̂ₖ = ε·sqrt(1 − β2ᵏ)}. Over the steps
 * s+1..u that is {@code w_u = D·w_s − C·m_s/(sqrt(v_s) + E)}, {@code m_u = M·m_s},
 * {@code v_u = V·v_s}, where {@code D = Π(1 − lrⱼ·wd)}, {@code M = Πβ1ⱼ}, {@code V = β2^(u−s)},
 * {@code C = D · Σₖ âₖ·Pₖ} with {@code Pₖ = Πⱼ₌ₛ₊₁..ₖ fⱼ}, {@code fⱼ = β1ⱼ / (sqrt(β2)·(1 − lrⱼ·wd))}, and
 * E stands in for eps: step k divides by {@code sqrt(v_s) + εₖ} with
 * {@code εₖ = ε̂ₖ·β2^(−(k−s)/2)}, which grows along the skipped steps, and E is their harmonic mean
 * weighted as C sums them, {@code E = Σ âₖPₖ / Σ (âₖPₖ/εₖ)}. That is exact for one skipped step,
 * and for more where sqrt(v) is far above eps (eps does not matter) or far below it (the step
 * is then {@code m·Σ âₖPₖ/εₖ}); in between the error is second order in the spread of the εₖ.
 * (Neglecting eps instead gives a value whose sqrt(v) is below eps a whole step where dense Adam
 * takes almost none: in CaughtUpTrainingTest's run with eps 1e-5, 150 steps, weights ended up to
 * 0.028 from dense against 0.006 with E; on fastai's dot-bias recipe the valid MSE moved by 0.0005,
 * 0.7180 against 0.7175.) The same five
 * numbers serve every value of the row, so a row costs one pass over its values.
 *
 * <p>The products are kept as prefix sums of logarithms, one per step. The sum in C is a sum of
 * geometrically shrinking terms; past {@link #horizon} steps they are below 1e-12 of the first and
 * are dropped. So C comes, for a row last touched less than a horizon ago, from a ring of running
 * sums that each step extends (one multiply-add per slot), and for an older row from the sum its
 * slot held when it left the ring. A step costs O(horizon) here, whatever the table's size, and a
 * row O(1) before its pass over its values.
 *
 * <p>The schedules must be functions of the step alone, as {@link OneCycle} and the fixed trackers
 * are. Everything is kept from a base step on, at which every row was settled; {@link #rebase}
 * moves it after a settlement, so the per-step arrays span one settlement interval (an epoch).
 */
final class SkippedSteps {

    /** The schedules of one table: learning rate and beta1 by step. */
    interface Schedule {
        /**
         * Returns the learning rate at a step.
         *
         * @param step from 1
         * @return the rate
         */
        double learningRate(int step);

        /**
         * Returns beta1 at a step.
         *
         * @param step from 1
         * @return beta1
         */
        double beta1(int step);
    }

    private final Schedule schedule;
    private final double beta2;
    private final double logBeta2;
    private final double weightDecay;
    private final double epsilon;
    private final int horizon;
    private final double[] ring;
    private final double[] ringOverEps;
    private final double[] ringProduct;
    /** Per slot, {@code β2^((k−s)/2)}: the εₖ of its row is {@code ε̂ₖ} divided by it. */
    private final double[] ringShrink;
    private int base;
    private int through;
    /** Index k − base: Σ log(1 − lrⱼ·wd) and Σ log β1ⱼ over base+1..k; C's sum for s = k once full. */
    private double[] logDecay = new double[64];
    private double[] logBeta1 = new double[64];
    private double[] full = new double[64];
    private double[] fullOverEps = new double[64];

    /**
     * Starts at a step at which every row is settled.
     *
     * @param schedule the table's schedules
     * @param beta2 Adam's beta2
     * @param weightDecay decoupled weight decay; 0 for none (plain Adam, whose L2 term is not replayed)
     * @param epsilon Adam's epsilon
     * @param horizon the steps after which a skipped step's momentum no longer counts
     * @param base the step every row is settled at
     */
    SkippedSteps(Schedule schedule, double beta2, double weightDecay, double epsilon, int horizon, int base) {
        this.schedule = schedule;
        this.beta2 = beta2;
        this.logBeta2 = Math.log(beta2);
        this.weightDecay = weightDecay;
        this.epsilon = epsilon;
        this.horizon = horizon;
        this.ring = new double[horizon];
        this.ringOverEps = new double[horizon];
        this.ringProduct = new double[horizon];
        this.ringShrink = new double[horizon];
        rebase(base);
    }

    /**
     * Returns the steps after which the momentum left in a row is below {@code 1e-12} of its size
     * when the row was last touched: the smallest n with {@code (β1max / sqrt(β2))ⁿ < 1e-12},
     * at least 1 and at most 100,000.
     *
     * @param maxBeta1 the largest beta1 of the schedule
     * @param beta2 beta2
     * @return the horizon
     */
    static int horizon(double maxBeta1, double beta2) {
        double f = maxBeta1 / Math.sqrt(beta2);
        if (!(f > 0)) {
            return 1;
        }
        if (f >= 1) {
            return 100_000;
        }
        return (int) Math.max(1, Math.min(100_000, Math.ceil(Math.log(1e-12) / Math.log(f))));
    }

    /**
     * Forgets every step before {@code step}: every row is settled there.
     *
     * @param step the new base
     */
    void rebase(int step) {
        base = step;
        through = step;
        logDecay[0] = 0;
        logBeta1[0] = 0;
        open(Math.floorMod(step, horizon));
    }

    /**
     * Folds in the steps up to {@code step}.
     *
     * @param step the last step a catch-up is to cover
     */
    void advance(int step) {
        while (through < step) {
            int k = ++through;
            double lr = schedule.learningRate(k);
            double b1 = schedule.beta1(k);
            double decay = 1 - lr * weightDecay;
            double corrected = lr * Math.sqrt(1 - Math.pow(beta2, k)) / (1 - Math.pow(b1, k));
            double f = b1 / Math.sqrt(beta2) / decay;
            int i = k - base;
            if (i == logDecay.length) {
                logDecay = Arrays.copyOf(logDecay, i * 2);
                logBeta1 = Arrays.copyOf(logBeta1, i * 2);
                full = Arrays.copyOf(full, i * 2);
                fullOverEps = Arrays.copyOf(fullOverEps, i * 2);
            }
            // A beta1 of 0 (or a decay of 0) zeroes what it spans; a floor keeps differences finite.
            logDecay[i] = logDecay[i - 1] + Math.log(Math.max(decay, Double.MIN_NORMAL));
            logBeta1[i] = logBeta1[i - 1] + Math.log(Math.max(b1, Double.MIN_NORMAL));
            double overEps = 1 / (epsilon * Math.sqrt(1 - Math.pow(beta2, k)));
            double shrink = Math.sqrt(beta2);
            for (int s = Math.max(base, k - horizon); s < k; s++) {
                int slot = s % horizon;
                ringProduct[slot] *= f;
                ringShrink[slot] *= shrink;
                double term = corrected * ringProduct[slot];
                ring[slot] += term;
                ringOverEps[slot] += term * overEps * ringShrink[slot];
            }
            int slot = k % horizon;
            if (k - horizon >= base) {
                full[k - horizon - base] = ring[slot];
                fullOverEps[k - horizon - base] = ringOverEps[slot];
            }
            open(slot);
        }
    }

    /** Starts a slot's sums for a row last touched at the step just folded in. */
    private void open(int slot) {
        ring[slot] = 0;
        ringOverEps[slot] = 0;
        ringProduct[slot] = 1;
        ringShrink[slot] = 1;
    }

    /**
     * Writes the five numbers that take a row last touched at {@code last} to the last step folded in:
     * {@code out[0] = D}, {@code out[1] = C}, {@code out[2] = M}, {@code out[3] = V},
     * {@code out[4] = E}.
     *
     * @param last the step the row was last updated at, from the base to the last step folded in
     * @param out five numbers
     */
    void coefficients(int last, double[] out) {
        int n = through - last;
        int i = last - base;
        double d = Math.exp(logDecay[through - base] - logDecay[i]);
        double sum = n < horizon ? ring[last % horizon] : full[i];
        double overEps = n < horizon ? ringOverEps[last % horizon] : fullOverEps[i];
        out[0] = d;
        out[1] = d * sum;
        out[2] = Math.exp(logBeta1[through - base] - logBeta1[i]);
        out[3] = Math.exp(n * logBeta2);
        out[4] = overEps > 0 ? sum / overEps : 0;
    }
}
