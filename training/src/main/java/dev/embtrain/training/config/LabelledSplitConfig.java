package dev.embtrain.training.config;

/**
 * How labelled rows are split: stratified by label into training, validation (early stopping
 * and search) and test (touched once, for the final report).
 *
 * @param train the share of each class trained on
 * @param validation the share of each class for early stopping and search
 * @param test the share of each class for the final report
 * @param seed the shuffle's seed
 * @param refit whether the final model is trained again on training + validation rows
 */
@Doc("Stratified split of labelled rows: each class keeps its share in training, validation and test.")
public record LabelledSplitConfig(
        @Doc("Share of each class trained on; train + validation + test must be 1.") @Default("0.7") double train,
        @Doc("Share of each class for early stopping and the search.") @Default("0.15") double validation,
        @Doc("Share of each class for the final report, scored once.") @Default("0.15") double test,
        @Doc("Seed of the split.") @Default("42") long seed,
        @Doc("false: the kept model is the one early stopping (and the search) chose on validation. true: once they"
                        + " have chosen the config and its number of epochs, train it again from scratch on the"
                        + " training and validation rows together for exactly that many epochs (scikit-learn's"
                        + " refit); more rows, a better model, and the test split is still scored once.")
                @Default("false") boolean refit) {

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
