package dev.embtrain.training.config;

/**
 * What the two labelled-embeddings dataset types share: how rows are split, selected,
 * standardised and weighted before a binary classifier is trained on them.
 */
public sealed interface LabelledDataset extends DatasetConfig
        permits LabelledEmbeddingsConfig, SyntheticLabelledEmbeddingsConfig {

    /**
     * Returns the stratified train/validation/test split.
     *
     * @return the split
     */
    LabelledSplitConfig split();

    /**
     * Returns the column of the embeddings file that holds the vectors.
     *
     * @return the column name
     */
    String column();

    /**
     * Returns how many columns SelectKBest keeps.
     *
     * @return k, 0 for all
     */
    int selectKBest();

    /**
     * Returns whether columns are standardised with the training split's mean and deviation.
     *
     * @return whether to standardise
     */
    boolean standardize();

    /**
     * Returns how the classes weigh in the loss.
     *
     * @return the weighting
     */
    ClassWeight classWeight();

    /**
     * Returns the probability above which a row is predicted positive in the test report.
     *
     * @return the threshold
     */
    double threshold();

    /**
     * Checks the options the two types share.
     *
     * @param selectKBest k
     * @param threshold the threshold
     */
    static void check(int selectKBest, double threshold) {
        if (selectKBest < 0) {
            throw new ConfigValueException("select_k_best", "must be >= 0 (0 keeps every column), found " + selectKBest);
        }
        Check.openInterval("threshold", threshold, 0, 1);
    }
}
