package dev.embtrain.training.config;

/**
 * How rows are split into training and validation.
 *
 * @param type random rows, or each user's latest rating
 * @param validation the fraction of rows held out by a random split
 * @param seed the random split's seed
 * @param column the column saying train / validation / test, for a column split
 * @param fold which fold: an official MovieLens split's name, or 1 to k
 * @param k the number of folds of a k-fold split
 */
@Doc("How rows are split into training and validation.")
public record SplitConfig(
        @Doc("random: a random fraction of ratings; leave-last-out: each user's latest rating by timestamp;"
                        + " column: a column of a ratings file says train, validation (or valid) or test; fold:"
                        + " MovieLens 100k's official u1-u5, ua or ub files; k-fold: one of k random folds.")
                @Default("random") SplitType type,
        @Doc("Fraction held out for validation by a random split.") @Default("0.2") double validation,
        @Doc("Seed of the random split, and of the k-fold shuffle.") @Default("42") long seed,
        @Doc("The column of a column split; its test rows are set aside, used neither to train nor to validate.")
                @Default("split") String column,
        @Doc("The fold: u1 to u5, ua or ub for a fold split (default u1), 1 to k for k-fold (default 1);"
                        + " train --cross-validate trains every one.")
                @Default("null") String fold,
        @Doc("The number of folds of a k-fold split.") @Default("5") int k) {

    /** MovieLens 100k's official splits, which a fold split names. */
    public static final java.util.List<String> OFFICIAL = java.util.List.of("u1", "u2", "u3", "u4", "u5", "ua", "ub");

    /** Validates the section. */
    public SplitConfig {
        Check.openInterval("validation", validation, 0, 1);
        Check.notBlank("column", column);
        if (k < 2) {
            throw new ConfigValueException("k", "must be at least 2, found " + k);
        }
        if (type == SplitType.FOLD && fold != null && !OFFICIAL.contains(fold)) {
            throw new ConfigValueException("fold", "expected one of " + OFFICIAL + ", found \"" + fold + "\"");
        }
        if (type == SplitType.K_FOLD && fold != null) {
            int f;
            try {
                f = Integer.parseInt(fold);
            } catch (NumberFormatException e) {
                f = 0;
            }
            if (f < 1 || f > k) {
                throw new ConfigValueException("fold", "expected a fold from 1 to k = " + k + ", found \"" + fold
                        + "\"");
            }
        }
    }

    /** The ways to split. */
    public enum SplitType {
        /** A random fraction of rows. */
        RANDOM,
        /** Each user's latest row by timestamp. */
        LEAVE_LAST_OUT,
        /** A column of the data says which rows are which. */
        COLUMN,
        /** One of MovieLens 100k's official splits. */
        FOLD,
        /** One of k random folds. */
        K_FOLD
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
            unread.put("validation", name + " does not use it (only a random split draws a fraction); remove it,"
                    + " or pick type: random");
        }
        if (type != SplitType.RANDOM && type != SplitType.K_FOLD) {
            unread.put("seed", name + " does not use it (only random and k-fold splits draw rows); remove it, or"
                    + " pick type: random or k-fold");
        }
        if (type != SplitType.COLUMN) {
            unread.put("column", name + " does not use it; remove it, or pick type: column");
        }
        if (type != SplitType.FOLD && type != SplitType.K_FOLD) {
            unread.put("fold", name + " does not use it; remove it, or pick type: fold or k-fold");
        }
        if (type != SplitType.K_FOLD) {
            unread.put("k", name + " does not use it; remove it, or pick type: k-fold");
        }
        return unread;
    }

    /**
     * Returns the fold this split picks, its default filled in.
     *
     * @return u1 (or the named one) for a fold split, 1 (or the named one) for k-fold
     */
    public String foldOrDefault() {
        return fold != null ? fold : type == SplitType.K_FOLD ? "1" : "u1";
    }

    /**
     * Returns every fold of a cross-validation of this split.
     *
     * @return u1 to u5 for a fold split, 1 to k for k-fold, empty for other splits
     */
    public java.util.List<String> folds() {
        return switch (type) {
            case FOLD -> OFFICIAL.subList(0, 5);
            case K_FOLD -> java.util.stream.IntStream.rangeClosed(1, k).mapToObj(Integer::toString).toList();
            default -> java.util.List.of();
        };
    }
}
