package dev.embtrain.training.config;

import dev.embtrain.datasets.movielens.ItemKey;
import java.nio.file.Path;
import java.util.List;

/**
 * A MovieLens directory: ml-100k, ml-1m or an ml-latest/ml-25m CSV folder, told apart by the
 * files in it.
 *
 * @param path the directory
 * @param itemKey whether items are keyed by movie id or by title
 * @param split how ratings are split
 * @param download fetch the official zip into the directory's parent when it is missing
 * @param features the fields to encode
 * @param crosses hashed crosses of those fields
 * @param label the label
 * @param evaluation the ranking metrics on the validation split
 */
@Doc("Ratings from a MovieLens directory (ml-100k, ml-1m, ml-latest, ml-25m), detected from its files.")
public record MovieLensConfig(
        @Doc("Directory holding u.data (ml-100k), ratings.dat (ml-1m) or ratings.csv (ml-latest, ml-25m).") Path path,
        @Doc("Key items by movie id or by title (fastai keys by title: ml-100k has 1,664 titles for 1,682 ids).")
                @Default("id") ItemKey itemKey,
        @Doc("How ratings are split into training and validation.") @Default("{}") SplitConfig split,
        @Doc("Download the official GroupLens zip when the directory is missing; the directory's name picks it"
                        + " (ml-100k, ml-1m, ml-latest-small, ml-25m) and its SHA-256 is checked.")
                @Default("false") boolean download,
        @Doc("Fields to encode, by name: user, item and the side features age (bucketed), gender, occupation,"
                        + " zip_prefix, genres (a bag) and year, where the data has them.")
                @Default("[user, item]") List<String> features,
        @Doc("Hashed feature crosses of those fields, e.g. [{fields: [user, genres], buckets: 10000}].")
                @Default("[]") List<CrossConfig> crosses,
        @Doc("What is predicted: the rating or a binary rating >= threshold.") @Default("{}") LabelConfig label,
        @Doc("Ranking metrics on the validation split; an implicit label always ranks.") @Default("{}")
                RatingsEvaluationConfig evaluation)
        implements RatingsDatasetConfig {

    /** Validates the section. */
    public MovieLensConfig {
        if (path == null) {
            throw new ConfigValueException("path", "required key is missing");
        }
        features = List.copyOf(features);
        crosses = List.copyOf(crosses);
    }
}
