package dev.embtrain.datasets.labelled;

import dev.embtrain.datasets.io.CsvTable;
import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.DecimalFloats;
import dev.embtrain.datasets.io.Lines;
import dev.embtrain.datasets.io.TableFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A file of one fixed-width vector per id, read as a stream of {@link EmbeddingChunk}s so that
 * 1,000,000 × 512 floats never need to be in memory at once.
 *
 * <h2>Formats (by extension)</h2>
 *
 * <ul>
 *   <li>{@code .csv}: a header line, then one row per id, comma-separated, fields quoted as
 *       RFC 4180 where needed. The id column is {@code rid}. The vector is either
 *       <em>packed</em> in one column named {@code column} holding the values separated by
 *       spaces and/or commas, optionally in brackets ({@code 0.1 0.2 0.3} or
 *       {@code "[0.1, 0.2, 0.3]"}, which must be quoted since it holds commas), or
 *       <em>wide</em>: one column per component, named {@code column_0 … column_{W−1}} or
 *       {@code column0 … column{W−1}} (all of 0..W−1, in any order). Values are decimal floats.
 *   <li>{@code .parquet}: a column {@code rid} (string, or 32/64-bit integer written in decimal)
 *       and a column {@code column} that is a list of float or double (the standard three-level
 *       LIST, as pandas/pyarrow write it, or a legacy repeated field). Any codec Parquet-MR
 *       reads (uncompressed, snappy, gzip, zstd, lz4_raw). Parquet-MR reads a whole row group's
 *       column chunk into memory before decoding it, so memory is bounded by the largest row
 *       group, not by the file: write big files in row groups of at most about 100,000 rows
 *       of 512 floats ({@code pq.write_table(t, f, row_group_size=100_000)}; pyarrow's default
 *       of 1,048,576 rows makes a 1,000,000 × 512 file a single 2 GB row group).
 *   <li>{@code .npy}: a 2-D little-endian float32 or float64 C-order array (rows × W), with the
 *       ids in a separate CSV file {@code ids} that has a {@code rid} column and one row per
 *       array row, in the same order (the ids are read first and held, one string per row).
 * </ul>
 *
 * Every row is checked: a non-empty id, the same width as the first row (or as {@code width}
 * when given), finite values, and (unless turned off) an id not seen before, which holds every
 * id in a set (about 120 bytes an id). Errors are
 * {@link DataFormatException}s naming the file and the line (CSV) or row (Parquet, .npy).
 *
 * @param path the embeddings file
 * @param column the vector column ({@code bottleneck}, say); ignored for .npy
 * @param ids the ids file of a .npy file, else null
 */
public record EmbeddingsFile(Path path, String column, Path ids) {
    /** The default number of rows per chunk: 4096 × 512 floats is 8 MiB. */
    public static final int DEFAULT_CHUNK_ROWS = 4096;

