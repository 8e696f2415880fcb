package dev.embtrain.training.config;

/**
 * What a rating row is labelled with: the rating, or whether it reaches a threshold.
 *
 * @param type rating (regression) or binary
 * @param threshold the smallest rating labelled 1 by a binary label
 */
@Doc("What is predicted: the rating, or 1 when the rating is at least threshold, else 0.")
public record LabelConfig(
        @Doc("rating: the rating itself (regression); binary: rating >= threshold as 1/0 (AUC, log loss).")
                @Default("rating") LabelType type,
        @Doc("The smallest rating that counts as positive for a binary label.") @Default("4.0") double threshold) {

    /** Validates the section. */
    public LabelConfig {
        if (!Double.isFinite(threshold)) {
            throw new ConfigValueException("threshold", "must be a finite number, found " + threshold);
        }
    }

    /** The kinds of label. */
    public enum LabelType {
        /** The rating. */
        RATING,
        /** rating &gt;= threshold. */
        BINARY
    }
}
