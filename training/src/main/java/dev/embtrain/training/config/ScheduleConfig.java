package dev.embtrain.training.config;

import java.util.List;

/**
 * The learning-rate schedule.
 *
 * @param type one-cycle (fastai's fit_one_cycle), linear (gensim's alpha to min_alpha) or constant
 * @param divFactor the starting rate is learning_rate / div_factor
 * @param finalDivFactor the final rate of one-cycle and linear is learning_rate / final_div_factor
 * @param pctStart the fraction of steps spent warming up
 * @param cycleMomentum whether Adam's beta1 follows moms
 * @param moms momentum at the start, at the peak rate and at the end
 */
@Doc("The learning-rate schedule.")
public record ScheduleConfig(
        @Doc("one-cycle: cosine warm-up to learning_rate then cosine annealing (fastai's fit_one_cycle);"
                        + " linear: from learning_rate straight down to learning_rate / final_div_factor (gensim's alpha"
                        + " to min_alpha); constant: learning_rate throughout.")
                @Default("one-cycle") ScheduleType type,
        @Doc("one-cycle starts at learning_rate / div_factor.") @Default("25.0") double divFactor,
        @Doc("one-cycle and linear end at learning_rate / final_div_factor (fastai's div_final; gensim's"
                + " alpha / min_alpha is 250).") @Default("1.0e5") double finalDivFactor,
        @Doc("Fraction of the steps spent warming up.") @Default("0.25") double pctStart,
        @Doc("Cycle adam's and adamw's beta1 inversely to the rate through moms (sgd keeps its momentum fixed).")
                @Default("true")
                boolean cycleMomentum,
        @Doc("Momentum at start, peak and end of the cycle.") @Default("[0.95, 0.85, 0.95]") List<Double> moms) {

    /** Validates the section. */
    public ScheduleConfig {
        Check.positive("div_factor", divFactor);
        Check.positive("final_div_factor", finalDivFactor);
        Check.openInterval("pct_start", pctStart, 0, 1);
        Check.size("moms", moms, 3);
        for (double m : moms) {
            if (!(m >= 0 && m < 1)) {
                throw new ConfigValueException("moms", "each must be in [0, 1), found " + moms);
            }
        }
        moms = List.copyOf(moms);
    }

    /** The schedules. */
    public enum ScheduleType {
        /** fastai's one-cycle policy. */
        ONE_CYCLE,
        /** gensim's linear decay from alpha to min_alpha over all steps. */
        LINEAR,
        /** The learning rate throughout. */
        CONSTANT
    }
}
