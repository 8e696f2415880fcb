package dev.embtrain.datasets.movielens;

import java.util.Locale;

/**
 * Chooses what identifies an item in a ratings table: the data set's own movie id, or the
 * movie title.
 *
 * <p>Keying by title follows fastai's collaborative-filtering lesson: real ml-100k has 1,682
 * movie ids but only 1,664 distinct titles, because some movies were entered twice under
 * different ids; keying by title merges their ratings.
 */
public enum ItemKey {
    /** The data set's movie id, e.g. {@code "242"}. */
    ID,
    /** The movie title, e.g. {@code "Kolya (1996)"}. */
    TITLE;

    /**
     * Parses the YAML spelling, {@code "id"} or {@code "title"} (lower case, as written in
     * configs).
     *
     * @throws IllegalArgumentException for anything else, naming the value
     */
    public static ItemKey parse(String value) {
        if ("id".equals(value)) {
            return ID;
        }
        if ("title".equals(value)) {
            return TITLE;
        }
        throw new IllegalArgumentException(
                "item_key: expected one of [id, title], found " + (value == null ? "null" : "\"" + value + "\""));
    }

    /** The YAML spelling, the inverse of {@link #parse(String)}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
