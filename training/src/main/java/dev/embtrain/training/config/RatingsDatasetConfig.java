package dev.embtrain.training.config;

/** A dataset of (user, item, rating) rows, split at random or leave-last-out. */
public sealed interface RatingsDatasetConfig extends DatasetConfig permits MovieLensConfig, SyntheticMovieLensConfig {

    /**
     * Returns how rows are split into training and validation.
     *
     * @return the split
     */
    SplitConfig split();
}
