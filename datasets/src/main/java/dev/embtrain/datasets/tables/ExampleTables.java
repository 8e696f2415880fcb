package dev.embtrain.datasets.tables;

import dev.embtrain.datasets.io.FileTrees;
import dev.embtrain.datasets.io.ParquetTable;
import dev.embtrain.datasets.io.TableFile;
import dev.embtrain.datasets.movielens.ItemKey;
import dev.embtrain.datasets.movielens.MovieLens;
import dev.embtrain.datasets.movielens.MovieLensSideFeatures;
import dev.embtrain.datasets.movielens.RatingsTable;
import dev.embtrain.datasets.retail.OnlineRetail;
import dev.embtrain.datasets.synthetic.SyntheticMovieLens;
import dev.embtrain.datasets.synthetic.SyntheticSessions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a shop's tables as a user would have them, for examples and tests that need no
 * download: {@code ratings}, {@code users} and {@code items}, as CSV, TSV or Parquet, drawn by
 * {@link SyntheticMovieLens} (a known latent-factor model, so a model can learn them) and renamed
 * to a shop's columns:
 * <ul>
 *   <li>{@code ratings}: {@code customer, product, stars, ts} (unix seconds);</li>
 *   <li>{@code users}: {@code customer, age_band, gender, occupation};</li>
 *   <li>{@code items}: {@code product, title, year, genres} ({@code |}-separated).</li>
 * </ul>
 */
public final class ExampleTables {
    private ExampleTables() {}

    /**
     * The files written.
     *
     * @param ratings the ratings
     * @param users the users' features
     * @param items the items' features
     */
    public record Written(Path ratings, Path users, Path items) {}

    /**
     * Writes the three tables into a directory.
     *
     * @param spec the generator's spec
     * @param dir the directory, created if absent; existing files of these names are replaced
     * @param format the format
     * @return the files
     * @throws IOException when writing fails
     */
    public static Written write(SyntheticMovieLens.Spec spec, Path dir, TableFile.Format format) throws IOException {
        Files.createDirectories(dir);
        Path scratch = FileTrees.createUniqueDirectory(dir, ".generate-");
        try {
            SyntheticMovieLens.write(spec, scratch);
            RatingsTable table = MovieLens.read(scratch, ItemKey.ID);
            List<Object[]> ratings = new ArrayList<>();
            for (int r = 0; r < table.size(); r++) {
                ratings.add(new Object[] {"c" + table.user(r), "p" + table.item(r), (double) table.rating(r),
                    table.timestamp(r)});
            }
            List<Object[]> users = new ArrayList<>();
            MovieLensSideFeatures.readUsers(scratch).forEach((id, u) -> users.add(new Object[] {"c" + id, u.age(),
                u.gender(), u.occupation()}));
            List<Object[]> items = new ArrayList<>();
            Map<String, MovieLensSideFeatures.Item> sides = MovieLensSideFeatures.readItems(scratch, ItemKey.ID);
            sides.forEach((id, i) -> items.add(new Object[] {"p" + id, table.itemLabels().getOrDefault(id, id),
                i.year(), String.join("|", i.genres())}));
            String ext = ext(format);
            Written w = new Written(dir.resolve("ratings" + ext), dir.resolve("users" + ext),
                    dir.resolve("items" + ext));
            write(w.ratings(), format, List.of("customer", "product", "stars", "ts"), ratings);
            write(w.users(), format, List.of("customer", "age_band", "gender", "occupation"), users);
            write(w.items(), format, List.of("product", "title", "year", "genres"), items);
            return w;
        } finally {
            FileTrees.deleteRecursively(scratch);
        }
    }

    /**
     * The session files written.
     *
     * @param sessions the events, or the text file of one session a line
     * @param items the items' labels
     */
    public record WrittenSessions(Path sessions, Path items) {}

    private static final java.time.format.DateTimeFormatter TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", java.util.Locale.ROOT);

    /**
     * Writes a shop's clickstream: {@code sessions} with columns {@code session_id, item_id, ts}
     * (an ISO-8601 date-time, UTC), one row an event, the sessions' events interleaved in time as a
     * log has them (session s starts s·20 s after the first, its events a minute apart); and
     * {@code items} with columns {@code item_id, label}. With {@code text}, sessions go to
     * {@code sessions.txt} instead, one a line. Drawn by {@link SyntheticSessions}, so the sessions,
     * in the order of their first event, are the generator's.
     *
     * @param spec the generator's spec
     * @param dir the directory, created if absent; existing files of these names are replaced
     * @param format the format of both tables
     * @param text whether the sessions go to a text file instead of a table
     * @return the files
     * @throws IOException when writing fails
     */
    public static WrittenSessions writeSessions(SyntheticSessions.Spec spec, Path dir, TableFile.Format format,
            boolean text) throws IOException {
        Files.createDirectories(dir);
        SyntheticSessions.Result r = SyntheticSessions.generate(spec);
        List<Object[]> items = new ArrayList<>();
        r.labels().forEach((id, label) -> items.add(new Object[] {id, label}));
        WrittenSessions w = new WrittenSessions(dir.resolve(text ? "sessions.txt" : "sessions" + ext(format)),
                dir.resolve("items" + ext(format)));
        if (text) {
            StringBuilder sb = new StringBuilder();
            for (OnlineRetail.Session s : r.sessions()) {
                sb.append(String.join(" ", s.items())).append('\n');
            }
            atomically(w.sessions(), sb);
        } else {
            List<long[]> events = new ArrayList<>();
            for (int s = 0; s < r.sessions().size(); s++) {
                for (int k = 0; k < r.sessions().get(s).items().size(); k++) {
                    events.add(new long[] {20L * s + 60L * k, s, k});
                }
            }
            events.sort(java.util.Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
            java.time.LocalDateTime start = java.time.LocalDateTime.of(2026, 1, 5, 9, 0);
            List<Object[]> rows = new ArrayList<>(events.size());
            for (long[] e : events) {
                OnlineRetail.Session s = r.sessions().get((int) e[1]);
                rows.add(new Object[] {s.key(), s.items().get((int) e[2]),
                    start.plusSeconds(e[0]).format(TIME)});
            }
            write(w.sessions(), format, List.of("session_id", "item_id", "ts"), rows);
        }
        write(w.items(), format, List.of("item_id", "label"), items);
        return w;
    }

    private static String ext(TableFile.Format format) {
        return switch (format) {
            case CSV -> ".csv";
            case TSV -> ".tsv";
            case PARQUET -> ".parquet";
        };
    }

    private static void write(Path file, TableFile.Format format, List<String> names, List<Object[]> rows)
            throws IOException {
        if (format == TableFile.Format.PARQUET) {
            ParquetTable.write(file, names, rows);
            return;
        }
        String sep = format == TableFile.Format.TSV ? "\t" : ",";
        StringBuilder sb = new StringBuilder(String.join(sep, names)).append('\n');
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                sb.append(i == 0 ? "" : sep).append(cell(row[i], format));
            }
            sb.append('\n');
        }
        atomically(file, sb);
    }

    private static void atomically(Path file, CharSequence text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".partial");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String cell(Object value, TableFile.Format format) {
        String s = value == null ? "" : value instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue())
                : value.toString();
        if (format == TableFile.Format.CSV && (s.contains(",") || s.contains("\""))) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
