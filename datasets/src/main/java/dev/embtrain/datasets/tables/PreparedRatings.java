package dev.embtrain.datasets.tables;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.movielens.RatingsTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A ratings table encoded by {@code embtrain spark prepare}: a directory that {@code dataset.path}
 * of {@code dataset.type: ratings} may name instead of a file.
 *
 * <pre>
 * prepared.properties   written last: format, source, rows, users, items and the column names
 * users/part-*.parquet  index (int32, from 0), id (string), count (int64): the user vocabulary
 * items/part-*.parquet  the same for items
 * ratings/part-*.parquet user, item (int32 vocabulary indices), rating (float), and timestamp
 *                       (int64 unix seconds) and split (int32: 0 train, 1 validation, 2 test)
 *                       when the columns name them; the parts in name order hold the rows in the
 *                       input's order
 * </pre>
 *
 * <p>Reading it gives the same {@link RatingsFile.Read} as reading the input file would, so a run
 * trains the same model from either; it only skips parsing text and interning ids, and the input
 * may have been many files bigger than this machine's memory.
 */
public final class PreparedRatings {
    private PreparedRatings() {}

    /** The manifest's {@code format} value. */
    public static final String FORMAT = "embtrain-prepared-ratings-1";

    /**
     * Writes the manifest.
     *
     * @param dir the prepared directory
     * @param source the input it was prepared from
     * @param rows ratings
     * @param users distinct users
     * @param items distinct items
     * @param columns the input's column names
     * @throws IOException when it cannot be written
     */
    public static void writeManifest(Path dir, String source, long rows, long users, long items,
            RatingsFile.Columns columns) throws IOException {
        PreparedParts.writeManifest(dir, FORMAT, source, rows, Map.of("users", users, "items", items),
                roles(columns));
    }

    /** The columns by role, in the order messages name them. */
    private static Map<String, String> roles(RatingsFile.Columns c) {
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put("user", c.user());
        roles.put("item", c.item());
        roles.put("rating", c.rating());
        roles.put("timestamp", c.timestamp());
        roles.put("split", c.split());
        return roles;
    }

    /**
     * Reads a prepared directory.
     *
     * @param dir the directory
     * @param columns the columns the config names, which must be those it was prepared with
     * @return the ratings, each item labelled by its own id, format {@code prepared}
     * @throws DataFormatException when the manifest is not one, the columns differ, or a part is
     *     missing, mistyped or holds an index outside its vocabulary
     * @throws IOException when a file cannot be read
     */
    public static RatingsFile.Read read(Path dir, RatingsFile.Columns columns) throws IOException {
        Path manifest = dir.resolve(PreparedParts.MANIFEST);
        Properties p = PreparedParts.manifest(dir, FORMAT, roles(columns));
        long rows = Long.parseLong(p.getProperty("rows"));
        if (rows > Integer.MAX_VALUE - 8) {
            throw new DataFormatException(manifest, 0, rows + " ratings; one run holds at most "
                    + (Integer.MAX_VALUE - 8));
        }
        String[] users = PreparedParts.vocabulary(dir, "users", Long.parseLong(p.getProperty("users")));
        String[] items = PreparedParts.vocabulary(dir, "items", Long.parseLong(p.getProperty("items")));
        int n = (int) rows;
        String[] u = new String[n];
        String[] it = new String[n];
        float[] ratings = new float[n];
        long[] times = new long[n];
        byte[] splits = columns.split() == null ? null : new byte[n];
        int[] at = {0};
        for (Path part : PreparedParts.parts(dir.resolve("ratings"))) {
            List<String> names = new ArrayList<>(List.of("user", "item", "rating"));
            if (columns.timestamp() != null) {
                names.add("timestamp");
            }
            if (splits != null) {
                names.add("split");
            }
            PreparedParts.columns(part, names, (readers, descriptors) -> {
                int row = at[0]++;
                if (row >= n) {
                    throw new DataFormatException(manifest, 0, "the parts hold more than the " + n + " rows it names");
                }
                u[row] = entry(users, readers[0].getInteger(), part, "user");
                it[row] = entry(items, readers[1].getInteger(), part, "item");
                ratings[row] = readers[2].getFloat();
                if (columns.timestamp() != null) {
                    times[row] = readers[3].getLong();
                }
                if (splits != null) {
                    splits[row] = (byte) readers[names.size() - 1].getInteger();
                }
            });
        }
        if (at[0] != n) {
            throw new DataFormatException(manifest, 0, "names " + n + " rows, the parts hold " + at[0]);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (String item : it) {
            labels.putIfAbsent(item, item);
        }
        return new RatingsFile.Read(new RatingsTable(u, it, ratings, times, labels, dir, "prepared"), splits);
    }


    private static String entry(String[] vocabulary, int index, Path part, String column) {
        if (index < 0 || index >= vocabulary.length) {
            throw new DataFormatException(part, 0, "column \"" + column + "\" has index " + index + ", outside the "
                    + vocabulary.length + " entries of its vocabulary");
        }
        return vocabulary[index];
    }
}
