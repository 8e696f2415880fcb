package dev.embtrain.training.config;

/**
 * How next-item pairs are held out of session data: {@code validation} + {@code test} distinct
 * sessions of two or more items, drawn with {@code seed}, each giving one (second-to-last, last)
 * pair. Every session, those included, trains without its last item.
 *
 * @param validation pairs that pick the epoch and drive early stopping
 * @param test pairs scored once, with the kept epoch
 * @param seed the draw's seed
 */
@Doc("Next-item evaluation: held-out (second-to-last -> last item) pairs from distinct sessions.")
public record EvaluationConfig(
        @Doc("Validation pairs (pick the kept epoch, drive early stopping).") @Default("1000") int validation,
        @Doc("Test pairs, scored once with the kept epoch.") @Default("1000") int test,
        @Doc("Seed of the draw of the sessions the pairs come from.") @Default("42") long seed) {

    /** Validates the section. */
    public EvaluationConfig {
        Check.positive("validation", validation);
        Check.positive("test", test);
    }
}
