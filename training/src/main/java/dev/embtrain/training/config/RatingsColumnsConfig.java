package dev.embtrain.training.config;

/**
 * The columns of a ratings table, by name.
 *
 * @param user the user id column
 * @param item the item id column
 * @param rating the rating column
 * @param timestamp the timestamp column, or null for none
 */
@Doc("The columns of a ratings table, by name as its header (or Parquet schema) has them.")
public record RatingsColumnsConfig(
        @Doc("The user id column.") @Default("user") String user,
        @Doc("The item id column.") @Default("item") String item,
        @Doc("The rating column: any number (stars), or 0/1 with label: {type: binary, threshold: 1}.")
                @Default("rating") String rating,
        @Doc("The timestamp column (unix seconds or an ISO-8601 date-time), which leave-last-out needs; absent:"
                        + " none.")
                @Default("null") String timestamp) {

    /** Validates the section. */
    public RatingsColumnsConfig {
        Check.notBlank("user", user);
        Check.notBlank("item", item);
        Check.notBlank("rating", rating);
        if (timestamp != null) {
            Check.notBlank("timestamp", timestamp);
        }
        java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of(user, item, rating));
        if (timestamp != null) {
            names.add(timestamp);
        }
        if (new java.util.HashSet<>(names).size() < names.size()) {
            throw new IllegalArgumentException("user, item, rating and timestamp must name different columns, found "
                    + names);
        }
    }
}
