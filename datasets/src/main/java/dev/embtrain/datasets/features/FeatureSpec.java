package dev.embtrain.datasets.features;

import dev.embtrain.models.shared.HashedCross;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a run asks of its data: the fields to encode (by name), the hashed crosses to add, and
 * the label. A {@link FeatureSchema} is built from it and the training split.
 *
 * @param fields the field names, in the order their columns appear; must include {@code user}
 *     and {@code item}
 * @param crosses the hashed crosses, each over fields of this spec
 * @param label what is predicted
 */
public record FeatureSpec(List<String> fields, List<HashedCross> crosses, Label label) {

    /** The default fields: the ids alone, as collaborative filtering uses them. */
    public static final List<String> IDS = List.of("user", "item");

    /**
     * Checks the spec.
     *
     * @throws IllegalArgumentException naming the field or cross at fault
     */
    public FeatureSpec {
        fields = List.copyOf(fields);
        crosses = List.copyOf(crosses);
        if (label == null) {
            throw new IllegalArgumentException("label must be set");
        }
        Set<String> seen = new HashSet<>();
        for (String f : fields) {
            if (!seen.add(f)) {
                throw new IllegalArgumentException("field \"" + f + "\" is listed twice in " + fields);
            }
        }
        for (String id : IDS) {
            if (!seen.contains(id)) {
                throw new IllegalArgumentException("the fields must include user and item (the ids a prediction is"
                        + " asked for), found " + fields);
            }
        }
        List<String> names = new ArrayList<>(fields);
        for (HashedCross c : crosses) {
            for (String f : c.fields()) {
                if (!seen.contains(f)) {
                    throw new IllegalArgumentException("cross " + c.name() + " names field \"" + f
                            + "\", which is not among the fields " + fields);
                }
            }
            if (names.contains(c.name())) {
                throw new IllegalArgumentException("cross " + c.name() + " is listed twice or clashes with a field");
            }
            names.add(c.name());
        }
    }

    /**
     * Returns the spec of ids alone with ratings as labels.
     *
     * @return {@code [user, item]}, no crosses, ratings
     */
    public static FeatureSpec ids() {
        return new FeatureSpec(IDS, List.of(), Label.RATING);
    }

    /**
     * What a row's label is.
     *
     * @param binary whether the label is {@code rating >= threshold} (1) or not (0), rather than
     *     the rating itself
     * @param threshold the smallest rating that counts as positive, for a binary label
     * @param implicit whether every row is an observed interaction, labelled 1, which training
     *     ranks above items drawn for it (implicit feedback); neither binary nor a rating
     */
    public record Label(boolean binary, float threshold, boolean implicit) {
        /** The rating itself. */
        public static final Label RATING = new Label(false, 0f, false);

        /** Implicit feedback: every row is a positive. */
        public static final Label IMPLICIT = new Label(false, 0f, true);

        /**
         * Returns a binary label.
         *
         * @param threshold the smallest positive rating
         * @return the label
         */
        public static Label atLeast(float threshold) {
            return new Label(true, threshold, false);
        }

        /**
         * Returns the label of a rating.
         *
         * @param rating the rating
         * @return the rating, 1/0 for a binary label, 1 for an implicit one
         */
        public float of(float rating) {
            return implicit ? 1f : binary ? (rating >= threshold ? 1f : 0f) : rating;
        }
    }
}
