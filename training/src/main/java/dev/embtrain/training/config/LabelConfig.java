package dev.embtrain.training.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a rating row is labelled with: the rating, whether it reaches a threshold, or (implicit
 * feedback) nothing but that the user chose the item. Implicit feedback's negatives and loss are
 * here too, since they are how such a label becomes training examples, as the rating's label
 * picks MSE and the binary label cross-entropy.
 *
 * @param type rating (regression), binary or implicit
 * @param threshold the smallest rating labelled 1 by a binary label
 * @param minRating implicit: the smallest rating kept as a positive; null keeps every row
 * @param negatives implicit: items drawn per positive
 * @param sampler implicit: how negatives are drawn
 * @param alpha implicit: the exponent of popularity sampling
 * @param loss implicit: BPR or binary cross-entropy
 */
@Doc("What is predicted: the rating, 1 when the rating is at least threshold else 0, or implicit feedback (every"
        + " row a positive, ranked above items drawn for it).")
public record LabelConfig(
        @Doc("rating: the rating itself (regression); binary: rating >= threshold as 1/0 (AUC, log loss);"
                        + " implicit: every row is an interaction, trained against sampled items (ranking metrics).")
                @Default("rating") LabelType type,
        @Doc("The smallest rating that counts as positive for a binary label.") @Default("4.0") double threshold,
        @Doc("implicit: keep only rows rated at least this as positives (after the split); absent: every row.")
                @Default(ConfigBinder.OPTIONAL) Double minRating,
        @Doc("implicit: items drawn per positive, among those the user has no training row with.") @Default("1")
                int negatives,
        @Doc("implicit: uniform over items, or popularity: proportional to (users with a training row)^alpha.")
                @Default("uniform") Sampler sampler,
        @Doc("implicit: the exponent of popularity sampling (word2vec's 0.75).") @Default("0.75") double alpha,
        @Doc("implicit: bpr (Rendle 2009: -log sigmoid(s_pos - s_neg) per drawn item) or bce (NCF: sigmoid"
                        + " cross-entropy, positives 1, drawn items 0).")
                @Default("bpr") Loss loss) {

    /** Validates the section. */
    public LabelConfig {
        if (!Double.isFinite(threshold)) {
            throw new ConfigValueException("threshold", "must be a finite number, found " + threshold);
        }
        if (minRating != null && !Double.isFinite(minRating)) {
            throw new ConfigValueException("min_rating", "must be a finite number, found " + minRating);
        }
        Check.positive("negatives", negatives);
        Check.nonNegative("alpha", alpha);
    }

    /**
     * Returns the keys this label's type does not read.
     *
     * @return each key under {@code label}, with why
     */
    public Map<String, String> unreadKeys() {
        Map<String, String> unread = new LinkedHashMap<>();
        String name = "label " + ConfigBinder.yamlName(type);
        if (type != LabelType.BINARY) {
            unread.put("threshold", name + " does not use it; remove it, or pick type: binary");
        }
        if (type != LabelType.IMPLICIT) {
            for (String key : new String[] {"min_rating", "negatives", "sampler", "alpha", "loss"}) {
                unread.put(key, name + " does not use it; remove it, or pick type: implicit");
            }
        } else if (sampler != Sampler.POPULARITY) {
            unread.put("alpha", "sampler uniform does not use it; remove it, or pick sampler: popularity");
        }
        return unread;
    }

    /** The kinds of label. */
    public enum LabelType {
        /** The rating. */
        RATING,
        /** rating &gt;= threshold. */
        BINARY,
        /** Every row a positive. */
        IMPLICIT
    }

    /** How implicit feedback's negatives are drawn. */
    public enum Sampler {
        /** Every item alike. */
        UNIFORM,
        /** In proportion to training rows^alpha. */
        POPULARITY
    }

    /** The loss of implicit feedback. */
    public enum Loss {
        /** Bayesian personalised ranking. */
        BPR,
        /** Binary cross-entropy on positives and drawn items. */
        BCE
    }
}
