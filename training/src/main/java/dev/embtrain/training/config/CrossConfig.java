package dev.embtrain.training.config;

import java.util.HashSet;
import java.util.List;

/**
 * A hashed feature cross of dataset fields (one {@code dataset.crosses} entry); its column is
 * named by joining the fields with {@code _x_} ({@code user_x_genres}).
 *
 * @param fields the crossed fields, at least two, each in {@code dataset.features}
 * @param buckets how many hash buckets the combinations share
 */
@Doc("A hashed cross of two or more fields; its column is named by joining them with _x_ (user_x_genres).")
public record CrossConfig(
        @Doc("The crossed fields, each one of dataset.features; a bag (genres) gives one bucket per element.")
                List<String> fields,
        @Doc("Hash buckets the combinations share; more buckets, fewer collisions, more parameters.")
                @Default("10000") int buckets) {

    /** Validates one cross. */
    public CrossConfig {
        if (fields == null) {
            throw new ConfigValueException("fields", "required key is missing");
        }
        if (fields.size() < 2) {
            throw new ConfigValueException("fields", "a cross needs at least 2 fields, found " + fields);
        }
        if (new HashSet<>(fields).size() != fields.size()) {
            throw new ConfigValueException("fields", "fields must be distinct, found " + fields);
        }
        Check.positive("buckets", buckets);
        fields = List.copyOf(fields);
    }

    /**
     * Returns the cross's column name.
     *
     * @return the fields joined with {@code _x_}
     */
    public String name() {
        return String.join("_x_", fields);
    }
}
