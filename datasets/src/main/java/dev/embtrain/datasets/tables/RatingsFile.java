package dev.embtrain.datasets.tables;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.StringPool;
import dev.embtrain.datasets.io.TableFile;
import dev.embtrain.datasets.movielens.RatingsTable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a user's ratings table (CSV, TSV or Parquet, {@link TableFile}) whose user, item and
 * rating columns, and optionally timestamp and split columns, are named by the caller.
 *
 * <p>A rating is any finite number (stars, or 0/1 for a binary label). A timestamp is a unix
 * time in seconds, or an ISO-8601 date ({@code 2010-12-01}) or date-time
 * ({@code 2010-12-01 08:26:00}, {@code 2010-12-01T08:26:00Z}), read as UTC when it has no
 * offset. A split value is {@code train}, {@code validation} (or {@code valid}) or {@code test}.
 */
public final class RatingsFile {
    private RatingsFile() {}

    /** A split column's value: a training row. */
    public static final byte TRAIN = 0;
    /** A split column's value: a validation row. */
    public static final byte VALIDATION = 1;
    /** A split column's value: a test row. */
    public static final byte TEST = 2;

    /**
     * The column names.
     *
     * @param user the user id column
     * @param item the item id column
     * @param rating the rating (or 0/1 label) column
     * @param timestamp the timestamp column, or null for none
     * @param split the column saying train / validation / test, or null for none
     */
    public record Columns(String user, String item, String rating, String timestamp, String split) {}

    /**
     * What was read.
     *
     * @param table the ratings, each item labelled by its own id, its format {@code csv}, {@code tsv}
     *     or {@code parquet}
     * @param splits each row's {@link #TRAIN}, {@link #VALIDATION} or {@link #TEST}, or null
     *     without a split column
     */
    public record Read(RatingsTable table, byte[] splits) {}

    /**
     * Reads a ratings table.
     *
     * @param file the file
     * @param columns the column names
     * @return the ratings
     * @throws DataFormatException naming file, line (or row group and row) and column of the
     *     first value that does not parse, or a missing column, or a file with no rows
     * @throws IOException when the file cannot be read
     */
    public static Read read(Path file, Columns columns) throws IOException {
        List<String> required = new ArrayList<>(List.of(columns.user(), columns.item(), columns.rating()));
        if (columns.timestamp() != null) {
            required.add(columns.timestamp());
        }
        int splitAt = required.size();
        if (columns.split() != null) {
            required.add(columns.split());
        }
        StringPool pool = new StringPool();
        Growing rows = new Growing(columns.split() != null);
        TableFile.read(file, required, List.of(), (values, where) -> {
            String user = id(values[0], columns.user(), where);
            String item = id(values[1], columns.item(), where);
            float rating = rating(values[2], columns.rating(), where);
            long time = columns.timestamp() == null ? 0 : timestamp(values[3], columns.timestamp(), where);
            byte split = columns.split() == null ? TRAIN : split(values[splitAt], columns.split(), where);
            rows.add(pool.intern(user), pool.intern(item), rating, time, split);
        });
        if (rows.size == 0) {
            throw new DataFormatException(file, 0, "no ratings: the file has a header and no rows");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < rows.size; i++) {
            labels.putIfAbsent(rows.items[i], rows.items[i]);
        }
        int n = rows.size;
        RatingsTable table = new RatingsTable(Arrays.copyOf(rows.users, n), Arrays.copyOf(rows.items, n),
                Arrays.copyOf(rows.ratings, n), Arrays.copyOf(rows.times, n), labels, file,
                TableFile.format(file).name().toLowerCase(java.util.Locale.ROOT));
        return new Read(table, rows.splits == null ? null : Arrays.copyOf(rows.splits, n));
    }

    private static String id(String value, String column, TableFile.Where where) {
        if (value == null || value.isEmpty()) {
            throw where.error("column \"" + column + "\" is empty");
        }
        return value;
    }

