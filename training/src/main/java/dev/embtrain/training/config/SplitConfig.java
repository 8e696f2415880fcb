package dev.embtrain.training.config;

/**
 * How rows are split into training and validation.
 *
 * @param type random rows, or each user's latest rating
 * @param validation the fraction of rows held out by a random split
 * @param seed the random split's seed
 * @param column the column saying train / validation / test, for a column split
 */
@Doc("How rows are split into training and validation.")
public record SplitConfig(
        @Doc("random: a random fraction of ratings; leave-last-out: each user's latest rating by timestamp;"
                        + " column: a column of a ratings file says train, validation (or valid) or test.")
                @Default("random") SplitType type,
        @Doc("Fraction held out for validation by a random split.") @Default("0.2") double validation,
        @Doc("Seed of the random split.") @Default("42") long seed,
        @Doc("The column of a column split; its test rows are set aside, used neither to train nor to validate.")
                @Default("split") String column) {

    /** Validates the section. */
    public SplitConfig {
        Check.openInterval("validation", validation, 0, 1);
        Check.notBlank("column", column);
    }

    /** The ways to split. */
    public enum SplitType {
        /** A random fraction of rows. */
        RANDOM,
        /** Each user's latest row by timestamp. */
        LEAVE_LAST_OUT,
        /** A column of the data says which rows are which. */
        COLUMN
    }

    /**
     * Returns the keys this split's type does not read.
     *
     * @return each key under {@code split}, with why
     */
    public java.util.Map<String, String> unreadKeys() {
        java.util.Map<String, String> unread = new java.util.LinkedHashMap<>();
        String name = "split " + ConfigBinder.yamlName(type);
        if (type != SplitType.RANDOM) {
            for (String key : java.util.List.of("validation", "seed")) {
                unread.put(key, name + " does not use it (only a random split draws rows); remove it, or pick"
                        + " type: random");
            }
        }
        if (type != SplitType.COLUMN) {
            unread.put("column", name + " does not use it; remove it, or pick type: column");
        }
        return unread;
    }
}
