package dev.embtrain.training.config;

/** A dataset of (user, item, rating) rows, split at random, leave-last-out or by a column. */
public sealed interface RatingsDatasetConfig extends DatasetConfig permits MovieLensConfig, SyntheticMovieLensConfig,
        RatingsFileConfig {

    /**
     * Returns how rows are split into training and validation.
     *
     * @return the split
     */
    SplitConfig split();

    /**
     * Returns the fields to encode, by name.
     *
     * @return user, item and side features
     */
    java.util.List<String> features();

    /**
     * Returns the hashed crosses of those fields.
     *
     * @return the crosses
     */
    java.util.List<CrossConfig> crosses();

    /**
     * Returns what is predicted: the rating, or a binary label.
     *
     * @return the label
     */
    LabelConfig label();

    /**
     * Returns the ranking evaluation.
     *
     * @return the section
     */
    RatingsEvaluationConfig evaluation();

    @Override
    default java.util.Map<String, String> unreadKeys() {
        java.util.Map<String, String> unread = new java.util.LinkedHashMap<>();
        split().unreadKeys().forEach((key, why) -> unread.put("split." + key, why));
        label().unreadKeys().forEach((key, why) -> unread.put("label." + key, why));
        return unread;
    }
}
