package dev.embtrain.training.config;

/**
 * What a ratings run measures besides its loss.
 *
 * @param ranking top-k ranking of the validation split's items, or null for none (an implicit
 *     label always ranks, with this section's defaults when it is absent)
 */
@Doc("What a ratings run measures on the validation split besides its loss.")
public record RatingsEvaluationConfig(
        @Doc("Ranking metrics per epoch (Recall, HR, NDCG, MRR at each k) beside a popularity baseline; absent: none"
                        + " for ratings and binary labels, the defaults for an implicit label.")
                @Default(ConfigBinder.OPTIONAL) RankingConfig ranking) {}
