package dev.embtrain.datasets.tables;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.ParquetTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.schema.MessageType;

/**
 * What {@link PreparedRatings} and {@link PreparedSessions} share: the manifest, and the part files
 * {@code embtrain spark prepare} wrote, read typed and in order.
 */
public final class PreparedParts {
    private PreparedParts() {}

    /** The manifest, written last: a directory without it is not (or not yet) prepared. */
    public static final String MANIFEST = "prepared.properties";

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
     * Writes a manifest: the format, the source, the rows, each count by name, and each column by
     * the role it plays (a role whose column is null is left out).
     */
    static void writeManifest(Path dir, String format, String source, long rows, java.util.Map<String, Long> counts,
            java.util.Map<String, String> columns) throws IOException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("format", format);
        p.setProperty("source", source);
        p.setProperty("rows", Long.toString(rows));
        counts.forEach((name, count) -> p.setProperty(name, Long.toString(count)));
        columns.forEach((role, column) -> {
            if (column != null) {
                p.setProperty("columns." + role, column);
            }
        });
        try (var w = Files.newBufferedWriter(dir.resolve(MANIFEST), java.nio.charset.StandardCharsets.UTF_8)) {
            p.store(w, "embtrain spark prepare");
        }
    }

    /**
     * Reads a manifest, refusing one of another format (or another version of this one), or one
     * prepared from other columns than the config's, by role (a null column: none).
     */
    static java.util.Properties manifest(Path dir, String format, java.util.Map<String, String> columns)
            throws IOException {
        Path manifest = dir.resolve(MANIFEST);
        java.util.Properties p = new java.util.Properties();
        try (var r = Files.newBufferedReader(manifest, java.nio.charset.StandardCharsets.UTF_8)) {
            p.load(r);
        }
        if (!format.equals(p.getProperty("format"))) {
            throw new DataFormatException(manifest, 0, "format is \"" + p.getProperty("format") + "\", expected "
                    + format + ": prepare it again with this version's embtrain spark prepare and this dataset type");
        }
        java.util.Map<String, String> prepared = new java.util.LinkedHashMap<>();
        columns.keySet().forEach(role -> prepared.put(role, p.getProperty("columns." + role)));
        if (!prepared.equals(columns)) {
            throw new DataFormatException(manifest, 0, "prepared from columns " + describe(prepared)
                    + ", but the config reads " + describe(columns) + ": prepare it again with this config");
        }
        return p;
    }

    /** role=column for each role with a column, in order. */
    private static String describe(java.util.Map<String, String> columns) {
        StringBuilder sb = new StringBuilder();
        columns.forEach((role, column) -> {
            if (column != null) {
                sb.append(sb.length() == 0 ? "" : ", ").append(role).append('=').append(column);
            }
        });
        return sb.toString();
    }

    /** Reads a vocabulary directory of index and id: entry {@code index} is the id. */
    static String[] vocabulary(Path dir, String name, long size) throws IOException {
        String[] ids = new String[Math.toIntExact(size)];
        for (Path part : parts(dir.resolve(name))) {
            columns(part, List.of("index", "id"), (r, c) -> put(ids, r[0].getInteger(),
                    r[1].getBinary().toStringUsingUTF8(), part));
        }
        complete(ids, dir.resolve(name));
        return ids;
    }

    /** Sets a vocabulary's entry, refusing an index outside it or one set before. */
    static void put(String[] vocabulary, int index, String id, Path part) {
        if (index < 0 || index >= vocabulary.length || vocabulary[index] != null) {
            throw new DataFormatException(part, 0, "index " + index + " is outside 0.." + (vocabulary.length - 1)
                    + " or repeated");
        }
        vocabulary[index] = id;
    }

    /** Refuses a vocabulary with an entry no part set. */
    static void complete(String[] vocabulary, Path where) {
        for (int i = 0; i < vocabulary.length; i++) {
            if (vocabulary[i] == null) {
                throw new DataFormatException(where, 0, "no entry " + i + " of " + vocabulary.length);
            }
        }
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
    interface Row {
        void take(ColumnReader[] readers, ColumnDescriptor[] columns) throws IOException;
    }

    /** Whether a reader is on a null. */
    static boolean isNull(ColumnReader reader, ColumnDescriptor column) {
        return reader.getCurrentDefinitionLevel() < column.getMaxDefinitionLevel();
    }

    /**
     * Reads flat columns of a part row by row, typed: a null in a column is an error, except in
     * one whose name ends with {@code ?} (the name without it), which the row checks with
     * {@link #isNull}.
     */
    static void columns(Path file, List<String> names, Row row) throws IOException {
        try (ParquetFileReader reader = ParquetTable.open(file)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            ColumnDescriptor[] cols = new ColumnDescriptor[names.size()];
            for (int i = 0; i < cols.length; i++) {
                cols[i] = ParquetTable.leaf(file, schema, names.get(i).replace("?", ""));
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
                        if (!names.get(i).endsWith("?") && isNull(readers[i], cols[i])) {
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