    private static float rating(String value, String column, TableFile.Where where) {
        Float r = parseRating(value);
        if (r == null) {
            throw where.badValue(column, value, EXPECTED_RATING);
        }
        return r;
    }

    /** What a rating must be, as an error says it. */
    public static final String EXPECTED_RATING = "a number";
    /** What a timestamp must be, as an error says it. */
    public static final String EXPECTED_TIMESTAMP = "a unix time or an ISO-8601 date-time";
    /** What a split value must be, as an error says it. */
    public static final String EXPECTED_SPLIT = "train, validation or test";

    /**
     * Parses a rating as this reader does.
     *
     * @param value the text, or null
     * @return the finite number, or null when it is not one
     */
    public static Float parseRating(String value) {
        try {
            float r = Float.parseFloat(value);
            return Float.isFinite(r) ? r : null;
        } catch (NumberFormatException | NullPointerException e) {
            return null;
        }
    }

    /**
     * Parses a timestamp.
     *
     * @param value the text
     * @param column its column, for errors
     * @param where its row, for errors
     * @return unix seconds
     */
    static long timestamp(String value, String column, TableFile.Where where) {
        Long t = parseTimestamp(value);
        if (t == null) {
            throw where.badValue(column, value, EXPECTED_TIMESTAMP);
        }
        return t;
    }

    /**
     * Parses a timestamp as this reader does: unix seconds, or an ISO-8601 date or date-time
     * (UTC without an offset).
     *
     * @param value the text, or null
     * @return unix seconds, or null when it is not a timestamp
     */
    public static Long parseTimestamp(String value) {
        if (value != null) {
            String v = value.strip();
            try {
                if (!v.isEmpty() && (Character.isDigit(v.charAt(v.length() - 1)) && v.indexOf('-', 1) < 0)) {
                    return v.contains(".") ? (long) Math.floor(Double.parseDouble(v)) : Long.parseLong(v);
                }
                if (v.length() == 10) {
                    return LocalDate.parse(v).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
                }
                String t = v.replace(' ', 'T');
                if (t.endsWith("Z") || t.lastIndexOf('+') > 10 || t.lastIndexOf('-') > 10) {
                    return OffsetDateTime.parse(t).toEpochSecond();
                }
                return LocalDateTime.parse(t).toEpochSecond(ZoneOffset.UTC);
            } catch (NumberFormatException | DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    private static byte split(String value, String column, TableFile.Where where) {
        byte b = parseSplit(value);
        if (b < 0) {
            throw where.badValue(column, value, EXPECTED_SPLIT);
        }
        return b;
    }

    /**
     * Parses a split column's value.
     *
     * @param value the text, or null
     * @return {@link #TRAIN}, {@link #VALIDATION} or {@link #TEST}, or -1 when it is none of them
     */
    public static byte parseSplit(String value) {
        if (value == null) {
            return -1;
        }
        return switch (value.strip()) {
            case "train" -> TRAIN;
            case "validation", "valid" -> VALIDATION;
            case "test" -> TEST;
            default -> -1;
        };
    }

    /** Columns that grow as rows are read. */
    private static final class Growing {
        String[] users = new String[1024];
        String[] items = new String[1024];
        float[] ratings = new float[1024];
        long[] times = new long[1024];
        byte[] splits;
        int size;

        Growing(boolean split) {
            splits = split ? new byte[1024] : null;
        }

        void add(String user, String item, float rating, long time, byte split) {
            if (size == users.length) {
                int n = size * 2;
                users = Arrays.copyOf(users, n);
                items = Arrays.copyOf(items, n);
                ratings = Arrays.copyOf(ratings, n);
                times = Arrays.copyOf(times, n);
                if (splits != null) {
                    splits = Arrays.copyOf(splits, n);
                }
            }
            users[size] = user;
            items[size] = item;
            ratings[size] = rating;
            times[size] = time;
            if (splits != null) {
                splits[size] = split;
            }
            size++;
        }
    }
}
