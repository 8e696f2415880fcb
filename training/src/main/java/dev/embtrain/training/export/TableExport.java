package dev.embtrain.training.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Writes one trained embedding table (N rows × D) in each requested export format, so the
 * table can be studied without Java: {@code npy} for NumPy, {@code tsv} for the TensorBoard
 * Embedding Projector.
 *
 * <p>Files, for table {@code item}: {@code item.npy} (shape (N, D)), and
 * {@code item_vectors.tsv} with {@code item_metadata.tsv} (one label per line, no header; see
 * {@link ProjectorTsv}), and {@code item_word2vec.txt} keyed by label ({@link Word2VecText}).
 *
 * <p>A table one value wide (a bias vector) is written as {@code item_bias.npy} of shape (N,)
 * and {@code item_bias.tsv}, a two-column table {@code label, value} with a header: the
 * Projector cannot show 1-D vectors, and a sortable list of labels with their bias is what
 * people read such a table for (fastai's "movies with the lowest and highest bias"); word2vec's
 * format holds no 1-D table, so none is written for it.
 */
public final class TableExport {

    /** NumPy {@code .npy}, written by {@link Npy}. */
    public static final String NPY = "npy";
    /** Embedding Projector TSV pair, written by {@link ProjectorTsv}. */
    public static final String TSV = "tsv";
    /** The word2vec text format gensim and fastText read, written by {@link Word2VecText}. */
    public static final String WORD2VEC = "word2vec";
    /** Every format, in the order their files are written and returned. */
    public static final List<String> FORMATS = List.of(NPY, TSV, WORD2VEC);

    /** The one metadata column; the Projector calls an unnamed single column "label" too. */
    private static final List<String> LABEL_COLUMN = List.of("label");

    private TableExport() {}

    /**
     * Writes {@code vectors} and their {@code labels} into {@code dir} (created if missing) in
     * every format of {@code formats} and returns the files written, in the order
     * {@code <table>.npy}, {@code <table>_vectors.tsv}, {@code <table>_metadata.tsv}, leaving
     * out formats not requested. Everything is checked before the first file is written, so a
     * bad table leaves no partial export behind.
     *
     * @throws IllegalArgumentException if a format is unknown, {@code formats} is empty, the
     *     table name is not a plain file name, the labels do not match the rows, or the table
     *     does not suit a requested format
     */
    public static List<Path> write(Path dir, String tableName, float[][] vectors, List<String> labels,
                                   Set<String> formats) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(formats, "formats");
        checkTableName(tableName);
        for (String format : formats) {
            if (format == null || !FORMATS.contains(format)) {
                throw new IllegalArgumentException("unknown export format \"" + format
                        + "\"; expected one of " + FORMATS);
            }
        }
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("formats must name at least one of " + FORMATS);
        }
        int width = Npy.width(vectors);
        if (labels.size() != vectors.length) {
            throw new IllegalArgumentException("table " + tableName + " has " + vectors.length
                    + " vectors but " + labels.size() + " labels");
        }
        if (width == 1) {
            return writeVector(dir, tableName, vectors, labels, formats);
        }
        List<List<String>> metadataRows = new ArrayList<>(labels.size());
        if (formats.contains(TSV)) {
            for (String label : labels) {
                metadataRows.add(Collections.singletonList(label)); // allows null, which the check names
            }
            ProjectorTsv.checkVectors(vectors);
            ProjectorTsv.checkMetadata(vectors.length, LABEL_COLUMN, metadataRows);
        }

        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>(3);
        if (formats.contains(NPY)) {
            Path npy = dir.resolve(tableName + ".npy");
            Npy.writeFloat32(npy, vectors);
            written.add(npy);
        }
        if (formats.contains(TSV)) {
            Path vectorsTsv = dir.resolve(tableName + "_vectors.tsv");
            Path metadataTsv = dir.resolve(tableName + "_metadata.tsv");
            ProjectorTsv.write(vectorsTsv, metadataTsv, vectors, LABEL_COLUMN, metadataRows);
            written.add(vectorsTsv);
            written.add(metadataTsv);
        }
        if (formats.contains(WORD2VEC)) {
            Path text = dir.resolve(tableName + "_word2vec.txt");
            Word2VecText.write(text, vectors, labels);
            written.add(text);
        }
        return List.copyOf(written);
    }

    private static List<Path> writeVector(Path dir, String tableName, float[][] column, List<String> labels,
                                          Set<String> formats) throws IOException {
        float[] values = new float[column.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = column[i][0];
        }
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>(2);
        if (formats.contains(NPY)) {
            Path npy = dir.resolve(tableName + ".npy");
            Npy.writeFloat32(npy, values);
            written.add(npy);
        }
        if (formats.contains(TSV)) {
            Path tsv = dir.resolve(tableName + ".tsv");
            AtomicFiles.write(tsv, out -> {
                StringBuilder sb = new StringBuilder("label\tvalue\n");
                for (int i = 0; i < values.length; i++) {
                    sb.append(ProjectorTsv.clean(labels.get(i))).append('\t').append(values[i]).append('\n');
                }
                out.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            });
            written.add(tsv);
        }
        return List.copyOf(written);
    }

    /** A table name becomes part of file names, so it must not be able to leave {@code dir}. */
    private static void checkTableName(String tableName) {
        Objects.requireNonNull(tableName, "tableName");
        if (tableName.isEmpty() || tableName.equals(".") || tableName.equals("..")
                || tableName.indexOf('/') >= 0 || tableName.indexOf('\\') >= 0 || tableName.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("table name must be a plain file name, found \"" + tableName + "\"");
        }
    }
}
