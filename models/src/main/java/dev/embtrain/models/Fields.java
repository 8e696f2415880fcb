package dev.embtrain.models;

import java.util.List;

/** Resolves named categorical fields to their column in a batch, so no model reads a column by position. */
public final class Fields {

    private Fields() {}

    /**
     * Returns the column of {@code field} in {@code fields}.
     *
     * @param role what the model uses the field for, for the error message ("user field")
     * @param field the field's name
     * @param fields the batch's categorical fields, in column order
     * @return the column index
     * @throws IllegalArgumentException naming the field and the available ones when it is absent
     */
    public static int column(String role, String field, List<String> fields) {
        int column = fields.indexOf(field);
        if (column < 0) {
            throw new IllegalArgumentException(
                    role + " \"" + field + "\" is not among the dataset's categorical fields " + fields);
        }
        return column;
    }
}
