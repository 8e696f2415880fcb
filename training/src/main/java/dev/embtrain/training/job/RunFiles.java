package dev.embtrain.training.job;

/** Names of the files in a run directory, in one place for the writer and the readers. */
public final class RunFiles {
    /** The resolved config, with a {@code resolved:} section of data-derived sizes and versions. */
    public static final String CONFIG = "config.yaml";
    /** One row per epoch. */
    public static final String METRICS = "metrics.csv";
    /** The best epoch's parameters, {@code model/model-NNNN.params}. */
    public static final String MODEL_DIR = "model";
    /** The name parameters are saved under. */
    public static final String MODEL_NAME = "model";
    /** Vocabularies: {@code vocab/<field>.txt}, one token per line in index order. */
    public static final String VOCAB_DIR = "vocab";
    /** Exported tables. */
    public static final String EMBEDDINGS_DIR = "embeddings";

    private RunFiles() {}

    /**
     * Returns the vocabulary file of a field.
     *
     * @param field the field
     * @return the path inside the run directory
     */
    public static String vocabulary(String field) {
        return VOCAB_DIR + "/" + field + ".txt";
    }

    /**
     * Returns the labels file of a field (human labels, one per vocabulary index).
     *
     * @param field the field
     * @return the path inside the run directory
     */
    public static String labels(String field) {
        return VOCAB_DIR + "/" + field + ".labels.txt";
    }
}
