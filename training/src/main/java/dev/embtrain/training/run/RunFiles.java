package dev.embtrain.training.run;

import java.io.IOException;
import java.nio.file.Path;

/** Names of the files in a run directory, in one place for the writer and the readers. */
public final class RunFiles {

    /** A search's results table, one row per trial. */
    public static final String TRIALS = "trials.csv";
    /** The best trial's config, trainable as it is. */
    public static final String BEST = "best.yaml";
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
    /** Where {@code export.serving: true} writes the DJL Serving directory inside the run. */
    public static final String SERVING_DIR = "serving";
    /** Where {@code export.plots: true} draws, inside the run. */
    public static final String PLOTS_DIR = "plots";

    /** The side features of every known user and item ({@code user.tsv}, {@code item.tsv}), for serving. */
    public static final String FEATURES_DIR = "features";
    /** The feature layout: one line per column group, {@code name kind size start width}, tab-separated. */
    public static final String SCHEMA = VOCAB_DIR + "/schema.tsv";
    /**
     * The items each user rated in training, which {@code recommend} leaves out: line u (from 0)
     * lists user vocabulary index u's item indices, space-separated, ascending.
     */
    public static final String SEEN = VOCAB_DIR + "/seen.txt";

    private RunFiles() {}

    /**
     * Writes a schema's layout to {@link #SCHEMA}, what {@link #readLayout} needs besides the
     * vocabularies to rebuild it.
     *
     * @param dir the run (or serving) directory
     * @param schema the schema
     * @throws java.io.IOException when it cannot be written
     */
    public static void writeSchema(java.nio.file.Path dir, dev.embtrain.datasets.features.FeatureSchema schema)
            throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        for (dev.embtrain.datasets.features.FeatureSchema.Column c : schema.columns()) {
            sb.append(c.name()).append('\t').append(c.kind().name().toLowerCase(java.util.Locale.ROOT)).append('\t')
                    .append(c.size()).append('\t').append(c.start()).append('\t').append(c.width());
            float[] scale = schema.scale(c.name());
            if (scale != null) {
                // A numeric field's standardisation, each column's mean and sd, exactly as floats print.
                for (float v : scale) {
                    sb.append('\t').append(v);
                }
            }
            sb.append('\n');
        }
        java.nio.file.Files.writeString(dir.resolve(SCHEMA), sb.toString(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * What {@link #writeSchema} wrote.
     *
     * @param columns the column groups, empty for a run written before schemas were saved (ids alone)
     * @param scales each numeric field's means and sds, {mean1, sd1, ...}
     */
    public record Layout(java.util.List<dev.embtrain.datasets.features.FeatureSchema.Column> columns,
            java.util.Map<String, float[]> scales) {}

    /**
     * Reads {@link #SCHEMA}: the column groups and the numeric fields' standardisation.
     *
     * @param dir the run directory
     * @return the layout, empty for a run written before schemas were saved (ids alone)
     * @throws java.io.IOException when the file cannot be read
     */
    public static Layout readLayout(java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path file = dir.resolve(SCHEMA);
        java.util.List<dev.embtrain.datasets.features.FeatureSchema.Column> out = new java.util.ArrayList<>();
        java.util.Map<String, float[]> scales = new java.util.LinkedHashMap<>();
        if (!java.nio.file.Files.isRegularFile(file)) {
            return new Layout(out, scales);
        }
        int number = 0;
        for (String line : java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8)) {
            number++;
            String[] f = line.split("\t");
            dev.embtrain.datasets.features.FeatureSchema.Column c;
            try {
                c = new dev.embtrain.datasets.features.FeatureSchema.Column(f[0],
                        dev.embtrain.datasets.features.FeatureSchema.Kind.valueOf(f[1].toUpperCase(java.util.Locale.ROOT)),
                        Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]));
            } catch (RuntimeException e) {
                throw new dev.embtrain.datasets.io.DataFormatException(file, number,
                        "expected name, kind, size, start, width separated by tabs, found \"" + line + "\"");
            }
            out.add(c);
            if (c.kind() == dev.embtrain.datasets.features.FeatureSchema.Kind.NUMERIC) {
                try {
                    float[] scale = new float[2 * c.width()];
                    for (int i = 0; i < scale.length; i++) {
                        scale[i] = Float.parseFloat(f[5 + i]);
                    }
                    scales.put(c.name(), scale);
                } catch (RuntimeException e) {
                    throw new dev.embtrain.datasets.io.DataFormatException(file, number,
                            "expected name, numeric, size, start, width, then a mean and an sd per column, separated"
                                    + " by tabs, found \"" + line + "\"");
                }
            }
        }
        return new Layout(out, scales);
    }

