package dev.embtrain.datasets.movielens;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.Lines;
import dev.embtrain.datasets.io.StringPool;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.io.InputStreamReader;
import java.io.BufferedReader;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Reads the GroupLens MovieLens rating data sets into a {@link RatingsTable}, whichever of
 * the three file layouts a directory holds.
 *
 * <ul>
 *   <li><b>ml-100k</b>: {@code u.data} (tab-separated user, item, rating, timestamp) and
 *       {@code u.item} (latin-1, {@code id|title|release date|video release date|IMDb URL|19
 *       genre flags}).
 *   <li><b>ml-1m</b>: {@code ratings.dat} ({@code UserID::MovieID::Rating::Timestamp}) and
 *       {@code movies.dat} (latin-1, {@code MovieID::Title::Genres}).
 *   <li><b>ml-latest</b> (also ml-latest-small, ml-20m, ml-25m): {@code ratings.csv} and
 *       {@code movies.csv}, UTF-8 with a header row; columns are found by header name.
 * </ul>
 *
 * <p>Every malformed line is a {@link DataFormatException} naming the file, the 1-based line
 * and what is wrong. The rating files are streamed line by line and split by hand (no
 * regular expressions), and repeated user and item strings are shared, so reading ml-25m
 * costs about the four column arrays in memory.
 *
 * <p>The movie file is required under {@link ItemKey#TITLE}; under {@link ItemKey#ID} it only
 * supplies labels, and without it each item is its own label. When it is present, a rating of
 * a movie it does not list is an error, since the two files then disagree.
 */
public final class MovieLens {
    /** The message when a directory holds none of the three layouts. */
    static final String NO_RATINGS_FILE = "no MovieLens ratings file here: expected u.data (ml-100k), "
            + "ratings.dat (ml-1m) or ratings.csv (ml-latest, ml-25m)";

    /** Lowest and highest ratings any MovieLens release uses (ml-latest has half stars). */
    static final float MIN_RATING = 0.5f;
    static final float MAX_RATING = 5f;

    private static final int ML100K_GENRES = 19;
    private static final Logger LOG = LogManager.getLogger(MovieLens.class);

    private MovieLens() {}

    /** One movie of a movie file: its id and title. */
    private record Movie(String id, String title) {}

    /**
     * Reads the ratings in {@code dir}, keying items by {@code key}.
     *
     * @throws DataFormatException when the directory is missing, holds no ratings file, or a
     *     file is malformed (the message names file and line)
     */
    public static RatingsTable read(Path dir, ItemKey key) throws IOException {
        String format = detectFormat(dir);
        long start = System.nanoTime();
        RatingsTable table = switch (format) {
            case "ml-100k" -> new Reading(dir, key, format,
                    readDelimitedMovies(dir.resolve("u.item"), "|", ML100K_FIELDS, true)).ml100k();
            case "ml-1m" -> new Reading(dir, key, format,
                    readDelimitedMovies(dir.resolve("movies.dat"), "::", ML1M_FIELDS, false)).ml1m();
            default -> new Reading(dir, key, format, readCsvMovies(dir.resolve("movies.csv"))).mlLatest();
        };
        LOG.info("read {} ratings of {} items ({}) from {} in {} ms", table.size(), table.itemLabels().size(),
                format, dir, (System.nanoTime() - start) / 1_000_000);
        return table;
    }

    /**
     * Names the layout of {@code dir}: {@code "ml-100k"}, {@code "ml-1m"} or
     * {@code "ml-latest"}.
     *
     * @throws DataFormatException when {@code dir} does not exist, is not a directory, or
     *     holds no known ratings file
     */
    public static String detectFormat(Path dir) {
        if (!Files.exists(dir)) {
            throw new DataFormatException(dir, 0, "directory does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new DataFormatException(dir, 0, "is not a directory; expected a MovieLens directory");
        }
        if (Files.isRegularFile(dir.resolve("u.data"))) {
            return "ml-100k";
        }
        if (Files.isRegularFile(dir.resolve("ratings.dat"))) {
            return "ml-1m";
        }
        if (Files.isRegularFile(dir.resolve("ratings.csv"))) {
            return "ml-latest";
        }
        throw new DataFormatException(dir, 0, NO_RATINGS_FILE);
    }

    // ---------------------------------------------------------------- movie files

    private static final String ML100K_FIELDS =
            "movie id, title, release date, video release date, IMDb URL, 19 genre flags";
    private static final String ML1M_FIELDS = "MovieID, Title, Genres";

    /** Reads u.item or movies.dat; null when the file is absent. */
    private static Map<String, Movie> readDelimitedMovies(Path file, String separator, String fieldNames,
            boolean ml100k) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        int expected = ml100k ? 5 + ML100K_GENRES : 3;
        String[] fields = new String[expected];
        Map<String, Movie> movies = new LinkedHashMap<>();
        Map<String, Long> firstLine = new HashMap<>();
        Lines.forEach(file, StandardCharsets.ISO_8859_1, (line, number) -> {
            int found = Lines.split(line, separator, fields);
            if (found != expected) {
                throw new DataFormatException(file, number, "expected " + expected + " " + describe(separator)
                        + " fields (" + fieldNames + "), found " + found);
            }
            if (ml100k) {
                for (int g = 0; g < ML100K_GENRES; g++) {
                    String flag = fields[5 + g];
                    if (!flag.equals("0") && !flag.equals("1")) {
                        throw new DataFormatException(file, number,
                                "genre flag " + (g + 1) + " is \"" + flag + "\", expected 0 or 1");
                    }
                }
            }
            addMovie(movies, firstLine, file, number, fields[0], fields[1]);
        });
        return movies;
    }

    /** Reads movies.csv with commons-csv, since titles are quoted when they hold commas; null when absent. */
    private static Map<String, Movie> readCsvMovies(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Map<String, Movie> movies = new LinkedHashMap<>();
        Map<String, Long> firstLine = new HashMap<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false).get();
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        long line = 0;
        try (Reader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder), 1 << 16);
                CSVParser parser = CSVParser.parse(reader, format)) {
            Iterator<CSVRecord> records = parser.iterator();
            int idColumn = -1;
            int titleColumn = -1;
            List<String> header = null;
            long firstBlank = 0;
            while (true) {
                line = parser.getCurrentLineNumber() + 1;
                if (!records.hasNext()) {
                    break;
                }
                CSVRecord record = records.next();
                if (record.size() == 1 && record.get(0).isBlank()) {
                    firstBlank = firstBlank == 0 ? line : firstBlank;
                    continue;
                }
                if (firstBlank != 0) {
                    throw new DataFormatException(file, firstBlank, "blank line before the end of the file");
                }
                if (header == null) {
                    header = record.toList();
                    idColumn = column(file, line, header, "movieId");
                    titleColumn = column(file, line, header, "title");
                    continue;
                }
                if (record.size() != header.size()) {
                    throw new DataFormatException(file, line, "expected " + header.size()
                            + " comma-separated fields (" + String.join(", ", header) + "), found " + record.size());
                }
                addMovie(movies, firstLine, file, line, record.get(idColumn), record.get(titleColumn));
            }
            if (header == null) {
                throw new DataFormatException(file, 0, "empty file: expected a header row with movieId and title");
            }
        } catch (UncheckedIOException e) {
            throw csvError(file, line, e.getCause());
        } catch (CharacterCodingException e) {
            throw csvError(file, line, e);
        }
        return movies;
    }

    private static DataFormatException csvError(Path file, long line, IOException cause) {
        if (cause instanceof CharacterCodingException) {
            return new DataFormatException(file, line, "not valid UTF-8", cause);
        }
        return new DataFormatException(file, line, "malformed CSV: " + cause.getMessage(), cause);
    }

    private static void addMovie(Map<String, Movie> movies, Map<String, Long> firstLine, Path file, long number,
            String id, String title) {
        if (id.isEmpty()) {
            throw new DataFormatException(file, number, "movie id is empty");
        }
        if (title.isEmpty()) {
            throw new DataFormatException(file, number, "title of movie " + id + " is empty");
        }
        Long previous = firstLine.putIfAbsent(id, number);
        if (previous != null) {
            throw new DataFormatException(file, number, "movie " + id + " appears twice (first on line " + previous + ")");
        }
        movies.put(id, new Movie(id, title));
    }

    private static int column(Path file, long line, List<String> header, String name) {
        int index = header.indexOf(name);
        if (index < 0) {
            throw new DataFormatException(file, line, "header has no column \"" + name + "\"; found "
                    + String.join(",", header));
        }
        if (header.lastIndexOf(name) != index) {
            throw new DataFormatException(file, line, "header names column \"" + name + "\" twice");
        }
        return index;
    }

    private static String describe(String separator) {
        return switch (separator) {
            case "\t" -> "tab-separated";
            case "," -> "comma-separated";
            default -> "\"" + separator + "\"-separated";
        };
    }

    // ---------------------------------------------------------------- ratings

    /** The state of one read: growing columns and the string pools that share repeated ids. */
    private static final class Reading {
        private final Path dir;
        private final ItemKey key;
        private final String format;
        /** Null when the movie file is absent (only allowed under ItemKey.ID). */
        private final Map<String, Movie> movies;
        private final String moviesFileName;
        private final StringPool userPool = new StringPool();
        private final StringPool itemPool = new StringPool();

        private String[] users = new String[1 << 16];
        private String[] items = new String[1 << 16];
        private float[] ratings = new float[1 << 16];
        private long[] timestamps = new long[1 << 16];
        private int size;

        Reading(Path dir, ItemKey key, String format, Map<String, Movie> movies) {
            this.dir = dir;
            this.key = key;
            this.format = format;
            this.movies = movies;
            this.moviesFileName = switch (format) {
                case "ml-100k" -> "u.item";
                case "ml-1m" -> "movies.dat";
                default -> "movies.csv";
            };
            if (movies == null) {
                Path missing = dir.resolve(moviesFileName);
                if (key == ItemKey.TITLE) {
                    throw new DataFormatException(missing, 0, "file does not exist; item_key title needs the movie titles");
                }
                LOG.warn("{} does not exist; items are labelled by their ids", missing);
            } else {
                // Pool the movie file's own id strings, so lookups below compare by identity.
                movies.keySet().forEach(itemPool::intern);
            }
        }

        RatingsTable ml100k() throws IOException {
            return readDelimited(dir.resolve("u.data"), "\t", "user, item, rating, timestamp");
        }

        RatingsTable ml1m() throws IOException {
            return readDelimited(dir.resolve("ratings.dat"), "::", "UserID, MovieID, Rating, Timestamp");
        }

        private RatingsTable readDelimited(Path file, String separator, String fieldNames) throws IOException {
            int[] starts = new int[4];
            int[] ends = new int[4];
            String description = describe(separator);
            Lines.forEach(file, StandardCharsets.ISO_8859_1, (line, number) -> {
                int found = Lines.bounds(line, separator, starts, ends);
                if (found != 4) {
                    throw new DataFormatException(file, number,
                            "expected 4 " + description + " fields (" + fieldNames + "), found " + found);
                }
                add(file, number, line, starts[0], ends[0], line, starts[1], ends[1], line, starts[2], ends[2],
                        line, starts[3], ends[3]);
            });
            return finish();
        }

        RatingsTable mlLatest() throws IOException {
            Path file = dir.resolve("ratings.csv");
            CSVFormat csv = CSVFormat.DEFAULT;
            int[] columns = new int[4];
            List<String> header = new ArrayList<>();
            int[] starts = new int[64];
            int[] ends = new int[64];
            Lines.forEach(file, StandardCharsets.UTF_8, (line, number) -> {
                if (header.isEmpty()) {
                    header.addAll(Lines.parseCsvLine(file, number, line, csv));
                    columns[0] = column(file, number, header, "userId");
                    columns[1] = column(file, number, header, "movieId");
                    columns[2] = column(file, number, header, "rating");
                    columns[3] = column(file, number, header, "timestamp");
                    if (header.size() > starts.length) {
                        throw new DataFormatException(file, number, "header has " + header.size()
                                + " columns; at most " + starts.length + " are supported");
                    }
                    return;
                }
                int u = columns[0];
                int i = columns[1];
                int r = columns[2];
                int t = columns[3];
                // Ratings never need quoting, so split by hand and leave quoted lines to commons-csv.
                if (line.indexOf('"') < 0) {
                    int found = Lines.bounds(line, ",", starts, ends);
                    checkCount(file, number, header, found);
                    add(file, number, line, starts[u], ends[u], line, starts[i], ends[i], line, starts[r], ends[r],
                            line, starts[t], ends[t]);
                } else {
                    List<String> values = Lines.parseCsvLine(file, number, line, csv);
                    checkCount(file, number, header, values.size());
                    String user = values.get(u);
                    String item = values.get(i);
                    String rating = values.get(r);
                    String time = values.get(t);
                    add(file, number, user, 0, user.length(), item, 0, item.length(), rating, 0, rating.length(),
                            time, 0, time.length());
                }
            });
            if (header.isEmpty()) {
                throw new DataFormatException(file, 0, "empty file: expected a header row userId,movieId,rating,timestamp");
            }
            return finish();
        }

        private static void checkCount(Path file, long number, List<String> header, int found) {
            if (found != header.size()) {
                throw new DataFormatException(file, number, "expected " + header.size()
                        + " comma-separated fields (" + String.join(", ", header) + "), found " + found);
            }
        }

        /** Appends one rating from slices of the line(s), so the common path copies only new ids. */
        private void add(Path file, long number, String userText, int u0, int u1, String itemText, int i0, int i1,
                String ratingText, int r0, int r1, String timeText, int t0, int t1) {
            if (u0 == u1) {
                throw new DataFormatException(file, number, "user is empty");
            }
            if (i0 == i1) {
                throw new DataFormatException(file, number, "movie id is empty");
            }
            float rating = parseRating(file, number, ratingText, r0, r1);
            long time = parseTimestamp(file, number, timeText, t0, t1);
            String item = itemPool.intern(itemText, i0, i1);
            String itemKey;
            if (movies == null) {
                itemKey = item;
            } else {
                Movie movie = movies.get(item);
                if (movie == null) {
                    throw new DataFormatException(file, number, "movie " + item + " is not in " + moviesFileName);
                }
                itemKey = key == ItemKey.TITLE ? movie.title() : movie.id();
            }
            if (size == users.length) {
                int capacity = Math.max(size + 1, (int) Math.min(Integer.MAX_VALUE - 8L, size * 2L));
                users = Arrays.copyOf(users, capacity);
                items = Arrays.copyOf(items, capacity);
                ratings = Arrays.copyOf(ratings, capacity);
                timestamps = Arrays.copyOf(timestamps, capacity);
            }
            users[size] = userPool.intern(userText, u0, u1);
            items[size] = itemKey;
            ratings[size] = rating;
            timestamps[size] = time;
            size++;
        }

        private RatingsTable finish() {
            Map<String, String> labels = new LinkedHashMap<>();
            if (movies == null) {
                for (int row = 0; row < size; row++) {
                    labels.putIfAbsent(items[row], items[row]);
                }
            } else {
                for (Movie movie : movies.values()) {
                    if (key == ItemKey.TITLE) {
                        labels.putIfAbsent(movie.title(), movie.title());
                    } else {
                        labels.put(movie.id(), movie.title());
                    }
                }
            }
            return new RatingsTable(Arrays.copyOf(users, size), Arrays.copyOf(items, size),
                    Arrays.copyOf(ratings, size), Arrays.copyOf(timestamps, size), labels, dir, format, false);
        }
    }

    /**
     * Parses the rating in {@code text[start, end)}; the common one-digit and digit-dot-digit
     * forms without {@link Float#parseFloat} or a substring, which were most of the time spent
     * on a line.
     */
    static float parseRating(Path file, long number, String text, int start, int end) {
        float value;
        int n = end - start;
        if (n == 1 && isDigit(text.charAt(start))) {
            value = text.charAt(start) - '0';
        } else if (n == 3 && isDigit(text.charAt(start)) && text.charAt(start + 1) == '.'
                && isDigit(text.charAt(start + 2))) {
            // One correctly rounded division, so "3.3" gives exactly what Float.parseFloat gives.
            value = ((text.charAt(start) - '0') * 10 + (text.charAt(start + 2) - '0')) / 10f;
        } else {
            String slice = text.substring(start, end);
            if (!looksNumeric(slice)) {
                throw new DataFormatException(file, number, "rating \"" + slice + "\" is not a number");
            }
            try {
                value = Float.parseFloat(slice);
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, number, "rating \"" + slice + "\" is not a number");
            }
        }
        if (!(value >= MIN_RATING && value <= MAX_RATING)) {
            throw new DataFormatException(file, number, "rating " + value + " is outside [0.5, 5]");
        }
        return value;
    }

    /** Parses the unix time in {@code text[start, end)}: an optional minus and decimal digits. */
    static long parseTimestamp(Path file, long number, String text, int start, int end) {
        int i = start;
        boolean negative = i < end && text.charAt(i) == '-';
        if (negative) {
            i++;
        }
        long value = 0;
        boolean ok = i < end && end - i <= 18; // 18 digits cannot overflow a long
        for (; ok && i < end; i++) {
            char c = text.charAt(i);
            ok = isDigit(c);
            value = value * 10 + (c - '0');
        }
        if (!ok) {
            throw new DataFormatException(file, number,
                    "timestamp \"" + text.substring(start, end) + "\" is not an integer");
        }
        return negative ? -value : value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Plain decimal or scientific notation only; Float.parseFloat alone would also take "NaN", " 3" or "3f". */
    private static boolean looksNumeric(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isDigit(c) && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return false;
            }
        }
        return true;
    }
}
