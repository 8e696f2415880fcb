package dev.embtrain.datasets.tables;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.StringPool;
import dev.embtrain.datasets.io.TableFile;
import dev.embtrain.datasets.retail.OnlineRetail;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads a user's sessions (ordered lists of items, e.g. a clickstream or a customer's purchases)
 * from either of two shapes:
 * <ul>
 *   <li>a table (CSV, TSV or Parquet, {@link TableFile}) with one row an event: the session and
 *       item columns, optionally an order column (a position, a unix time or an ISO-8601
 *       date-time; without one, file order) and a label column (the item's title or
 *       description, its first non-empty value kept);</li>
 *   <li>a text file ({@code .txt}, {@code .txt.gz}) with one session a line, its items separated by
 *       white space, as gensim's {@code LineSentence} reads it.</li>
 * </ul>
 * Sessions come in the order of their first row (or line); within a session, rows are ordered by
 * the order column, ties kept in file order.
 */
public final class SessionsFile {
    private SessionsFile() {}

    /**
     * The column names of a table.
     *
     * @param session the session id column
     * @param item the item id column
     * @param order the column that orders a session's rows, or null for file order
     * @param label the item label column, or null for none
     */
    public record Columns(String session, String item, String order, String label) {}

    /**
     * What was read.
     *
     * @param sessions the sessions, in the order of their first row
     * @param labels item id to label, for items that have one
     * @param rows the rows (table) or items (text) read
     * @param format {@code csv}, {@code tsv}, {@code parquet} or {@code text}
     */
    public record Read(List<OnlineRetail.Session> sessions, Map<String, String> labels, long rows, String format) {}

