package dev.embtrain.datasets.features;

import java.util.List;

/**
 * Rows of raw feature values by field name: what a {@link FeatureSchema} is built from and
 * encodes. A field is either single-valued (one string a row, null when unknown) or a bag (a
 * list a row, possibly empty).
 */
public interface FeatureSource {

    /**
     * Returns the fields this source has, in the order they are documented.
     *
     * @return the field names
     */
    List<String> fields();

    /**
     * Returns whether a field holds a list of values a row (MovieLens genres).
     *
     * @param field a field of {@link #fields()}
     * @return true for a bag
     */
    boolean isBag(String field);

    /**
     * Returns whether a field holds a real number a row ({@link #value} gives its text, null
     * when missing), which a schema standardises into one dense column.
     *
     * @param field a field of {@link #fields()}
     * @return true for a numeric field
     */
    default boolean isNumeric(String field) {
        return false;
    }

    /**
     * Returns the columns of a numeric field: the field itself, or the columns of a group
     * (feat2vec's grouped real-valued feature), whose values {@link #value} joins with {@code |}
     * in this order, a missing one empty.
     *
     * @param field a numeric field
     * @return its columns
     */
    default List<String> numericColumns(String field) {
        return List.of(field);
    }

    /**
     * Returns the number of rows.
     *
     * @return rows
     */
    int size();

    /**
     * Returns a single-valued field's value on a row.
     *
     * @param field the field
     * @param row the row
     * @return the value, or null when the data does not know it (a user absent from u.user)
     */
    String value(String field, int row);

    /**
     * Returns a bag field's values on a row.
     *
     * @param field the field
     * @param row the row
     * @return the values, possibly empty
     */
    List<String> values(String field, int row);

    /**
     * Returns the row's rating, from which the label is derived.
     *
     * @param row the row
     * @return the rating
     */
    float rating(int row);

    /**
     * Returns what the data set is called in messages ({@code ml-100k}).
     *
     * @return the name
     */
    String name();

    /**
     * Returns which id a field describes, so that its values can be saved per user or per item
     * and looked up again by id at prediction time.
     *
     * @param field a field of {@link #fields()}
     * @return {@code "user"} or {@code "item"} for a side feature, null for {@code user},
     *     {@code item} and anything else
     */
    default String sideOf(String field) {
        return null;
    }
}
