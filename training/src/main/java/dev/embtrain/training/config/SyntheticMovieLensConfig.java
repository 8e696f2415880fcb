package dev.embtrain.training.config;

import dev.embtrain.datasets.movielens.ItemKey;
import java.nio.file.Path;
import java.util.List;

/**
 * Ratings generated in the ml-100k format from a latent-factor model with known noise, so that
 * a run needs no download and its best possible MSE (the noise floor) is known.
 *
 * @param path where the files are written (reused when the same spec is already there)
 * @param users number of users
 * @param items number of items
 * @param ratings number of ratings
 * @param factors latent factors of the generator
 * @param noise standard deviation of the Gaussian noise before rounding to stars
 * @param exposure how strongly preference decides which pairs are rated (0: uniformly)
 * @param generatorSeed the generator's seed
 * @param itemKey whether items are keyed by id or by title
 * @param split how ratings are split
 * @param features the fields to encode
 * @param crosses hashed crosses of those fields
 * @param label the label
 * @param evaluation the ranking metrics on the validation split
 */
@Doc("MovieLens-format ratings generated from a latent-factor model with known noise; no download.")
public record SyntheticMovieLensConfig(
        @Doc("Directory the generated u.data, u.item, u.user are written to.")
                @Default("data/synthetic-movielens") Path path,
        @Doc("Number of users.") @Default("400") int users,
        @Doc("Number of items.") @Default("300") int items,
        @Doc("Number of ratings (distinct user-item pairs).") @Default("100000") int ratings,
        @Doc("Latent factors of the generating model.") @Default("2") int factors,
        @Doc("Standard deviation of the Gaussian noise added before rounding to 1-5 stars.")
                @Default("0.8") double noise,
        @Doc("How strongly preference decides which pairs are rated: a user picks an unrated item with"
                        + " probability proportional to exp(exposure * (b_i + p_u.q_i)), as users watch what they"
                        + " like; 0 draws pairs uniformly. Implicit feedback needs it > 0 to carry a signal (try 2).")
                @Default("0.0") double exposure,
        @Doc("Seed of the generator (the run's seed drives training).") @Default("42") long generatorSeed,
        @Doc("Key items by id or by title.") @Default("id") ItemKey itemKey,
        @Doc("How ratings are split into training and validation.") @Default("{}") SplitConfig split,
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
    public SyntheticMovieLensConfig {
        if (path == null) {
            throw new ConfigValueException("path", "required key is missing");
        }
        features = List.copyOf(features);
        crosses = List.copyOf(crosses);
        Check.positive("users", users);
        Check.positive("items", items);
        Check.positive("ratings", ratings);
        Check.positive("factors", factors);
        Check.nonNegative("noise", noise);
        Check.nonNegative("exposure", exposure);
        if ((long) users * items < ratings) {
            throw new ConfigValueException("ratings",
                    "must be <= users x items = " + (long) users * items + ", found " + ratings);
        }
        if (exposure > 0 && (long) users * items > dev.embtrain.datasets.synthetic.SyntheticMovieLens.MAX_EXPOSURE_CELLS) {
            throw new ConfigValueException("exposure", "scores every user-item cell: users x items must be <= "
                    + dev.embtrain.datasets.synthetic.SyntheticMovieLens.MAX_EXPOSURE_CELLS + ", found "
                    + (long) users * items);
        }
    }
}
