package dev.embtrain.training.config;

/**
 * Sessions generated from items in latent clusters, for tests and a no-download demo.
 *
 * @param items number of items
 * @param clusters number of clusters the items fall into
 * @param sessions number of sessions
 * @param minLength the shortest session
 * @param maxLength the longest session
 * @param stay probability that the next item comes from the session's cluster
 * @param generatorSeed the generator's seed
 * @param minCount the fewest occurrences an item needs to get a vector
 * @param evaluation the held-out next-item pairs
 */
@Doc("Sessions generated in memory from items in latent clusters (see SyntheticSessions); no download.")
public record SyntheticSessionsConfig(
        @Doc("Number of items.") @Default("500") int items,
        @Doc("Clusters the items fall into (item i is in cluster i mod clusters).") @Default("50") int clusters,
        @Doc("Number of sessions.") @Default("4000") int sessions,
        @Doc("The shortest session.") @Default("4") int minLength,
        @Doc("The longest session.") @Default("20") int maxLength,
        @Doc("Probability that an item comes from the session's own cluster rather than from any cluster.")
                @Default("0.8") double stay,
        @Doc("Seed of the generator (the run's seed drives training).") @Default("42") long generatorSeed,
        @Doc("Items seen fewer times in the training sessions get no vector.") @Default("1") int minCount,
        @Doc("The held-out next-item pairs.") @Default("{validation: 500, test: 500}") EvaluationConfig evaluation)
        implements SessionsDatasetConfig {

    /** Validates the section. */
    public SyntheticSessionsConfig {
        Check.positive("items", items);
        Check.positive("clusters", clusters);
        if (clusters > items) {
            throw new ConfigValueException("clusters", "must be <= items = " + items + ", found " + clusters);
        }
        Check.positive("sessions", sessions);
        if (minLength < 2) {
            throw new ConfigValueException("min_length", "must be >= 2 (a session ends in its held-out item), found "
                    + minLength);
        }
        if (maxLength < minLength) {
            throw new ConfigValueException("max_length", "must be >= min_length = " + minLength + ", found " + maxLength);
        }
        if (!(stay >= 0 && stay <= 1)) {
            throw new ConfigValueException("stay", "must be in [0, 1], found " + stay);
        }
        Check.positive("min_count", minCount);
    }

    /**
     * Returns the generator's spec.
     *
     * @return the spec this section describes
     */
    public dev.embtrain.datasets.synthetic.SyntheticSessions.Spec spec() {
        return new dev.embtrain.datasets.synthetic.SyntheticSessions.Spec(items, clusters, sessions, minLength,
                maxLength, stay, generatorSeed);
    }
}
