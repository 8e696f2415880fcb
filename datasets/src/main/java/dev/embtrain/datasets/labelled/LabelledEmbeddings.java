package dev.embtrain.datasets.labelled;

import dev.embtrain.datasets.io.CsvTable;
import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.Lines;
import dev.embtrain.datasets.io.ParquetTable;
import dev.embtrain.datasets.io.TableFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Joins a table of binary labels to precomputed embedding vectors by id, for issue #5's
 * classifier on vendor embeddings.
 *
 * <p>The labels file is a CSV (header, comma-separated) or a Parquet file with the columns
 * {@code rid}, {@code label} (0 or 1; in Parquet also a boolean) and optionally
 * {@code evkey}, the identifier of the model that made the embeddings, recorded in the run. The embeddings file is any
 * {@link EmbeddingsFile}. The join keeps the labelled ids that have a vector, in the order of
 * the labels file, and counts both kinds of leftovers. Bad input is a
 * {@link DataFormatException} naming the file and line (CSV) or row (Parquet): a missing
 * column, an empty or repeated rid, a label other than 0 or 1, and everything
 * {@link EmbeddingsFile} checks in the vectors.
 */
public final class LabelledEmbeddings {
    private LabelledEmbeddings() {}

    /**
     * The labels file's rows.
     *
     * @param file the file
     * @param ids the rids, in file order
     * @param labels 0 or 1 per rid
     * @param evkeys the distinct non-empty evkey values, in order of first appearance (empty
     *     when the column is absent)
     */
    public record Labels(Path file, String[] ids, int[] labels, List<String> evkeys) {}

    /**
     * The joined data.
     *
     * @param ids the labelled ids that have a vector, in labels-file order
     * @param labels their labels
     * @param vectors their vectors
     * @param width the vectors' width
     * @param evkeys the distinct evkey values of the labels file
     * @param labelsWithoutEmbeddings labelled ids with no vector (left out)
     * @param embeddingsWithoutLabels vectors whose id has no label (left out)
     */
    public record Joined(String[] ids, int[] labels, float[][] vectors, int width, List<String> evkeys,
            int labelsWithoutEmbeddings, long embeddingsWithoutLabels) {
        /**
         * Returns the number of joined rows.
         *
         * @return the number of rows
         */
        public int size() {
            return ids.length;
        }

        /**
         * Counts the positive labels.
         *
         * @return how many labels are 1
         */
        public int positives() {
            int n = 0;
            for (int l : labels) {
                n += l;
            }
            return n;
        }
    }

