package dev.embtrain.training.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The columns of a sessions table, by name.
 *
 * @param session the session id column
 * @param item the item id column
 * @param order the column ordering a session's rows, or null for file order
 * @param label the item label column, or null for none
 */
@Doc("The columns of a sessions table, by name as its header (or Parquet schema) has them.")
public record SessionsColumnsConfig(
        @Doc("The session id column (a visit, a basket, a customer).") @Default("session") String session,
        @Doc("The item id column.") @Default("item") String item,
        @Doc("The column ordering a session's rows: a position, unix seconds or an ISO-8601 date-time; ties keep"
                        + " file order; absent: file order.")
                @Default("null") String order,
        @Doc("A column labelling each item (a title, a description; its first non-empty value is kept), shown in"
                        + " exports and neighbours; absent: the id, or dataset.labels.")
                @Default("null") String label) {

    /** Validates the section. */
    public SessionsColumnsConfig {
        Check.notBlank("session", session);
        Check.notBlank("item", item);
        List<String> names = new ArrayList<>(List.of(session, item));
        if (order != null) {
            Check.notBlank("order", order);
            names.add(order);
        }
        if (label != null) {
            Check.notBlank("label", label);
            names.add(label);
        }
        if (new HashSet<>(names).size() < names.size()) {
            throw new IllegalArgumentException("session, item, order and label must name different columns, found "
                    + names);
        }
    }
}
