package dev.embtrain.datasets.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads the named columns of a user's table, whatever its format, the format told by the file
 * name: CSV ({@code .csv}, quoted fields allowed) or TSV ({@code .tsv}, {@code .tab}, no
 * quoting) with a header line naming the columns, either gzip-compressed ({@code .csv.gz}), or
 * Parquet ({@code .parquet}, {@code .pq}; flat columns of any primitive type, read as text).
 * Columns are found by name, never by position, so a file's column order does not matter.
 */
public final class TableFile {
    private TableFile() {}

    /** The formats, by file name. */
    public enum Format {
        /** Comma-separated, header line first. */
        CSV,
        /** Tab-separated, header line first. */
        TSV,
        /** Apache Parquet. */
        PARQUET
    }

    /** The file names this reads, for messages. */
    public static final String NAMES = ".csv, .tsv or .parquet (.csv.gz and .tsv.gz too)";

    /**
     * Tells a file's format from its name.
     *
     * @param file the file
     * @return the format
     * @throws DataFormatException for a name this does not read
     */
    public static Format format(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        } else if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            return Format.PARQUET;
        }
        if (name.endsWith(".csv")) {
            return Format.CSV;
        }
        if (name.endsWith(".tsv") || name.endsWith(".tab")) {
            return Format.TSV;
        }
        throw new DataFormatException(file, 0, "unknown table format; expected " + NAMES);
    }

    /**
     * Tells why a data file cannot be read, before reading it: a local file that is not there, or
     * an S3 object that is missing or forbidden (with the HTTP status).
     *
     * @param file the file or {@code s3://} object
     * @return null when it is a readable file, else {@code no such file F} or
     *     {@code s3://b/k: HTTP 404 NoSuchKey}
     */
    public static String unreadable(Path file) {
        if (file instanceof dev.embtrain.datasets.io.s3.S3Path) {
            try {
                java.nio.file.Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
                return null;
            } catch (IOException e) {
                return e.getMessage();
            }
        }
        return java.nio.file.Files.isRegularFile(file) ? null : "no such file " + file;
    }

    /**
     * Fails unless a data file can be read.
     *
     * @param file the file or {@code s3://} object
     * @param reason what to say of a local file that is not there ({@code labels file not found})
     * @throws java.nio.file.NoSuchFileException {@code F: reason}, or for S3
     *     {@code s3://b/k: HTTP 404 NoSuchKey} (403 and others likewise)
     */
    public static void requireReadable(Path file, String reason) throws java.nio.file.NoSuchFileException {
        String why = unreadable(file);
        if (why != null) {
            boolean s3 = file instanceof dev.embtrain.datasets.io.s3.S3Path;
            throw new java.nio.file.NoSuchFileException(file.toString(), null,
                    s3 ? why.substring(Math.min(why.length(), file.toString().length() + 2)) : reason);
        }
    }

    /**
     * Where a row is, for errors: a text file's line, or a Parquet file's row group and row.
     *
     * @param file the file
     * @param line the 1-based line of a text file, 0 for Parquet
     * @param group the 1-based row group of a Parquet file
     * @param row the 1-based row in that group
     */
    public record Where(Path file, long line, int group, long row) {

        /**
         * Returns an error at this row.
         *
         * @param message what is wrong
         * @return {@code file:line: message}, or {@code file: row group g, row r: message}
         */
        public DataFormatException error(String message) {
            return line > 0 ? new DataFormatException(file, line, message)
                    : new DataFormatException(file, 0, "row group " + group + ", row " + row + ": " + message);
        }

        /**
         * Returns an error about a value that does not parse.
         *
         * @param column the column
         * @param value the value (null for a null)
         * @param expected what it should be ({@code "a number"})
         * @return {@code column "stars": "x" is not a number}, at this row
         */
        public DataFormatException badValue(String column, String value, String expected) {
            String shown = value == null ? "null" : "\"" + abbreviate(value) + "\"";
            return error("column \"" + column + "\": " + shown + " is not " + expected);
        }
    }

    /**
     * Shortens a value quoted in an error to 40 characters.
     *
     * @param s the value
     * @return it, or its first 37 characters and {@code ...}
     */
    public static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** Receives the rows of a table. */
    @FunctionalInterface
    public interface RowHandler {
        /**
         * Takes one row.
         *
         * @param values the required columns' values then the optional ones' (null where the
         *     file lacks the column, or holds a null); the array is reused for the next row
         * @param where the row, for errors
         * @throws IOException when the handler fails
         */
        void row(String[] values, Where where) throws IOException;
    }

    /**
     * Reads named columns row by row.
     *
     * @param file the file
     * @param required the columns that must exist
     * @param optional columns read where present
     * @param handler receives every row
     * @return the number of rows
     * @throws DataFormatException for a missing column ({@code missing column "x"; found [...]},
     *     at the header line), a row with the wrong number of fields, or an empty file
     * @throws IOException when the file cannot be read
     */
    public static long read(Path file, List<String> required, List<String> optional, RowHandler handler)
            throws IOException {
        Format format = format(file);
        if (format == Format.PARQUET) {
            long[] rows = {0};
            ParquetTable.read(file, required, optional, (values, group, inGroup, row) -> {
                rows[0] = row;
                handler.row(values, new Where(file, 0, group, inGroup));
            });
            return rows[0];
        }
        CsvTable table = new CsvTable(file, format == Format.TSV ? "\t" : ",");
        List<String> all = new ArrayList<>(required);
        all.addAll(optional);
        int[] index = new int[all.size()];
        String[] values = new String[all.size()];
        long[] rows = {0};
        long last;
        try (InputStream in = open(file)) {
            last = Lines.forEach(file, in, StandardCharsets.UTF_8, (line, number) -> {
                if (table.header(line, number)) {
                    for (String name : required) {
                        table.require(number, name);
                    }
                    for (int i = 0; i < index.length; i++) {
                        index[i] = table.index(all.get(i));
                    }
                    return;
                }
                String[] fields = table.fields(line, number);
                for (int i = 0; i < index.length; i++) {
                    values[i] = index[i] < 0 ? null : fields[index[i]];
                }
                rows[0]++;
                handler.row(values, new Where(file, number, 0, 0));
            });
        }
        if (last == 0) {
            throw new DataFormatException(file, 0, "empty file; expected a header line naming the columns "
                    + required);
        }
        return rows[0];
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
            try {
                return new GZIPInputStream(in, 1 << 16);
            } catch (IOException e) {
                in.close();
                throw new DataFormatException(file, 0, "not a gzip file: " + e.getMessage(), e);
            }
        }
        return in;
    }
}
