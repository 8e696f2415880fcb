package dev.embtrain.datasets.movielens;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Holds the explicit ratings of one data set as parallel columns (user, item, rating,
 * timestamp), one row a rating in file order, plus a human label for every item.
 *
 * <p>Immutable. The array getters ({@link #users()}, {@link #items()}, {@link #ratings()},
 * {@link #timestamps()}) return defensive copies, so callers may change what they get; that
 * costs one array copy a call (about 100 MB for the users of ml-25m), so call each once and
 * keep the result, or use the per-row getters inside loops.
 *
 * <p>Item keys are the data set's movie ids or the movie titles, as {@link ItemKey} chose when
 * the table was read; {@link #itemLabels()} maps each key to the title either way, for
 * exported embedding metadata.
 */
public final class RatingsTable {
    private final String[] users;
    private final String[] items;
    private final float[] ratings;
    private final long[] timestamps;
    private final Map<String, String> itemLabels;
    private final Path source;
    private final String format;

    /**
     * Builds a table from columns, copying them.
     *
     * @param itemLabels a label for every item key in {@code items} (more keys are allowed)
     * @param source where the data came from, for messages
     * @param format the source format, e.g. {@code "ml-100k"}
     * @throws IllegalArgumentException when the columns differ in length, a user or item is
     *     null, or an item has no label
     */
    public RatingsTable(String[] users, String[] items, float[] ratings, long[] timestamps,
            Map<String, String> itemLabels, Path source, String format) {
        this(users.clone(), items.clone(), ratings.clone(), timestamps.clone(),
                new LinkedHashMap<>(itemLabels), source, format, true);
    }

    /** Takes the arrays without copying; only readers in this package that drop them call this. */
    RatingsTable(String[] users, String[] items, float[] ratings, long[] timestamps,
            Map<String, String> itemLabels, Path source, String format, boolean validate) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(format, "format");
        int n = users.length;
        if (items.length != n || ratings.length != n || timestamps.length != n) {
            throw new IllegalArgumentException("columns differ in length: users " + n + ", items " + items.length
                    + ", ratings " + ratings.length + ", timestamps " + timestamps.length);
        }
        if (validate) {
            for (int row = 0; row < n; row++) {
                if (users[row] == null) {
                    throw new IllegalArgumentException("user of row " + row + " is null");
                }
                if (items[row] == null) {
                    throw new IllegalArgumentException("item of row " + row + " is null");
                }
                if (!itemLabels.containsKey(items[row])) {
                    throw new IllegalArgumentException("item \"" + items[row] + "\" of row " + row + " has no label");
                }
            }
        }
        this.users = users;
        this.items = items;
        this.ratings = ratings;
        this.timestamps = timestamps;
        this.itemLabels = Collections.unmodifiableMap(itemLabels);
        this.source = source;
        this.format = format;
    }

    /** The number of ratings (rows). */
    public int size() {
        return users.length;
    }

    /** The user of every row; a copy. */
    public String[] users() {
        return users.clone();
    }

    /** The item key of every row (movie id, or title under {@link ItemKey#TITLE}); a copy. */
    public String[] items() {
        return items.clone();
    }

    /** The rating of every row, in stars (0.5 to 5); a copy. */
    public float[] ratings() {
        return ratings.clone();
    }

    /** The unix time (seconds) of every row; a copy. */
    public long[] timestamps() {
        return timestamps.clone();
    }

    /** The user of one row. */
    public String user(int row) {
        return users[row];
    }

    /** The item key of one row. */
    public String item(int row) {
        return items[row];
    }

    /** The rating of one row. */
    public float rating(int row) {
        return ratings[row];
    }

    /** The timestamp of one row. */
    public long timestamp(int row) {
        return timestamps[row];
    }

    /**
     * Item key → human label (the movie title; for title keys the label is the key), in the
     * order of the item file; unmodifiable. May hold items that nobody rated.
     */
    public Map<String, String> itemLabels() {
        return itemLabels;
    }

    /** The directory or file the table was read from. */
    public Path source() {
        return source;
    }

    /**
     * The source format: {@code "ml-100k"}, {@code "ml-1m"} or {@code "ml-latest"}; a ratings
     * file's {@code "csv"}, {@code "tsv"} or {@code "parquet"}.
     */
    public String format() {
        return format;
    }

    /**
     * The rows at {@code rows}, in that order, as a new table (e.g. the training part of a
     * {@link dev.embtrain.datasets.split.Split}).
     *
     * @throws IndexOutOfBoundsException for a row outside the table
     */
    public RatingsTable select(int[] rows) {
        int n = rows.length;
        String[] u = new String[n];
        String[] it = new String[n];
        float[] r = new float[n];
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            int row = Objects.checkIndex(rows[i], users.length);
            u[i] = users[row];
            it[i] = items[row];
            r[i] = ratings[row];
            t[i] = timestamps[row];
        }
        return new RatingsTable(u, it, r, t, itemLabels, source, format, false);
    }

    /** The mean rating, or NaN for an empty table. */
    public double meanRating() {
        double sum = 0;
        for (float r : ratings) {
            sum += r;
        }
        return sum / ratings.length;
    }

    @Override
    public String toString() {
        return "RatingsTable[" + format + " " + source + ", " + size() + " ratings, "
                + itemLabels.size() + " labelled items]";
    }
}
