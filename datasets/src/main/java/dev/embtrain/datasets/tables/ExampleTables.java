package dev.embtrain.datasets.tables;

import dev.embtrain.datasets.io.FileTrees;
import dev.embtrain.datasets.io.ParquetTable;
import dev.embtrain.datasets.io.TableFile;
import dev.embtrain.datasets.movielens.ItemKey;
import dev.embtrain.datasets.movielens.MovieLens;
import dev.embtrain.datasets.movielens.MovieLensSideFeatures;
import dev.embtrain.datasets.movielens.RatingsTable;
import dev.embtrain.datasets.synthetic.SyntheticMovieLens;
import java.io.IOException;
import java.io.UncheckedIOException;
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
            String ext = switch (format) {
                case CSV -> ".csv";
                case TSV -> ".tsv";
                case PARQUET -> ".parquet";
            };
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
        Path tmp = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new UncheckedIOException(e);
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
