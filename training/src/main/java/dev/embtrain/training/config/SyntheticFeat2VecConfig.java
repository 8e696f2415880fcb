package dev.embtrain.training.config;

import dev.embtrain.datasets.synthetic.SyntheticFeat2Vec;

/**
 * feat2vec's toy data set, generated: rows of an item, an id, three real-valued attributes and
 * an outcome y tied by a latent variable (see {@link SyntheticFeat2Vec}); for implicit training.
 *
 * @param rows number of rows
 * @param outcome how y is read off the latent variable
 * @param generatorSeed the generator's seed
 * @param split how rows are split; only a random split applies
 */
@Doc("feat2vec's toy data: item, id, attr1..attr3 (one dense group, attrs) and an outcome y tied by a latent"
        + " variable, as in its example notebook; for implicit training.")
public record SyntheticFeat2VecConfig(
        @Doc("Number of rows (the notebook draws 100,000).") @Default("100000") int rows,
        @Doc("binary: y = 1 when the latent variable is > 0 (the notebook's); floor: y = its integer part (-10..9).")
                @Default("binary") SyntheticFeat2Vec.Outcome outcome,
        @Doc("Seed of the generator (the run's seed drives training).") @Default("1") long generatorSeed,
        @Doc("How rows are split into training and validation (random only; the notebook holds out 10%).")
                @Default("{}") SplitConfig split)
        implements DatasetConfig {

    /** Validates the section. */
    public SyntheticFeat2VecConfig {
        Check.positive("rows", rows);
        if (split.type() != SplitConfig.SplitType.RANDOM) {
            throw new ConfigValueException("split", "leave-last-out needs users and timestamps, which these rows"
                    + " lack; use type: random");
        }
    }
}
