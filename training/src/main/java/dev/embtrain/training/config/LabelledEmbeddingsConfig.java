package dev.embtrain.training.config;

import java.nio.file.Path;

/**
 * Binary labels joined on {@code rid} to precomputed vectors (issue #5): a labels file
 * ({@code rid}, {@code label} 0/1, optional {@code evkey}) and an embeddings file (CSV,
 * Parquet, or .npy with an ids file).
 *
 * @param labels the labels file
 * @param embeddings the embeddings file
 * @param format how to read the embeddings
 * @param ids the ids file of a .npy file
 * @param column the vector column
 * @param split the stratified split
 * @param selectKBest columns kept by SelectKBest, 0 for all
 * @param standardize whether to standardise columns
 * @param classWeight how the classes weigh in the loss
 * @param threshold the test report's probability threshold
 */
@Doc("Binary labels (rid, label, optional evkey) joined on rid to one precomputed vector per id.")
public record LabelledEmbeddingsConfig(
        @Doc("Labels file, .csv or .parquet, with columns rid, label (0/1) and optionally evkey.") Path labels,
        @Doc("Embeddings file: .csv (rid and a packed or wide vector column), .parquet (rid and a list column) or"
                + " .npy (float32/64 rows × width, ids in the ids file).") Path embeddings,
        @Doc("auto (by extension), csv, parquet or npy.") @Default("auto") Format format,
        @Doc("The ids file of a .npy file: a CSV with a rid column, one row per array row; \"\" otherwise.")
                @Default("\"\"") String ids,
        @Doc("Name of the vector column (CSV and Parquet).") @Default("bottleneck") String column,
        @Doc("Stratified train/validation/test split.") @Default("{}") LabelledSplitConfig split,
        @Doc("Keep the k columns with the largest ANOVA F on the training split (scikit-learn's SelectKBest);"
                + " 0 keeps all.") @Default("0") int selectKBest,
        @Doc("Standardise each column with the training split's mean and standard deviation.") @Default("true")
                boolean standardize,
        @Doc("none, or balanced: a row of class c weighs n / (2 n_c) in the loss (scikit-learn's"
                + " class_weight=\"balanced\").") @Default("none") ClassWeight classWeight,
        @Doc("Probability above which the test report predicts 1 (precision, recall, F1, accuracy).")
                @Default("0.5") double threshold) implements LabelledDataset {

    /** Validates the section. */
    public LabelledEmbeddingsConfig {
        if (labels == null) {
            throw new ConfigValueException("labels", "required key is missing");
        }
        if (embeddings == null) {
            throw new ConfigValueException("embeddings", "required key is missing");
        }
        Check.notBlank("column", column);
        String name = embeddings.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean npy = format == Format.NPY || (format == Format.AUTO && name.endsWith(".npy"));
        if (npy && ids.isBlank()) {
            throw new ConfigValueException("ids", "a .npy embeddings file needs an ids file (a CSV with a rid column,"
                    + " one row per array row)");
        }
        LabelledDataset.check(selectKBest, threshold);
    }

    /** How the embeddings file is read. */
    public enum Format {
        /** By the file's extension. */
        AUTO,
        /** Comma-separated text. */
        CSV,
        /** Apache Parquet with a list column. */
        PARQUET,
        /** NumPy .npy with an ids file. */
        NPY
    }
}
