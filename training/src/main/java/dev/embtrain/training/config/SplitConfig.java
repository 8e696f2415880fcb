package dev.embtrain.training.config;

/**
 * How rows are split into training and validation.
 *
 * @param type random rows, or each user's latest rating
 * @param validation the fraction of rows held out by a random split
 * @param seed the random split's seed
 */
@Doc("How rows are split into training and validation.")
public record SplitConfig(
        @Doc("random: a random fraction of ratings; leave-last-out: each user's latest rating by timestamp.")
                @Default("random") SplitType type,
        @Doc("Fraction held out for validation by a random split.") @Default("0.2") double validation,
        @Doc("Seed of the random split.") @Default("42") long seed) {

    /** Validates the section. */
    public SplitConfig {
        Check.openInterval("validation", validation, 0, 1);
    }

    /** The ways to split. */
    public enum SplitType {
        /** A random fraction of rows. */
        RANDOM,
        /** Each user's latest row by timestamp. */
        LEAVE_LAST_OUT
    }
}
