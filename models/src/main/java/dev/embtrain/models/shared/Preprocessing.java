package dev.embtrain.models.shared;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What happens to a raw vector before the classifier sees it, fitted on the training split
 * only and saved with the run so that {@code embtrain score} applies exactly the same: keep
 * the selected columns (SelectKBest, or all), then {@code (x − mean) / std} per kept column
 * when standardising (mean 0 and std 1 otherwise). The arithmetic is float, in one method
 * ({@link #apply}), so training and scoring cannot drift apart.
 *
 * @param rawWidth the width of the vectors in the embeddings file
 * @param columns the kept columns, ascending
 * @param mean per kept column
 * @param std per kept column (1 where the training column is constant)
 */
public record Preprocessing(int rawWidth, int[] columns, float[] mean, float[] std) {

    /** The file inside a run directory. */
    public static final String FILE = "preprocessing.tsv";

    /**
     * Returns the width the model sees.
     *
     * @return the number of kept columns
     */
    public int width() {
        return columns.length;
    }

    /**
     * Writes one preprocessed vector.
     *
     * @param row a raw vector of {@link #rawWidth()}
     * @param out where to write
     * @param offset where in {@code out} the {@link #width()} values go
     */
    public void apply(float[] row, float[] out, int offset) {
        if (row.length != rawWidth) {
            throw new IllegalArgumentException("expected a vector of width " + rawWidth + ", found " + row.length);
        }
        for (int j = 0; j < columns.length; j++) {
            out[offset + j] = (row[columns[j]] - mean[j]) / std[j];
        }
    }

    /**
     * Preprocesses some rows into one row-major array.
     *
     * @param x the vectors
     * @param rows which rows, in order
     * @return {@code rows.length * width()} values
     */
    public float[] apply(float[][] x, int[] rows) {
        float[] out = new float[rows.length * columns.length];
        for (int i = 0; i < rows.length; i++) {
            apply(x[rows[i]], out, i * columns.length);
        }
        return out;
    }

    /**
     * Saves as TSV: a comment with the raw width, then {@code column, mean, std} per kept column.
     *
     * @param file the file
     * @throws IOException when it cannot be written
     */
    public void save(Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("# raw_width\t" + rawWidth + "\n");
            w.write("column\tmean\tstd\n");
            for (int j = 0; j < columns.length; j++) {
                // Float.toString round-trips exactly through Float.parseFloat.
                w.write(columns[j] + "\t" + mean[j] + "\t" + std[j] + "\n");
            }
        }
    }

    /**
     * Reads what {@link #save} wrote.
     *
     * @param file the file
     * @return the preprocessing
     * @throws IOException when it cannot be read or is malformed
     */
    public static Preprocessing load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(0).startsWith("# raw_width\t") || !lines.get(1).equals("column\tmean\tstd")) {
            throw new IOException(file + ": not a preprocessing file written by embtrain");
        }
        int raw = Integer.parseInt(lines.get(0).substring("# raw_width\t".length()));
        int n = lines.size() - 2;
        int[] columns = new int[n];
        float[] mean = new float[n];
        float[] std = new float[n];
        for (int j = 0; j < n; j++) {
            String[] f = lines.get(j + 2).split("\t");
            columns[j] = Integer.parseInt(f[0]);
            mean[j] = Float.parseFloat(f[1]);
            std[j] = Float.parseFloat(f[2]);
        }
        return new Preprocessing(raw, columns, mean, std);
    }
}