    /** Checks the parts that are always needed. */
    public EmbeddingsFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(column, "column");
    }

    /** Receives the chunks in file order. */
    @FunctionalInterface
    public interface ChunkHandler {
        /**
         * Takes one chunk.
         *
         * @param chunk the rows
         * @throws IOException passed through to the caller of {@link #stream}
         */
        void chunk(EmbeddingChunk chunk) throws IOException;
    }

    /** The formats, chosen by the file's extension. */
    public enum Format {
        /** Comma-separated text with a header. */
        CSV,
        /** Apache Parquet with a list column. */
        PARQUET,
        /** NumPy .npy with an ids file. */
        NPY
    }

    /**
     * Returns the format named by the file's extension.
     *
     * @return the format
     * @throws DataFormatException when the extension is none of .csv, .parquet, .npy
     */
    public Format format() {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return Format.CSV;
        }
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            return Format.PARQUET;
        }
        if (name.endsWith(".npy")) {
            return Format.NPY;
        }
        throw new DataFormatException(path, 0, "unknown embeddings format; expected a .csv, .parquet or .npy file");
    }

    /**
     * Reads the file in chunks, checking every row, duplicates included.
     *
     * @param chunkRows rows per chunk (the last may be shorter)
     * @param handler receives each chunk
     * @return the width
     * @throws DataFormatException naming file and line or row of the first bad row
     * @throws IOException when the file cannot be read
     */
    public int stream(int chunkRows, ChunkHandler handler) throws IOException {
        return stream(chunkRows, 0, true, handler);
    }

    /**
     * Reads the file in chunks.
     *
     * @param chunkRows rows per chunk (the last may be shorter)
     * @param width the width every row must have, or 0 for the first row's
     * @param checkDuplicates whether to refuse a repeated id (costs a set of all ids)
     * @param handler receives each chunk
     * @return the width (0 for a file without rows)
     * @throws DataFormatException naming file and line or row of the first bad row
     * @throws IOException when the file cannot be read
     */
    public int stream(int chunkRows, int width, boolean checkDuplicates, ChunkHandler handler) throws IOException {
        Format format = format();
        TableFile.requireReadable(path, "embeddings file not found");
        switch (format) {
            case CSV -> {
                RowSink sink = new RowSink(path, true, column, width, chunkRows, checkDuplicates, handler);
                readCsv(sink);
                sink.flush();
                return sink.width();
            }
            case PARQUET -> {
                RowSink sink = new RowSink(path, false, column, width, chunkRows, checkDuplicates, handler);
                ParquetEmbeddings.read(path, column, sink);
                sink.flush();
                return sink.width();
            }
            default -> {
                if (ids == null) {
                    throw new DataFormatException(path, 0, "a .npy file needs an ids file (a CSV with a rid column)");
                }
                RowSink sink = new RowSink(path, false, column, width, chunkRows, checkDuplicates, handler);
                NpyFloats.read(path, readIds(ids), sink);
                sink.flush();
                return sink.width();
            }
        }
    }

    /**
     * Reads rows [from, to) of a .npy file in chunks, each row checked and numbered as in the
     * whole file (duplicates within the range only), so that tasks can read one file in parts.
     *
     * @param from the first row, from 0
     * @param to the row after the last (clamped to the array)
     * @param chunkRows rows per chunk
     * @param width the width every row must have, or 0 for the first row's
     * @param handler receives each chunk
     * @return the width (0 for an empty range)
     * @throws IllegalArgumentException for a file that is not .npy
     * @throws DataFormatException naming file and row of the first bad row
     * @throws IOException when the file cannot be read
     */
    public int streamRows(long from, long to, int chunkRows, int width, ChunkHandler handler) throws IOException {
        if (format() != Format.NPY) {
            throw new IllegalArgumentException("only a .npy file is read by row range, not " + path);
        }
        TableFile.requireReadable(path, "embeddings file not found");
        if (ids == null) {
            throw new DataFormatException(path, 0, "a .npy file needs an ids file (a CSV with a rid column)");
        }
        RowSink sink = new RowSink(path, false, column, width, chunkRows, true, handler);
        long[] total = {0};
        List<String> range = readIds(ids, from, to, total);
        NpyFloats.read(path, new NpyFloats.Ids(range, from, total[0]), from, to, sink);
        sink.flush();
        return sink.width();
    }

    /** Reads the {@code rid} column of a CSV file, in order. */
    static List<String> readIds(Path file) throws IOException {
        return readIds(file, 0, Long.MAX_VALUE, new long[1]);
    }

    /**
     * Reads the ids of rows [from, to) of a CSV file's {@code rid} column, checking every row.
     *
     * @param total receives how many ids the file holds
     */
    static List<String> readIds(Path file, long from, long to, long[] total) throws IOException {
        List<String> out = new ArrayList<>();
        long[] row = {0};
        CsvTable table = new CsvTable(file);
        Lines.forEach(file, StandardCharsets.UTF_8, (line, number) -> {
            if (table.header(line, number)) {
                table.require(number, "rid");
                return;
            }
            String[] f = table.fields(line, number);
            String id = f[table.index("rid")];
            if (id.isEmpty()) {
                throw new DataFormatException(file, number, "rid is empty");
            }
            if (row[0] >= from && row[0] < to) {
                out.add(id);
            }
            row[0]++;
        });
        total[0] = row[0];
        if (!table.seenHeader()) {
            throw new DataFormatException(file, 0, "empty file; expected a header with a rid column");
        }
        return out;
    }

    private void readCsv(RowSink sink) throws IOException {
        CsvTable table = new CsvTable(path);
        int[] wide = new int[0];
        int[] packed = {-1};
        int[] rid = {-1};
        int[][] wideHolder = {wide};
        long last = Lines.forEach(path, StandardCharsets.UTF_8, (line, number) -> {
            if (table.header(line, number)) {
                table.require(number, "rid");
                rid[0] = table.index("rid");
                if (table.has(column)) {
                    packed[0] = table.index(column);
                } else {
                    wideHolder[0] = wideColumns(table, number);
                    if (sink.width() != 0 && wideHolder[0].length != sink.width()) {
                        throw new DataFormatException(path, number, column + " has " + wideHolder[0].length
                                + " columns, expected " + sink.width());
                    }
                }
                return;
            }
            String[] f = table.fields(line, number);
            float[] v;
            if (packed[0] >= 0) {
                v = parseVector(f[packed[0]], number);
            } else {
                int[] cols = wideHolder[0];
                v = new float[cols.length];
                for (int k = 0; k < cols.length; k++) {
                    String text = f[cols[k]];
                    v[k] = text.isEmpty() ? parseFloat(text, label(k, true), number)
                            : parseFloat(text, 0, text.length(), k, true, number);
                }
            }
            sink.add(f[rid[0]], v, number);
        });
        if (last == 0) {
            throw new DataFormatException(path, 0, "empty file; expected a header with rid and " + column);
        }
    }

    /** Finds {@code column_0..} or {@code column0..}; refuses gaps and a mix of the two. */
    private int[] wideColumns(CsvTable table, long line) {
        TreeMap<Integer, Integer> byIndex = new TreeMap<>();
        for (String prefix : new String[] {column + "_", column}) {
            if (!byIndex.isEmpty()) {
                break;
            }
            for (int i = 0; i < table.names().size(); i++) {
                String name = table.names().get(i);
                if (name.startsWith(prefix) && name.length() > prefix.length()
                        && name.substring(prefix.length()).chars().allMatch(Character::isDigit)
                        && (name.length() == prefix.length() + 1 || name.charAt(prefix.length()) != '0')) {
                    byIndex.put(Integer.parseInt(name.substring(prefix.length())), i);
                }
            }
        }
        if (byIndex.isEmpty()) {
            throw new DataFormatException(path, line, "missing column \"" + column + "\" (or " + column + "_0, "
                    + column + "_1, ...); found " + table.names());
        }
        if (byIndex.lastKey() != byIndex.size() - 1) {
            int gap = 0;
            while (byIndex.containsKey(gap)) {
                gap++;
            }
            throw new DataFormatException(path, line, "wide vector columns of " + column + " skip index " + gap);
        }
        return byIndex.values().stream().mapToInt(Integer::intValue).toArray();
    }

    private float[] parseVector(String text, long line) {
        String s = text.strip();
        boolean open = s.startsWith("[");
        boolean close = s.endsWith("]");
        if (open != close || (open && s.length() < 2)) {
            throw new DataFormatException(path, line, column + ": unbalanced brackets in \"" + abbreviate(text) + "\"");
        }
        if (open) {
            s = s.substring(1, s.length() - 1);
        }
        float[] buffer = new float[Math.max(16, s.length() / 8)];
        int n = 0;
        int i = 0;
        int len = s.length();
        while (i < len) {
            char c = s.charAt(i);
            if (c == ' ' || c == ',' || c == '\t') {
                i++;
                continue;
            }
            int start = i;
            while (i < len && (c = s.charAt(i)) != ' ' && c != ',' && c != '\t') {
                i++;
            }
            if (n == buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, n * 2);
            }
            buffer[n] = parseFloat(s, start, i, n, false, line);
            n++;
        }
        return n == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, n);
    }

    /**
     * Parses component {@code index} of a vector; the name used in errors ({@code v[3]} for a
     * packed column, {@code v_3} for a wide one) is built only when there is an error, since
     * this runs 512 times a line.
     */
    private float parseFloat(String s, int start, int end, int index, boolean wide, long line) {
        char last = s.charAt(end - 1);
        if (Character.isDigit(last) || last == '.') {
            try {
                return DecimalFloats.parse(s, start, end);
            } catch (NumberFormatException e) {
                // fall through to the checks below for the message
            }
        }
        return parseFloat(s.substring(start, end), label(index, wide), line);
    }

    private String label(int index, boolean wide) {
        return wide ? column + "_" + index : column + "[" + index + "]";
    }

    private float parseFloat(String s, String what, long line) {
        // Float.parseFloat also takes "1f", hex and surrounding blanks; refuse what is not decimal.
        char last = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
        if (s.isEmpty() || !(Character.isDigit(last) || last == '.' || last == 'N' || last == 'y')
                || s.indexOf('x') >= 0 || s.indexOf('X') >= 0) {
            throw new DataFormatException(path, line, what + ": \"" + abbreviate(s) + "\" is not a number");
        }
        try {
            return Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw new DataFormatException(path, line, what + ": \"" + abbreviate(s) + "\" is not a number");
        }
    }

    private static String abbreviate(String s) {
        return TableFile.abbreviate(s);
    }
}
