package dev.embtrain.datasets.tables;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.TableFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A table of features keyed by a user or item id (CSV, TSV or Parquet, {@link TableFile}): one
 * row an id, categorical columns (one value) and bag columns (several values in one cell,
 * delimiter-separated, as MovieLens's genres {@code Action|Comedy}), and optionally a label
 * column (an item's title, for exported embeddings and neighbours). An empty cell is an unknown
 * value, or an empty bag.
 */
public final class SideTable {

    /**
     * What to read.
     *
     * @param key the id column
     * @param categorical single-valued feature columns
     * @param bags multi-valued feature columns
     * @param delimiter what separates a bag's values
     * @param label the label column, or null
     * @param numeric real-valued feature columns
     * @param groups real-valued columns grouped into one feature each, by the feature's name
     *     (feat2vec's {@code [['attr1', 'attr2', 'attr3']]})
     */
    public record Columns(String key, List<String> categorical, List<String> bags, String delimiter, String label,
            List<String> numeric, Map<String, List<String>> groups) {
        /** Copies the lists. */
        public Columns {
            categorical = List.copyOf(categorical);
            bags = List.copyOf(bags);
            numeric = List.copyOf(numeric);
            Map<String, List<String>> g = new java.util.LinkedHashMap<>();
            groups.forEach((name, cols) -> g.put(name, List.copyOf(cols)));
            groups = java.util.Collections.unmodifiableMap(g);
        }

        /**
         * Columns without groups.
         *
         * @param key the id column
         * @param categorical single-valued feature columns
         * @param bags multi-valued feature columns
         * @param delimiter what separates a bag's values
         * @param label the label column, or null
         * @param numeric real-valued feature columns
         */
        public Columns(String key, List<String> categorical, List<String> bags, String delimiter, String label,
                List<String> numeric) {
            this(key, categorical, bags, delimiter, label, numeric, Map.of());
        }

        /**
         * Columns without numeric ones.
         *
         * @param key the id column
         * @param categorical single-valued feature columns
         * @param bags multi-valued feature columns
         * @param delimiter what separates a bag's values
         * @param label the label column, or null
         */
        public Columns(String key, List<String> categorical, List<String> bags, String delimiter, String label) {
            this(key, categorical, bags, delimiter, label, List.of(), Map.of());
        }
    }

    private final Path file;
    private final Columns columns;
    private final List<String> fields;
    private final Map<String, String[]> rows;

    private SideTable(Path file, Columns columns, Map<String, String[]> rows) {
        this.file = file;
        this.columns = columns;
        List<String> f = new ArrayList<>(columns.categorical());
        f.addAll(columns.bags());
        f.addAll(columns.numeric());
        f.addAll(columns.groups().keySet());
        this.fields = List.copyOf(f);
        this.rows = rows;
    }

    /**
     * Reads a side table.
     *
     * @param file the file
     * @param columns what to read
     * @return the table
     * @throws DataFormatException for a missing column, an empty key, a key given twice, or a
     *     file with no rows
     * @throws IOException when the file cannot be read
     */
    public static SideTable read(Path file, Columns columns) throws IOException {
        List<String> required = new ArrayList<>();
        required.add(columns.key());
        required.addAll(columns.categorical());
        required.addAll(columns.bags());
        required.addAll(columns.numeric());
        List<String> grouped = new ArrayList<>();
        columns.groups().values().forEach(grouped::addAll);
        required.addAll(grouped);
        if (columns.label() != null) {
            required.add(columns.label());
        }
        // A row: categorical, bags, numeric, the groups' columns in order, then the label.
        List<String> numbers = new ArrayList<>(columns.numeric());
        numbers.addAll(grouped);
        int numericFrom = columns.categorical().size() + columns.bags().size();
        int numericTo = numericFrom + numbers.size();
        int width = numericTo + (columns.label() == null ? 0 : 1);
        Map<String, String[]> rows = new HashMap<>();
        Map<String, TableFile.Where> first = new HashMap<>();
        long n = TableFile.read(file, required, List.of(), (values, where) -> {
            String key = values[0];
            if (key == null || key.isEmpty()) {
                throw where.error("column \"" + columns.key() + "\" is empty");
            }
            TableFile.Where seen = first.putIfAbsent(key, where);
            if (seen != null) {
                throw where.error("key \"" + key + "\" appears twice in column \"" + columns.key() + "\" (first "
                        + (seen.line() > 0 ? "on line " + seen.line() : "in row group " + seen.group() + ", row "
                        + seen.row()) + ")");
            }
            String[] row = new String[width];
            for (int i = 0; i < width; i++) {
                String v = values[i + 1];
                row[i] = v == null || v.isBlank() ? null : v.strip();
                if (row[i] != null && i >= numericFrom && i < numericTo) {
                    number(row[i], numbers.get(i - numericFrom), where);
                }
            }
            rows.put(key, row);
        });
        if (n == 0) {
            throw new DataFormatException(file, 0, "no rows: the file has a header and no rows");
        }
        return new SideTable(file, columns, rows);
    }

    private static void number(String value, String column, TableFile.Where where) {
        try {
            if (Double.isFinite(Double.parseDouble(value))) {
                return;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw where.badValue(column, value, "a number");
    }

    /**
     * Returns the file it was read from.
     *
     * @return the file
     */
    public Path file() {
        return file;
    }

    /**
     * Returns the feature columns, categorical, then bags, then numeric, then the groups.
     *
     * @return the names
     */
    public List<String> fields() {
        return fields;
    }

    /**
     * Returns whether a feature column is a bag.
     *
     * @param field a field of {@link #fields()}
     * @return true for a bag
     */
    public boolean isBag(String field) {
        return columns.bags().contains(field);
    }

    /**
     * Returns whether a feature column is numeric.
     *
     * @param field a field of {@link #fields()}
     * @return true for a numeric column
     */
    public boolean isNumeric(String field) {
        return columns.numeric().contains(field) || columns.groups().containsKey(field);
    }

    /**
     * Returns the columns of a numeric field: itself, or a group's.
     *
     * @param field a numeric field
     * @return its columns, in order
     */
    public List<String> numericColumns(String field) {
        List<String> g = columns.groups().get(field);
        return g != null ? g : List.of(field);
    }

    /**
     * Returns the number of keys.
     *
     * @return rows
     */
    public int size() {
        return rows.size();
    }

    /**
     * Returns a categorical value.
     *
     * @param key the id
     * @param field a categorical field
     * @return the value, or null when the id is not in the table or its cell is empty
     */
    public String value(String key, String field) {
        String[] row = rows.get(key);
        if (row == null) {
            return null;
        }
        List<String> group = columns.groups().get(field);
        if (group == null) {
            return row[fields.indexOf(field)];
        }
        // A group's cells joined by |, an empty cell empty; null when every cell is.
        int at = columns.categorical().size() + columns.bags().size() + columns.numeric().size();
        for (Map.Entry<String, List<String>> g : columns.groups().entrySet()) {
            if (g.getKey().equals(field)) {
                break;
            }
            at += g.getValue().size();
        }
        StringBuilder sb = new StringBuilder();
        boolean any = false;
        for (int i = 0; i < group.size(); i++) {
            String v = row[at + i];
            any |= v != null;
            sb.append(i == 0 ? "" : "|").append(v == null ? "" : v);
        }
        return any ? sb.toString() : null;
    }

    /**
     * Returns a bag's values.
     *
     * @param key the id
     * @param field a bag field
     * @return the values, empty when the id is not in the table or its cell is empty
     */
    public List<String> values(String key, String field) {
        String v = value(key, field);
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        String d = columns.delimiter();
        while (true) {
            int end = v.indexOf(d, start);
            String part = (end < 0 ? v.substring(start) : v.substring(start, end)).strip();
            if (!part.isEmpty() && !out.contains(part)) {
                out.add(part);
            }
            if (end < 0) {
                return out;
            }
            start = end + d.length();
        }
    }

    /**
     * Returns an id's label.
     *
     * @param key the id
     * @return the label column's value, or null without a label column, an unknown id or an
     *     empty cell
     */
    public String label(String key) {
        String[] row = rows.get(key);
        return row == null || columns.label() == null ? null : row[row.length - 1];
    }
}
