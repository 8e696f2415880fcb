package dev.embtrain.training.config;

/**
 * How labelled rows are split: stratified by label into training, validation (early stopping
 * and search) and test (touched once, for the final report).
 *
 * @param train the share of each class trained on
 * @param validation the share of each class for early stopping and search
 * @param test the share of each class for the final report
 * @param seed the shuffle's seed
 */
@Doc("Stratified split of labelled rows: each class keeps its share in training, validation and test.")
public record LabelledSplitConfig(
        @Doc("Share of each class trained on; train + validation + test must be 1.") @Default("0.7") double train,
        @Doc("Share of each class for early stopping and the search.") @Default("0.15") double validation,
        @Doc("Share of each class for the final report, scored once.") @Default("0.15") double test,
        @Doc("Seed of the split.") @Default("42") long seed) {

    /** Validates the section. */
    public LabelledSplitConfig {
        Check.openInterval("train", train, 0, 1);
        Check.openInterval("validation", validation, 0, 1);
        Check.openInterval("test", test, 0, 1);
        if (Math.abs(train + validation + test - 1) > 1e-9) {
            throw new ConfigValueException("test", "train + validation + test must be 1, found " + train + " + "
                    + validation + " + " + test + " = " + (train + validation + test));
        }
    }
}
