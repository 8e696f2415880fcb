package dev.embtrain.datasets.tables;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.ParquetTable;
import dev.embtrain.datasets.movielens.RatingsTable;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.schema.MessageType;

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

    /** The manifest, written last: a directory without it is not (or not yet) prepared. */
    public static final String MANIFEST = "prepared.properties";
    /** The manifest's {@code format} value. */
    public static final String FORMAT = "embtrain-prepared-ratings-1";

    /**
     * Whether a path is a prepared directory.
     *
     * @param path a path
     * @return whether it is a directory holding {@link #MANIFEST}
     */
    public static boolean isPrepared(Path path) {
        return Files.isDirectory(path) && Files.isRegularFile(path.resolve(MANIFEST));
    }

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
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("source", source);
        p.setProperty("rows", Long.toString(rows));
        p.setProperty("users", Long.toString(users));
        p.setProperty("items", Long.toString(items));
        p.setProperty("columns.user", columns.user());
        p.setProperty("columns.item", columns.item());
        p.setProperty("columns.rating", columns.rating());
        if (columns.timestamp() != null) {
            p.setProperty("columns.timestamp", columns.timestamp());
        }
        if (columns.split() != null) {
            p.setProperty("columns.split", columns.split());
        }
        try (var w = Files.newBufferedWriter(dir.resolve(MANIFEST), StandardCharsets.UTF_8)) {
            p.store(w, "embtrain spark prepare");
        }
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
        Path manifest = dir.resolve(MANIFEST);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new DataFormatException(manifest, 0, "format is \"" + p.getProperty("format") + "\", expected "
                    + FORMAT + ": prepare it again with this version's embtrain spark prepare");
        }
        RatingsFile.Columns prepared = new RatingsFile.Columns(p.getProperty("columns.user"),
                p.getProperty("columns.item"), p.getProperty("columns.rating"), p.getProperty("columns.timestamp"),
                p.getProperty("columns.split"));
        if (!prepared.equals(columns)) {
            throw new DataFormatException(manifest, 0, "prepared from columns " + describe(prepared)
                    + ", but the config reads " + describe(columns) + ": prepare it again with this config");
        }
        long rows = Long.parseLong(p.getProperty("rows"));
        if (rows > Integer.MAX_VALUE - 8) {
            throw new DataFormatException(manifest, 0, rows + " ratings; one run holds at most "
                    + (Integer.MAX_VALUE - 8));
        }
        String[] users = vocabulary(dir, "users", Long.parseLong(p.getProperty("users")));
        String[] items = vocabulary(dir, "items", Long.parseLong(p.getProperty("items")));
        int n = (int) rows;
        String[] u = new String[n];
        String[] it = new String[n];
        float[] ratings = new float[n];
        long[] times = new long[n];
        byte[] splits = columns.split() == null ? null : new byte[n];
        int[] at = {0};
        for (Path part : parts(dir.resolve("ratings"))) {
            List<String> names = new ArrayList<>(List.of("user", "item", "rating"));
            if (columns.timestamp() != null) {
                names.add("timestamp");
            }
            if (splits != null) {
                names.add("split");
            }
            columns(part, names, (readers, descriptors) -> {
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

    private static String describe(RatingsFile.Columns c) {
        return "user=" + c.user() + ", item=" + c.item() + ", rating=" + c.rating()
                + (c.timestamp() == null ? "" : ", timestamp=" + c.timestamp())
                + (c.split() == null ? "" : ", split=" + c.split());
    }

    private static String entry(String[] vocabulary, int index, Path part, String column) {
        if (index < 0 || index >= vocabulary.length) {
            throw new DataFormatException(part, 0, "column \"" + column + "\" has index " + index + ", outside the "
                    + vocabulary.length + " entries of its vocabulary");
        }
        return vocabulary[index];
    }

    /** Reads users/ or items/: entry {@code index} is the id. */
    private static String[] vocabulary(Path dir, String name, long size) throws IOException {
        String[] ids = new String[Math.toIntExact(size)];
        for (Path part : parts(dir.resolve(name))) {
            columns(part, List.of("index", "id"), (readers, descriptors) -> {
                int index = readers[0].getInteger();
                if (index < 0 || index >= ids.length || ids[index] != null) {
                    throw new DataFormatException(part, 0, "index " + index + " is outside 0.." + (ids.length - 1)
                            + " or repeated");
                }
                ids[index] = readers[1].getBinary().toStringUsingUTF8();
            });
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == null) {
                throw new DataFormatException(dir.resolve(name), 0, "no entry " + i + " of " + ids.length);
            }
        }
        return ids;
    }

    /** The part files of a Spark output directory, in name order (the order of its partitions). */
    static List<Path> parts(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new DataFormatException(dir, 0, "missing: the prepared directory is incomplete");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith("part-")
                    && f.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
    }

    /** Receives one row's column readers, positioned on its values. */
    @FunctionalInterface
    private interface Row {
        void take(ColumnReader[] readers, ColumnDescriptor[] columns) throws IOException;
    }

    /** Reads required, non-null flat columns of a part row by row, typed. */
    private static void columns(Path file, List<String> names, Row row) throws IOException {
        try (ParquetFileReader reader = ParquetTable.open(file)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            ColumnDescriptor[] cols = new ColumnDescriptor[names.size()];
            for (int i = 0; i < cols.length; i++) {
                cols[i] = ParquetTable.leaf(file, schema, names.get(i));
            }
            String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages,
                        new GroupRecordConverter(schema).getRootConverter(), schema, createdBy);
                ColumnReader[] readers = new ColumnReader[cols.length];
                for (int i = 0; i < cols.length; i++) {
                    readers[i] = store.getColumnReader(cols[i]);
                }
                for (long r = 0; r < pages.getRowCount(); r++) {
                    for (int i = 0; i < cols.length; i++) {
                        if (readers[i].getCurrentDefinitionLevel() < cols[i].getMaxDefinitionLevel()) {
                            throw new DataFormatException(file, 0, "column \"" + names.get(i) + "\" has a null");
                        }
                    }
                    row.take(readers, cols);
                    for (ColumnReader c : readers) {
                        c.consume();
                    }
                }
            }
        }
    }
}
