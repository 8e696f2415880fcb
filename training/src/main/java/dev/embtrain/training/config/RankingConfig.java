package dev.embtrain.training.config;

import java.util.List;

/**
 * Top-k ranking of the validation split: each validation user's held-out items (leave-last-out's
 * latest, or a random split's held-out rows) ranked among every item the user has no training
 * row with (full), or among {@code negatives} of them drawn per held-out item (sampled, the NCF
 * protocol).
 *
 * @param k the cut-offs
 * @param protocol full or sampled
 * @param negatives sampled: items drawn per held-out item
 * @param seed sampled: the draw's seed, the same every epoch
 * @param minRating only held-out rows rated at least this count; null counts every one
 */
@Doc("Top-k ranking of each validation user's held-out items among the items the user has no training row with.")
public record RankingConfig(
        @Doc("The cut-offs; each adds valid_recall_at_k, valid_hr_at_k, valid_ndcg_at_k and valid_mrr_at_k.")
                @Default("[10]") List<Integer> k,
        @Doc("full: rank among every such item; sampled: among negatives drawn per held-out item (NCF, He et al."
                        + " 2017).")
                @Default("full") Protocol protocol,
        @Doc("sampled: items drawn per held-out item.") @Default("99") int negatives,
        @Doc("sampled: the draw's seed; every epoch ranks against the same items.") @Default("42") long seed,
        @Doc("Count only held-out rows rated at least this as relevant (e.g. 4 of 5 stars); absent: every one.")
                @Default(ConfigBinder.OPTIONAL) Double minRating) {

    /** The defaults, which an implicit label ranks with when the section is absent. */
    public static final RankingConfig DEFAULT = new RankingConfig(List.of(10), Protocol.FULL, 99, 42, null);

    /** Validates the section. */
    public RankingConfig {
        if (k == null || k.isEmpty()) {
            throw new ConfigValueException("k", "needs at least one cut-off, e.g. [10]");
        }
        for (int cut : k) {
            Check.positive("k", cut);
        }
        if (k.stream().distinct().count() != k.size()) {
            throw new ConfigValueException("k", "lists a cut-off twice: " + k);
        }
        k = List.copyOf(k);
        Check.positive("negatives", negatives);
        if (minRating != null && !Double.isFinite(minRating)) {
            throw new ConfigValueException("min_rating", "must be a finite number, found " + minRating);
        }
    }

    /** How held-out items are ranked. */
    public enum Protocol {
        /** Among every item the user has no training row with. */
        FULL,
        /** Among items drawn per held-out item. */
        SAMPLED
    }
}
