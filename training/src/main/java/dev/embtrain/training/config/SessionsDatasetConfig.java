package dev.embtrain.training.config;

/**
 * A dataset of sessions (ordered lists of items, e.g. a customer's purchases) for item2vec,
 * evaluated by predicting each held-out session's last item from its second-to-last.
 */
public sealed interface SessionsDatasetConfig extends DatasetConfig permits OnlineRetailConfig, SyntheticSessionsConfig,
        SessionsFileConfig {

    /**
     * Returns the fewest occurrences in the training sessions an item needs to get a vector.
     *
     * @return gensim's {@code min_count}
     */
    int minCount();

    /**
     * Returns how the validation and test pairs are drawn.
     *
     * @return the evaluation section
     */
    EvaluationConfig evaluation();
}
