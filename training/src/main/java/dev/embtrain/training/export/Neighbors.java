package dev.embtrain.training.export;

import dev.embtrain.models.shared.Cosine;
import dev.embtrain.models.shared.TopK;
import dev.embtrain.training.text.EditDistance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Finds the nearest neighbours of one row of an embedding table by cosine similarity, the
 * quickest check that a trained table has learnt something ("the neighbours of Star Wars are
 * The Empire Strikes Back and Return of the Jedi").
 *
 * <p>Shapes: {@code vectors} is N × D (N rows of an embedding table, D = embedding width),
 * {@code labels} has N entries, one per row. Exact search, O(N·D) per query with a bounded heap
 * for the top k; 100 000 × 64 takes a few milliseconds.
 */
public final class Neighbors {

    /** How many close labels {@link #findLabel} suggests when nothing matches. */
    static final int SUGGESTIONS = 5;

    /**
     * One neighbour: its row index, its label and its cosine similarity to the query row, in
     * [-1, 1]; 0 when either row has zero norm.
     */
    public record Neighbor(int index, String label, double cosine) {}

    private Neighbors() {}

    /**
     * Returns the {@code k} rows most similar to row {@code query}, by descending cosine and,
     * among equal cosines, ascending index so that results are reproducible. The query row and
     * every index in {@code exclude} (e.g. the "unknown" row 0) are left out; fewer than
     * {@code k} neighbours are returned when fewer rows remain.
     *
     * <p>A zero-norm row (an embedding never updated, or the zero padding row) has cosine 0 to
     * everything rather than NaN, which would sort unpredictably.
     *
     * @throws IllegalArgumentException if {@code k <= 0}, {@code query} or an excluded index is
     *     out of range, the labels do not match the rows, the matrix is ragged, or a row used
     *     holds a NaN or infinite value
     */
    public static List<Neighbor> nearest(float[][] vectors, List<String> labels, int query, int k,
                                         Set<Integer> exclude) {
        Objects.requireNonNull(vectors, "vectors");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(exclude, "exclude");
        int n = vectors.length;
        if (labels.size() != n) {
            throw new IllegalArgumentException("there are " + labels.size() + " labels for " + n + " vectors");
        }
        if (query < 0 || query >= n) {
            throw new IllegalArgumentException("query must be a row index in [0, " + n + "), found " + query);
        }
        if (k <= 0) {
            throw new IllegalArgumentException("k must be > 0, found " + k);
        }
        boolean[] skip = new boolean[n];
        for (Integer e : exclude) {
            if (e == null || e < 0 || e >= n) {
                throw new IllegalArgumentException("excluded index must be in [0, " + n + "), found " + e);
            }
            skip[e] = true;
        }
        skip[query] = true;

        TopK.Result best = Cosine.nearest(vectors, row(vectors, query, -1), k, skip);
        List<Neighbor> result = new ArrayList<>(best.indices().length);
        for (int r = 0; r < best.indices().length; r++) {
            int i = best.indices()[r];
            result.add(new Neighbor(i, labels.get(i), best.scores()[r]));
        }
        return result;
    }

    /**
     * One embedding table taking part in a search across tables.
     *
     * @param name the table's name, which prefixes its labels: {@code name:label}
     * @param vectors its rows, N × D
     * @param labels one label per row
     * @param exclude rows never returned nor queried (a vocabulary's unknown row 0, say)
     */
    public record Table(String name, float[][] vectors, List<String> labels, Set<Integer> exclude) {
        /** Checks the parts; the rows themselves are checked by the search. */
        public Table {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(vectors, "vectors");
            Objects.requireNonNull(labels, "labels");
            exclude = Set.copyOf(exclude);
            if (labels.size() != vectors.length) {
                throw new IllegalArgumentException("table " + name + " has " + labels.size() + " labels for "
                        + vectors.length + " vectors");
            }
        }
    }

    /**
     * One neighbour found across tables: the table it is in, its row there, its label and its
     * cosine similarity to the query.
     */
    public record TableNeighbor(String table, int row, String label, double cosine) {
        /** The label prefixed with its table, {@code table:label}, as the search labels rows. */
        public String qualifiedLabel() {
            return table + ":" + label;
        }
    }

    /**
     * Returns the {@code k} rows of all the tables together most similar to row {@code query}
     * of table {@code table}: feat2vec's search over every feature value, where an id's
     * neighbours may be an item, an outcome or a real-valued attribute. The tables are searched
     * as one matrix, rows in the order of {@code tables} then of each table, so ties break as
     * in {@link #nearest}; each table's {@code exclude} rows and the query are left out.
     *
     * @param tables the tables, all of the same width D
     * @param table the name of the query's table
     * @param query the query's row in it
     * @param k how many neighbours
     * @return the neighbours, best first
     * @throws IllegalArgumentException when the tables are empty, two share a name, their
     *     widths differ, {@code table} is not one of them, {@code query} is out of range or
     *     excluded, or {@code k <= 0}
     */
    public static List<TableNeighbor> nearestAcross(List<Table> tables, String table, int query, int k) {
        Objects.requireNonNull(tables, "tables");
        Objects.requireNonNull(table, "table");
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("no tables to search");
        }
        int total = 0;
        int width = -1;
        String first = null;
        int queryRow = -1;
        Set<String> names = new HashSet<>();
        for (Table t : tables) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("two tables are named " + t.name());
            }
            for (float[] row : t.vectors()) {
                if (row == null) {
                    continue; // reported by nearest with the row's index
                }
                if (width < 0) {
                    width = row.length;
                    first = t.name();
                } else if (row.length != width) {
                    throw new IllegalArgumentException("tables of different widths cannot be searched together: "
                            + first + " has " + width + " columns, " + t.name() + " " + row.length);
                }
                break;
            }
            if (t.name().equals(table)) {
                if (query < 0 || query >= t.vectors().length) {
                    throw new IllegalArgumentException("query must be a row index in [0, " + t.vectors().length
                            + ") of table " + table + ", found " + query);
                }
                if (t.exclude().contains(query)) {
                    throw new IllegalArgumentException("row " + query + " of table " + table
                            + " is excluded from the search, so it cannot be queried");
                }
                queryRow = total + query;
            }
            total += t.vectors().length;
        }
        if (queryRow < 0) {
            throw new IllegalArgumentException("no table \"" + table + "\" among " + names(tables));
        }
        float[][] vectors = new float[total][];
        List<String> labels = new ArrayList<>(total);
        String[] owner = new String[total];
        int[] rowOf = new int[total];
        Set<Integer> exclude = new HashSet<>();
        int at = 0;
        for (Table t : tables) {
            for (int i = 0; i < t.vectors().length; i++) {
                vectors[at] = t.vectors()[i];
                labels.add(t.labels().get(i));
                owner[at] = t.name();
                rowOf[at] = i;
                if (t.exclude().contains(i)) {
                    exclude.add(at);
                }
                at++;
            }
        }
        List<TableNeighbor> result = new ArrayList<>();
        for (Neighbor n : nearest(vectors, labels, queryRow, k, exclude)) {
            result.add(new TableNeighbor(owner[n.index()], rowOf[n.index()], n.label(), n.cosine()));
        }
        return result;
    }

    /**
     * Finds a row by its qualified label {@code table:label} (the label matched as
     * {@link #findLabel(List, String, String)} does). Labels may hold colons themselves (film
     * titles do), so the table is the longest table name that the query starts with, followed
     * by a colon.
     *
     * @param tables the tables
     * @param query {@code table:label}
     * @return {@code {table index, row}}
     * @throws IllegalArgumentException when no table prefixes the query, or the table has no
     *     such label (with the closest labels)
     */
    public static int[] findQualifiedLabel(List<Table> tables, String query) {
        Objects.requireNonNull(query, "query");
        int best = -1;
        for (int t = 0; t < tables.size(); t++) {
            String prefix = tables.get(t).name() + ":";
            if (query.startsWith(prefix) && (best < 0 || prefix.length() > tables.get(best).name().length() + 1)) {
                best = t;
            }
        }
        if (best < 0) {
            throw new IllegalArgumentException("\"" + query + "\" does not name a table: write table:label with a"
                    + " table among " + names(tables));
        }
        Table t = tables.get(best);
        return new int[] {best, findLabel(t.labels(), query.substring(t.name().length() + 1), t.name())};
    }

    private static List<String> names(List<Table> tables) {
        return tables.stream().map(Table::name).toList();
    }

    /**
     * Returns the index of the first label equal to {@code query}, or failing that of the
     * first label equal to it ignoring case.
     *
     * @throws IllegalArgumentException if no label matches, suggesting up to five close labels
     */
    public static int findLabel(List<String> labels, String query) {
        return findLabel(labels, query, null);
    }

    /**
     * Like {@link #findLabel(List, String)}, naming {@code table} in the error message:
     * {@code no item labelled "Star Warz" in table item; closest labels: "Star Wars (1977)", ...}.
     * Suggestions are ranked by case-insensitive Levenshtein distance, then by label order.
     */
    public static int findLabel(List<String> labels, String query, String table) {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(query, "query");
        int exact = labels.indexOf(query);
        if (exact >= 0) {
            return exact;
        }
        for (int i = 0; i < labels.size(); i++) {
            if (query.equalsIgnoreCase(labels.get(i))) {
                return i;
            }
        }
        StringBuilder message = new StringBuilder("no item labelled \"").append(query).append('"');
        if (table != null) {
            message.append(" in table ").append(table);
        }
        List<Integer> closest = closest(labels, query, SUGGESTIONS);
        if (closest.isEmpty()) {
            message.append("; the table has no labels");
        } else {
            message.append("; closest labels: ");
            for (int s = 0; s < closest.size(); s++) {
                if (s > 0) {
                    message.append(", ");
                }
                message.append('"').append(labels.get(closest.get(s))).append('"');
            }
        }
        throw new IllegalArgumentException(message.toString());
    }

    /** Indices of the {@code limit} labels nearest to {@code query}, best first. */
    static List<Integer> closest(List<String> labels, String query, int limit) {
        String q = query.toLowerCase(Locale.ROOT);
        // Kept sorted by (distance, index); small enough that insertion is cheapest.
        List<int[]> best = new ArrayList<>(limit + 1);
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            if (label == null) {
                continue;
            }
            String candidate = label.toLowerCase(Locale.ROOT);
            int worst = best.size() < limit ? Integer.MAX_VALUE : best.get(limit - 1)[0];
            // The length difference is a lower bound on the distance, so most labels of a large
            // table are passed over without filling a table of q.length() × label.length().
            if (Math.abs(candidate.length() - q.length()) >= worst) {
                continue;
            }
            int d = EditDistance.levenshtein(q, candidate);
            if (d >= worst) {
                continue; // ties keep the earlier label
            }
            int at = best.size();
            while (at > 0 && best.get(at - 1)[0] > d) {
                at--;
            }
            best.add(at, new int[] {d, i});
            if (best.size() > limit) {
                best.remove(limit);
            }
        }
        List<Integer> indices = new ArrayList<>(best.size());
        for (int[] entry : best) {
            indices.add(entry[1]);
        }
        return indices;
    }


    private static float[] row(float[][] vectors, int i, int dim) {
        float[] r = vectors[i];
        if (r == null) {
            throw new IllegalArgumentException("row " + i + " is null");
        }
        if (dim >= 0 && r.length != dim) {
            throw new IllegalArgumentException("row " + i + " has " + r.length
                    + " values, expected " + dim + " like the query row");
        }
        return r;
    }
}