    /**
     * Reads a labels file.
     *
     * @param file a .csv or .parquet file with rid, label and optionally evkey
     * @return its rows
     * @throws DataFormatException naming file and line or row of the first bad row, or the class
     *     when every label is the same
     * @throws IOException when it cannot be read
     */
    public static Labels readLabels(Path file) throws IOException {
        TableFile.requireReadable(file, "labels file not found");
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<String> ids = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        Set<String> evkeys = new LinkedHashSet<>();
        Map<String, Long> seen = new HashMap<>();
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            // A boolean label column reads as "true"/"false"; CSV labels must be 0 or 1.
            ParquetTable.read(file, List.of("rid", "label"), List.of("evkey"), (values, group, inGroup, row) ->
                    addLabel(file, false, row, values[0], "true".equals(values[1]) ? "1"
                            : "false".equals(values[1]) ? "0" : values[1], values[2], ids, labels, evkeys, seen));
        } else if (name.endsWith(".csv")) {
            CsvTable table = new CsvTable(file);
            int[] cols = new int[3];
            long last = Lines.forEach(file, StandardCharsets.UTF_8, (line, number) -> {
                if (table.header(line, number)) {
                    table.require(number, "rid");
                    table.require(number, "label");
                    cols[0] = table.index("rid");
                    cols[1] = table.index("label");
                    cols[2] = table.index("evkey");
                    return;
                }
                String[] f = table.fields(line, number);
                addLabel(file, true, number, f[cols[0]], f[cols[1]], cols[2] < 0 ? null : f[cols[2]], ids, labels,
                        evkeys, seen);
            });
            if (last == 0) {
                throw new DataFormatException(file, 0, "empty file; expected a header with rid and label");
            }
        } else {
            throw new DataFormatException(file, 0, "unknown labels format; expected a .csv or .parquet file");
        }
        if (!labels.isEmpty() && (labels.indexOf(0) < 0 || labels.indexOf(1) < 0)) {
            throw new DataFormatException(file, 0, String.format(Locale.ROOT, "every label is %d (%,d rows); a"
                    + " classifier needs both classes", labels.get(0), labels.size()));
        }
        return new Labels(file, ids.toArray(new String[0]), labels.stream().mapToInt(Integer::intValue).toArray(),
                List.copyOf(evkeys));
    }

    private static void addLabel(Path file, boolean text, long where, String id, String label, String evkey,
            List<String> ids, List<Integer> labels, Set<String> evkeys, Map<String, Long> seen) {
        String at = text ? "line " : "row ";
        if (id == null || id.isEmpty()) {
            throw error(file, text, where, "rid is empty");
        }
        Long first = seen.putIfAbsent(id, where);
        if (first != null) {
            throw error(file, text, where, "duplicate rid \"" + id + "\" (first on " + at + first + ")");
        }
        int value;
        if ("0".equals(label)) {
            value = 0;
        } else if ("1".equals(label)) {
            value = 1;
        } else {
            throw error(file, text, where, "label must be 0 or 1, found "
                    + (label == null ? "null" : "\"" + label + "\""));
        }
        ids.add(id);
        labels.add(value);
        if (evkey != null && !evkey.isEmpty()) {
            evkeys.add(evkey);
        }
    }

    private static DataFormatException error(Path file, boolean text, long where, String message) {
        return text ? new DataFormatException(file, where, message)
                : new DataFormatException(file, 0, "row " + where + ": " + message);
    }

    /**
     * Reads both files and joins them on rid.
     *
     * @param labelsFile the labels (.csv or .parquet)
     * @param embeddings the vectors
     * @return the labelled vectors and the counts of what did not match
     * @throws DataFormatException naming file and line or row of the first bad row, or when no
     *     labelled id has a vector
     * @throws IOException when a file cannot be read
     */
    public static Joined read(Path labelsFile, EmbeddingsFile embeddings) throws IOException {
        Labels labels = readLabels(labelsFile);
        Map<String, Integer> rowOf = new HashMap<>(labels.ids().length * 2);
        for (int i = 0; i < labels.ids().length; i++) {
            rowOf.put(labels.ids()[i], i);
        }
        if (labels.ids().length == 0) {
            throw new DataFormatException(labelsFile, 0, "no labels");
        }
        float[][] byLabelRow = new float[labels.ids().length][];
        long[] unmatched = {0};
        int width = embeddings.stream(EmbeddingsFile.DEFAULT_CHUNK_ROWS, chunk -> {
            for (int i = 0; i < chunk.size(); i++) {
                Integer row = rowOf.get(chunk.ids()[i]);
                if (row == null) {
                    unmatched[0]++;
                } else {
                    byLabelRow[row] = chunk.vectors()[i];
                }
            }
        });
        int matched = 0;
        for (float[] v : byLabelRow) {
            matched += v == null ? 0 : 1;
        }
        if (matched == 0) {
            throw new DataFormatException(labelsFile, 0, "no rid has a vector in " + embeddings.path() + " ("
                    + labels.ids().length + " labelled, " + unmatched[0] + " embedded)");
        }
        String[] ids = new String[matched];
        int[] y = new int[matched];
        float[][] x = new float[matched][];
        int k = 0;
        for (int i = 0; i < byLabelRow.length; i++) {
            if (byLabelRow[i] != null) {
                ids[k] = labels.ids()[i];
                y[k] = labels.labels()[i];
                x[k] = byLabelRow[i];
                k++;
            }
        }
        return new Joined(ids, y, x, width, labels.evkeys(), labels.ids().length - matched, unmatched[0]);
    }
}