    /**
     * Writes {@link #SEEN}: a line per user index, its training items, space-separated.
     *
     * @param file the file
     * @param seen per user index, its distinct training item indices, sorted
     * @throws java.io.IOException when it cannot be written
     */
    public static void writeSeen(java.nio.file.Path file, int[][] seen) throws java.io.IOException {
        try (java.io.BufferedWriter w = java.nio.file.Files.newBufferedWriter(file,
                java.nio.charset.StandardCharsets.UTF_8)) {
            for (int[] items : seen) {
                boolean first = true;
                for (int i : items) {
                    w.write(first ? Integer.toString(i) : " " + i);
                    first = false;
                }
                w.write('\n');
            }
        }
    }

    /**
     * Reads {@link #SEEN}.
     *
     * @param file the file
     * @param users the user vocabulary's size
     * @return per user index, its training item indices
     * @throws java.io.IOException when it cannot be read
     */
    public static int[][] readSeen(java.nio.file.Path file, int users) throws java.io.IOException {
        int[][] seen;
        try {
            seen = dev.embtrain.models.shared.SeenFile.read(file);
        } catch (IllegalArgumentException e) {
            throw new dev.embtrain.datasets.io.DataFormatException(file, 0, e.getMessage());
        }
        if (seen.length != users) {
            throw new dev.embtrain.datasets.io.DataFormatException(file, 0, "has " + seen.length + " lines, expected"
                    + " one per user, " + users);
        }
        return seen;
    }

    /**
     * Returns the labels of the rows of a table indexed by a schema field: {@code bucket N} for a
     * cross, a numeric field's column names (one row per column, no unknown row), else the
     * field's vocabulary.
     *
     * @param schema the schema
     * @param field the table's field
     * @return a label per row
     */
    public static java.util.List<String> tableLabels(dev.embtrain.datasets.features.FeatureSchema schema,
            String field) {
        dev.embtrain.datasets.features.FeatureSchema.Column c = schema.column(field);
        switch (c.kind()) {
            case CROSS, BAG_CROSS:
                return bucketLabels(c.size());
            case NUMERIC:
                java.util.List<String> tokens = schema.vocabulary(field).tokens();
                return tokens.subList(1, tokens.size());
            default:
                return schema.vocabulary(field).tokens();
        }
    }

    /**
     * Returns the labels of a cross's table rows: {@code <unk>}, then {@code bucket 1} ...
     *
     * @param size rows, buckets + 1
     * @return the labels
     */
    public static java.util.List<String> bucketLabels(int size) {
        java.util.List<String> labels = new java.util.ArrayList<>(size);
        labels.add(dev.embtrain.datasets.features.Vocabulary.UNKNOWN);
        for (int b = 1; b < size; b++) {
            labels.add("bucket " + b);
        }
        return labels;
    }

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

    /**
     * Replaces the parameters in {@code modelDir} with the model's, marked with the epoch: the
     * jobs keep one saved epoch, the best so far.
     *
     * @param model the model
     * @param modelDir the run's model directory
     * @param epoch the epoch the parameters are from
     * @throws IOException when a file cannot be deleted or written
     */
    public static void saveBest(ai.djl.Model model, Path modelDir, int epoch) throws IOException {
        try (java.util.stream.Stream<Path> old = java.nio.file.Files.list(modelDir)) {
            for (Path p : old.toList()) {
                java.nio.file.Files.delete(p);
            }
        }
        model.setProperty("Epoch", Integer.toString(epoch));
        model.save(modelDir, MODEL_NAME);
    }
}