    /**
     * Tells whether a file is read as text, one session a line.
     *
     * @param file the file
     * @return whether its name ends in {@code .txt} or {@code .txt.gz}
     */
    public static boolean isText(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".txt") || name.endsWith(".txt.gz");
    }

    /**
     * Reads a text file: each non-blank line one session, keyed {@code line N}.
     *
     * @param file the file
     * @return the sessions, with no labels
     * @throws DataFormatException when the file has no non-blank line
     * @throws IOException when the file cannot be read
     */
    public static Read readText(Path file) throws IOException {
        StringPool pool = new StringPool();
        List<OnlineRetail.Session> sessions = new ArrayList<>();
        long items = 0;
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")
                        ? new GZIPInputStream(raw, 1 << 16) : raw;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8),
                        1 << 16)) {
            long number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                String s = line.strip();
                if (s.isEmpty()) {
                    continue;
                }
                String[] tokens = s.split("\\s+");
                for (int i = 0; i < tokens.length; i++) {
                    tokens[i] = pool.intern(tokens[i]);
                }
                items += tokens.length;
                sessions.add(new OnlineRetail.Session("line " + number, Arrays.asList(tokens)));
            }
        }
        if (sessions.isEmpty()) {
            throw new DataFormatException(file, 0, "no sessions: the file has no non-blank line");
        }
        return new Read(Collections.unmodifiableList(sessions), Map.of(), items, "text");
    }

    /**
     * Reads a table of events.
     *
     * @param file the file
     * @param columns the column names
     * @return the sessions
     * @throws DataFormatException naming file, line (or row group and row) and column of an
     *     empty id or an order that does not parse, a missing column, or a file with no rows
     * @throws IOException when the file cannot be read
     */
    public static Read read(Path file, Columns columns) throws IOException {
        List<String> required = new ArrayList<>(List.of(columns.session(), columns.item()));
        int orderAt = -1;
        int labelAt = -1;
        if (columns.order() != null) {
            orderAt = required.size();
            required.add(columns.order());
        }
        if (columns.label() != null) {
            labelAt = required.size();
            required.add(columns.label());
        }
        int o = orderAt;
        int l = labelAt;
        StringPool pool = new StringPool();
        Map<String, Integer> sessionIndex = new LinkedHashMap<>();
        Map<String, String> labels = new HashMap<>();
        Events events = new Events();
        long rows = TableFile.read(file, required, List.of(), (values, where) -> {
            String session = id(values[0], columns.session(), where);
            String item = pool.intern(id(values[1], columns.item(), where));
            double order = o < 0 ? 0 : order(values[o], columns.order(), where);
            if (l >= 0 && values[l] != null && !values[l].isBlank()) {
                labels.putIfAbsent(item, values[l].strip());
            }
            Integer s = sessionIndex.get(session);
            if (s == null) {
                s = sessionIndex.size();
                sessionIndex.put(pool.intern(session), s);
            }
            events.add(s, item, order);
        });
        if (rows == 0) {
            throw new DataFormatException(file, 0, "no sessions: the file has a header and no rows");
        }
        List<String> keys = new ArrayList<>(sessionIndex.keySet());
        List<OnlineRetail.Session> sessions = events.group(keys);
        return new Read(Collections.unmodifiableList(sessions), Collections.unmodifiableMap(labels), rows,
                TableFile.format(file).name().toLowerCase(Locale.ROOT));
    }

    private static String id(String value, String column, TableFile.Where where) {
        if (value == null || value.isEmpty()) {
            throw where.error("column \"" + column + "\" is empty");
        }
        return value;
    }

    private static double order(String value, String column, TableFile.Where where) {
        Double d = parseOrder(value);
        if (d == null) {
            throw where.badValue(column, value, EXPECTED_ORDER);
        }
        return d;
    }

    /** What an order value must be, as an error says it. */
    public static final String EXPECTED_ORDER = "a number or an ISO-8601 date-time";

    /**
     * Parses an order value as this reader does: a number (a position, unix seconds) or an
     * ISO-8601 date or date-time.
     *
     * @param value the text, or null
     * @return the order, or null when it is neither
     */
    public static Double parseOrder(String value) {
        if (value != null) {
            String v = value.strip();
            if (!v.isEmpty() && (Character.isDigit(v.charAt(0)) || v.charAt(0) == '-' || v.charAt(0) == '.')
                    && v.indexOf('-', 1) < 0 && v.indexOf(':') < 0) {
                try {
                    double d = Double.parseDouble(v);
                    if (Double.isFinite(d)) {
                        return d;
                    }
                } catch (NumberFormatException e) {
                    return null;
                }
            } else if (!v.isEmpty()) {
                Long t = RatingsFile.parseTimestamp(v);
                return t == null ? null : (double) t;
            }
        }
        return null;
    }

    /** Events as read: each one's session, item and order, in file order. */
    private static final class Events {
        int[] sessions = new int[1024];
        String[] items = new String[1024];
        double[] orders = new double[1024];
        int size;

        void add(int session, String item, double order) {
            if (size == sessions.length) {
                int n = size * 2;
                sessions = Arrays.copyOf(sessions, n);
                items = Arrays.copyOf(items, n);
                orders = Arrays.copyOf(orders, n);
            }
            sessions[size] = session;
            items[size] = item;
            orders[size] = order;
            size++;
        }

        /** Groups events by session (a counting sort, file order kept), then orders each session. */
        List<OnlineRetail.Session> group(List<String> keys) {
            int n = keys.size();
            int[] start = new int[n + 1];
            for (int i = 0; i < size; i++) {
                start[sessions[i] + 1]++;
            }
            for (int s = 0; s < n; s++) {
                start[s + 1] += start[s];
            }
            int[] next = Arrays.copyOf(start, n);
            int[] byRow = new int[size];
            for (int i = 0; i < size; i++) {
                byRow[next[sessions[i]]++] = i;
            }
            List<OnlineRetail.Session> out = new ArrayList<>(n);
            for (int s = 0; s < n; s++) {
                int from = start[s];
                int to = start[s + 1];
                boolean sorted = true;
                for (int k = from + 1; k < to && sorted; k++) {
                    sorted = orders[byRow[k - 1]] <= orders[byRow[k]];
                }
                String[] session = new String[to - from];
                if (sorted) {
                    for (int k = from; k < to; k++) {
                        session[k - from] = items[byRow[k]];
                    }
                } else {
                    Integer[] rows = new Integer[to - from];
                    for (int k = from; k < to; k++) {
                        rows[k - from] = byRow[k];
                    }
                    // Stable: ties keep file order.
                    Arrays.sort(rows, (a, b) -> Double.compare(orders[a], orders[b]));
                    for (int k = 0; k < rows.length; k++) {
                        session[k] = items[rows[k]];
                    }
                }
                out.add(new OnlineRetail.Session(keys.get(s), Arrays.asList(session)));
            }
            return out;
        }
    }
}
