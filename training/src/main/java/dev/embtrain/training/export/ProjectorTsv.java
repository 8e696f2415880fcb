package dev.embtrain.training.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Writes an embedding table as the two TSV files that the TensorBoard Embedding Projector
 * (projector.tensorflow.org, "Load" button) reads: one of vectors and one of metadata.
 *
 * <p>The Projector pairs the files line by line, so every rule here exists to keep line
 * {@code i} of one file describing line {@code i} of the other; the rules follow its parser,
 * {@code parseTensors} and {@code parseMetadata} in TensorBoard's
 * {@code plugins/projector/vz_projector/data-provider.ts}:
 * <ul>
 *   <li>Vectors: one row per line, values separated by tabs, no header, each float written with
 *       {@link Float#toString(float)}, the shortest decimal that reads back to the same float.
 *       Values must be finite: the parser takes a first value that is not a number ("NaN") as
 *       a label and then fails on the dimension count. Vectors need at least two dimensions,
 *       which the parser also requires.
 *   <li>Metadata: the parser treats the first line as a header exactly when it contains a tab,
 *       so a header of column names is written for two or more columns and none for a single
 *       column (a lone header line would be shown as the first point's label).
 *   <li>Tabs, carriage returns and line feeds inside names and values are each replaced by a
 *       single space (a run of them by one space): the format has no quoting or escaping, so a
 *       tab would start a new column and a newline a new point, misaligning every later row.
 *   <li>The parser skips lines that are blank after trimming; a row whose values are all blank
 *       is therefore written with {@value #BLANK} in its first column, so that it still takes
 *       up its line.
 * </ul>
 * Files are UTF-8 with {@code \n} line ends, and each is written atomically.
 */
public final class ProjectorTsv {

    /** Stands in for a metadata row that would otherwise be a blank line (see class comment). */
    public static final String BLANK = "(blank)";

    private ProjectorTsv() {}

    /**
     * Writes {@code vectors} to {@code vectorsTsv} and one metadata row per vector to
     * {@code metadataTsv}. All arguments are checked before either file is written.
     *
     * @param metadataColumns column names, at least one; they are written as a header only when
     *     there are two or more
     * @param metadataRows one row per vector, each with one value per column
     * @throws IllegalArgumentException if the row counts differ, a row has the wrong number of
     *     values, a value is null, the matrix is ragged, a vector value is not finite, or the
     *     vectors have fewer than two dimensions
     */
    public static void write(Path vectorsTsv, Path metadataTsv, float[][] vectors,
                             List<String> metadataColumns, List<List<String>> metadataRows) throws IOException {
        Objects.requireNonNull(vectorsTsv, "vectorsTsv");
        Objects.requireNonNull(metadataTsv, "metadataTsv");
        checkVectors(vectors);
        checkMetadata(vectors.length, metadataColumns, metadataRows);

        AtomicFiles.write(vectorsTsv, out -> {
            StringBuilder line = new StringBuilder();
            for (float[] row : vectors) {
                line.setLength(0);
                for (int j = 0; j < row.length; j++) {
                    if (j > 0) {
                        line.append('\t');
                    }
                    line.append(Float.toString(row[j]));
                }
                line.append('\n');
                // Numbers are ASCII; encoding per line keeps memory flat for large tables.
                out.write(line.toString().getBytes(StandardCharsets.US_ASCII));
            }
        });
        AtomicFiles.write(metadataTsv, out -> {
            if (metadataColumns.size() > 1) {
                out.write(line(metadataColumns).getBytes(StandardCharsets.UTF_8));
            }
            for (List<String> row : metadataRows) {
                String line = line(row);
                if (isProjectorBlank(line)) {
                    List<String> marked = new ArrayList<>(row);
                    marked.set(0, BLANK);
                    line = line(marked);
                }
                out.write(line.getBytes(StandardCharsets.UTF_8));
            }
        });
        Path dir = vectorsTsv.toAbsolutePath().getParent();
        if (dir.equals(metadataTsv.toAbsolutePath().getParent())) {
            writeConfig(dir);
        }
    }

    /** TensorBoard's projector reads this file from the directory it is pointed at. */
    public static final String CONFIG = "projector_config.pbtxt";

    /**
     * Writes {@link #CONFIG} into a directory, naming every {@code NAME_vectors.tsv} there that
     * has its {@code NAME_metadata.tsv} beside it, so that {@code tensorboard --logdir DIR} opens
     * them in its Projector as they are (paths relative to the directory).
     *
     * @param dir the directory
     * @throws IOException when it cannot be listed or written
     */
    public static void writeConfig(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            for (Path f : files.toList()) {
                String file = f.getFileName().toString();
                if (file.endsWith(VECTORS) && java.nio.file.Files.isRegularFile(
                        dir.resolve(file.substring(0, file.length() - VECTORS.length()) + METADATA))) {
                    names.add(file.substring(0, file.length() - VECTORS.length()));
                }
            }
        }
        java.util.Collections.sort(names);
        StringBuilder sb = new StringBuilder();
        for (String name : names) {
            sb.append("embeddings {\n")
                    .append("  tensor_name: \"").append(pbtxt(name)).append("\"\n")
                    .append("  tensor_path: \"").append(pbtxt(name + VECTORS)).append("\"\n")
                    .append("  metadata_path: \"").append(pbtxt(name + METADATA)).append("\"\n")
                    .append("}\n");
        }
        AtomicFiles.write(dir.resolve(CONFIG), out -> out.write(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static final String VECTORS = "_vectors.tsv";
    private static final String METADATA = "_metadata.tsv";

    /** A text-format protobuf string's body: backslash and double quote escaped. */
    private static String pbtxt(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Checks what the Projector needs of the vectors; see the class comment for why. */
    static void checkVectors(float[][] vectors) {
        int cols = Npy.width(vectors);
        if (vectors.length > 0 && cols < 2) {
            throw new IllegalArgumentException("the Embedding Projector needs vectors of at least 2 dimensions, found " + cols);
        }
        for (int i = 0; i < vectors.length; i++) {
            float[] row = vectors[i];
            for (int j = 0; j < row.length; j++) {
                if (!Float.isFinite(row[j])) {
                    throw new IllegalArgumentException("vector " + i + " has " + row[j] + " at position " + j
                            + "; the Embedding Projector reads only finite values");
                }
            }
        }
    }

    /** Checks that the metadata is one row of one value per column for each of {@code rows} vectors. */
    static void checkMetadata(int rows, List<String> columns, List<List<String>> metadataRows) {
        Objects.requireNonNull(columns, "metadataColumns");
        Objects.requireNonNull(metadataRows, "metadataRows");
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("metadataColumns must name at least one column");
        }
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < columns.size(); c++) {
            String name = columns.get(c);
            if (name == null) {
                throw new IllegalArgumentException("metadata column " + c + " has no name (null)");
            }
            if (columns.size() > 1 && isProjectorBlank(name)) {
                // A header of blank names would be skipped as a blank line, and the first
                // data row taken as the header.
                throw new IllegalArgumentException("metadata column " + c + " has a blank name");
            }
            if (!seen.add(clean(name))) {
                throw new IllegalArgumentException("metadata column name \"" + name
                        + "\" appears twice; the Projector would keep only one of them");
            }
        }
        if (metadataRows.size() != rows) {
            throw new IllegalArgumentException("metadata has " + metadataRows.size() + " rows but there are "
                    + rows + " vectors; the Projector pairs them line by line");
        }
        for (int i = 0; i < metadataRows.size(); i++) {
            List<String> row = metadataRows.get(i);
            if (row == null || row.size() != columns.size()) {
                throw new IllegalArgumentException("metadata row " + i + " has "
                        + (row == null ? "no values (null)" : row.size() + " values")
                        + ", expected " + columns.size() + " (one per column " + columns + ")");
            }
            for (int c = 0; c < row.size(); c++) {
                if (row.get(c) == null) {
                    throw new IllegalArgumentException("metadata row " + i + " has null in column \""
                            + columns.get(c) + "\"");
                }
            }
        }
    }

    /** The values, cleaned, tab-separated and ending in a newline. */
    private static String line(List<String> values) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < values.size(); c++) {
            if (c > 0) {
                line.append('\t');
            }
            line.append(clean(values.get(c)));
        }
        return line.append('\n').toString();
    }

    /** Replaces each run of tabs, carriage returns and line feeds by one space. */
    static String clean(String value) {
        StringBuilder s = null;
        boolean inRun = false;
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            boolean separator = ch == '\t' || ch == '\n' || ch == '\r';
            if (separator && s == null) {
                s = new StringBuilder(value.length()).append(value, 0, i);
            }
            if (s != null) {
                if (!separator) {
                    s.append(ch);
                } else if (!inRun) {
                    s.append(' ');
                }
            }
            inRun = separator;
        }
        return s == null ? value : s.toString();
    }

    /**
     * Whether JavaScript's {@code String.trim()}, which the Projector applies before skipping a
     * line, would leave nothing; it strips more than Java's {@code isBlank}, e.g. U+00A0 and U+FEFF.
     */
    private static boolean isProjectorBlank(String line) {
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (!(Character.isWhitespace(ch) || Character.isSpaceChar(ch) || ch == '\uFEFF')) {
                return false;
            }
        }
        return true;
    }
}
