package dev.embtrain.training.job;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import dev.embtrain.datasets.features.FeatureSchema;
import dev.embtrain.datasets.features.FeatureSpec;
import dev.embtrain.datasets.features.Vocabulary;
import dev.embtrain.models.EmbeddingTable;
import dev.embtrain.models.HasEmbeddingTables;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.EmbeddingBagConfig;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.engine.Task;
import dev.embtrain.training.export.Neighbors;
import dev.embtrain.training.metrics.BinaryMetrics;
import dev.embtrain.training.metrics.NextItem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A finished run read back from its directory: the resolved config, the vocabularies and the
 * model with the best epoch's parameters, rebuilt through the same factory that trained it.
 */
public final class SavedRun implements AutoCloseable {

    private final Path dir;
    private final ConfigLoader.Loaded loaded;
    private final Map<String, Vocabulary> vocabularies;
    private final FeatureSchema schema;
    private final Model model;

    private SavedRun(Path dir, ConfigLoader.Loaded loaded, Map<String, Vocabulary> vocabularies, FeatureSchema schema,
            Model model) {
        this.dir = dir;
        this.loaded = loaded;
        this.vocabularies = vocabularies;
        this.schema = schema;
        this.model = model;
    }

    /**
     * The validation metrics of a saved model.
     *
     * @param task regression or binary
     * @param metrics the task's metrics by name
     * @param rows validation rows scored
     */
    public record Evaluation(Task task, Map<String, Double> metrics, int rows) {}

    /**
     * Opens a run directory.
     *
     * @param dir the run directory
     * @return the run; close it to free the model
     * @throws IOException when a file is missing or unreadable
     */
    public static SavedRun open(Path dir) throws IOException {
        return open(dir, List.of());
    }

    /**
     * Opens a run directory, overriding keys of its saved config (say, where its data lives on
     * this machine).
     *
     * @param dir the run directory
     * @param overrides {@code dotted.path=value} strings, as {@code --set} takes them
     * @return the run; close it to free the model
     * @throws IOException when a file is missing or unreadable
     */
    public static SavedRun open(Path dir, List<String> overrides) throws IOException {
        Path configFile = dir.resolve(RunFiles.CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new NoSuchFileException(configFile.toString(), null,
                    Files.isDirectory(dir) ? "not a run directory (no " + RunFiles.CONFIG + ")" : "no such run directory");
        }
        ConfigLoader.Loaded loaded = ConfigLoader.load(configFile, overrides);
        RunConfig config = loaded.config();
        // An item2vec run has one vocabulary and no feature schema.
        boolean item2vec = Item2VecJob.handles(config);
        FeatureSchema schema = item2vec ? null : schema(dir, loaded);
        Map<String, Vocabulary> vocabularies = new LinkedHashMap<>();
        Block block;
        if (item2vec) {
            Vocabulary items = Vocabulary.load(dir.resolve(RunFiles.vocabulary("item")));
            vocabularies.put("item", items);
            block = Item2VecJob.block((EmbeddingBagConfig) config.model(), items.size());
        } else {
            for (String field : schema.spec().fields()) {
                vocabularies.put(field, schema.vocabulary(field));
            }
            block = ModelFactory.build(config.model(), schema);
        }
        Model model = Model.newInstance(RunFiles.MODEL_NAME);
        model.setBlock(block);
        try {
            model.load(dir.resolve(RunFiles.MODEL_DIR), RunFiles.MODEL_NAME);
        } catch (MalformedModelException | IOException e) {
            model.close();
            throw new IOException(dir.resolve(RunFiles.MODEL_DIR) + ": cannot load the parameters: " + e.getMessage(), e);
        }
        return new SavedRun(dir, loaded, vocabularies, schema, model);
    }

    /**
     * Rebuilds the feature schema a run was trained with from its config, its vocabularies and
     * {@link RunFiles#SCHEMA} (a run without that file used user and item alone).
     *
     * @param dir the run (or serving) directory
     * @param loaded its config
     * @return the schema
     * @throws IOException when a vocabulary cannot be read
     */
    static FeatureSchema schema(Path dir, ConfigLoader.Loaded loaded) throws IOException {
        FeatureSpec spec = RatingsData.spec(loaded);
        List<String> bags = new java.util.ArrayList<>();
        Map<String, Integer> slots = new LinkedHashMap<>();
        for (FeatureSchema.Column c : RunFiles.readSchema(dir)) {
            if (c.kind() == FeatureSchema.Kind.BAG) {
                bags.add(c.name());
            } else if (c.kind() == FeatureSchema.Kind.BAG_CROSS) {
                slots.put(c.name(), c.width());
            }
        }
        Map<String, Vocabulary> vocabularies = new LinkedHashMap<>();
        for (String field : spec.fields()) {
            vocabularies.put(field, Vocabulary.load(dir.resolve(RunFiles.vocabulary(field))));
        }
        return FeatureSchema.restore(spec, vocabularies, bags, slots);
    }

    /**
     * Returns the run's config.
     *
     * @return the config
     */
    public RunConfig config() {
        return loaded.config();
    }

    /**
     * Re-reads the run's dataset, splits it as in training, and scores the validation rows with
     * the saved model; the vocabularies rebuilt from the data must equal the saved ones.
     *
     * @return the task's validation metrics
     * @throws IOException when the data cannot be read
     * @throws IllegalStateException when the data no longer gives the vocabularies the model knows
     */
    public Evaluation evaluate() throws IOException {
        if (isItem2Vec()) {
            throw new IllegalStateException("this is an item2vec run: it predicts no ratings (use evaluateNextItem)");
        }
        RatingsData data = RatingsData.load(loaded);
        for (Map.Entry<String, Vocabulary> v : vocabularies.entrySet()) {
            if (!data.schema().vocabulary(v.getKey()).equals(v.getValue())) {
                throw new IllegalStateException("the data at " + loaded.locations().getOrDefault("dataset.path", "")
                        + " gives another " + v.getKey() + " vocabulary than the run was trained with; it changed"
                        + " since training");
            }
        }
        FeatureSchema.Encoded valid = data.valid();
        float[] predictions = predict(valid.ids(), valid.dense(), valid.rows());
        Task task = ModelFactory.task(config().model());
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (task == Task.REGRESSION) {
            double sse = 0;
            double sae = 0;
            for (int i = 0; i < predictions.length; i++) {
                double d = predictions[i] - valid.labels()[i];
                sse += d * d;
                sae += Math.abs(d);
            }
            metrics.put("valid_mse", sse / predictions.length);
            metrics.put("valid_rmse", Math.sqrt(sse / predictions.length));
            metrics.put("valid_mae", sae / predictions.length);
        } else {
            double[] logits = new double[predictions.length];
            double[] p = new double[predictions.length];
            int[] y = new int[predictions.length];
            for (int i = 0; i < predictions.length; i++) {
                logits[i] = predictions[i];
                p[i] = BinaryMetrics.sigmoid(predictions[i]);
                y[i] = valid.labels()[i] >= 0.5f ? 1 : 0;
            }
            metrics.put("valid_auc", BinaryMetrics.auc(logits, y));
            metrics.put("valid_log_loss", BinaryMetrics.logLossFromLogits(logits, y));
            metrics.put("valid_accuracy", BinaryMetrics.accuracy(p, y, 0.5));
        }
        return new Evaluation(task, metrics, predictions.length);
    }

    /**
     * Returns the feature schema the run was trained with.
     *
     * @return the schema
     */
    public FeatureSchema schema() {
        return schema;
    }

    /**
     * Returns whether this is an item2vec run ({@code model.type: embedding-bag}).
     *
     * @return whether it is
     */
    public boolean isItem2Vec() {
        return Item2VecJob.handles(loaded.config());
    }

    /**
     * Next-item scores of a saved item2vec run.
     *
     * @param valid validation Recall@10 and MRR@10
     * @param test test Recall@10 and MRR@10
     * @param validPairs validation pairs
     * @param testPairs test pairs
     */
    public record NextItemEvaluation(NextItem.Scores valid, NextItem.Scores test, int validPairs, int testPairs) {}

    /**
     * Re-reads an item2vec run's sessions, draws the validation and test pairs as in training,
     * checks that the data still gives the saved vocabulary, and scores both sets with the saved
     * item table (the best epoch's): the validation numbers are the best epoch's row of
     * {@code metrics.csv} again.
     *
     * @return the scores
     * @throws IOException when the data cannot be read
     * @throws IllegalStateException when this is not an item2vec run, or the data changed
     */
    public NextItemEvaluation evaluateNextItem() throws IOException {
        if (!isItem2Vec()) {
            throw new IllegalStateException("this run predicts ratings; next-item scores need an item2vec run");
        }
        SessionsData data = SessionsData.load(loaded);
        if (!data.vocabulary().equals(vocabularies.get("item"))) {
            throw new IllegalStateException("the data at " + loaded.locations().getOrDefault("dataset.path", "")
                    + " gives another item vocabulary than the run was trained with; it changed since training");
        }
        float[][] items = table("item");
        return new NextItemEvaluation(
                NextItem.embedding(items, data.valid().queries(), data.valid().targets()),
                NextItem.embedding(items, data.test().queries(), data.test().targets()),
                data.valid().size(), data.test().size());
    }

    /**
     * Finds a table's row by its label (a title, a description; exact, else ignoring case) or,
     * failing that, by its vocabulary id (a user id, a StockCode).
     *
     * @param name the table
     * @param query the label or id
     * @return the row index
     * @throws IOException when the labels cannot be read
     * @throws IllegalArgumentException naming close labels when nothing matches
     */
    public int findRow(String name, String query) throws IOException {
        List<String> labels = labels(name);
        try {
            return Neighbors.findLabel(labels, query, name);
        } catch (IllegalArgumentException e) {
            int byId = vocabularies.get(find(name).vocabulary()).index(query);
            if (byId > 0) {
                return byId;
            }
            throw e;
        }
    }

    /**
     * Returns the names of the model's tables.
     *
     * @return the names
     */
    public List<String> tableNames() {
        return tables().stream().map(EmbeddingTable::name).toList();
    }

    /**
     * Returns a table's rows.
     *
     * @param name the table
     * @return its rows, indexed like its vocabulary
     * @throws IllegalArgumentException naming the tables there are
     */
    public float[][] table(String name) {
        return Tables.toMatrix(find(name).parameter().getArray());
    }

    /**
     * Returns a human label per row of a table (titles for items).
     *
     * @param name the table
     * @return the labels
     * @throws IOException when the labels file cannot be read
     */
    public List<String> labels(String name) throws IOException {
        String field = find(name).vocabulary();
        Path labels = dir.resolve(RunFiles.labels(field));
        if (Files.isRegularFile(labels)) {
            return Files.readAllLines(labels, StandardCharsets.UTF_8);
        }
        if (schema == null) {
            return vocabularies.get(field).tokens();
        }
        FeatureSchema.Column c = schema.column(field);
        if (c.kind() == FeatureSchema.Kind.CROSS || c.kind() == FeatureSchema.Kind.BAG_CROSS) {
            return RunFiles.bucketLabels(c.size());
        }
        return schema.vocabulary(field).tokens();
    }

    /**
     * Returns the tables a search across tables can use: those with more than one column
     * (cosine between one-number rows is only their sign), labelled as {@link #labels} labels
     * them; a table indexed by a vocabulary has its unknown row 0 excluded.
     *
     * @return the tables, in the model's order
     * @throws IOException when a labels file cannot be read
     */
    public List<Neighbors.Table> searchTables() throws IOException {
        List<Neighbors.Table> result = new ArrayList<>();
        for (EmbeddingTable t : tables()) {
            float[][] vectors = table(t.name());
            if (vectors.length == 0 || vectors[0].length < 2) {
                continue;
            }
            Set<Integer> exclude = vocabularies.containsKey(t.vocabulary()) ? Set.of(0) : Set.of();
            result.add(new Neighbors.Table(t.name(), vectors, labels(t.name()), exclude));
        }
        return result;
    }

    private EmbeddingTable find(String name) {
        return tables().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "no table \"" + name + "\" in this run; its tables are " + tableNames()));
    }

    private List<EmbeddingTable> tables() {
        if (model.getBlock() instanceof HasEmbeddingTables t) {
            return t.embeddingTables();
        }
        return List.of();
    }

    /**
     * Predicts in process, the way the trained model is evaluated: ratings, or logits for a
     * binary model. A model with side features reads them from the run's {@code features/}
     * tables, as its DJL Serving translator does.
     *
     * @param users user ids
     * @param items item keys, one per user id
     * @return the predictions
     * @throws IllegalArgumentException for an id the model was not trained on
     */
    public float[] predict(List<String> users, List<String> items) {
        Path features = dir.resolve(RunFiles.FEATURES_DIR);
        if (Files.isDirectory(features)) {
            for (int i = 0; i < users.size(); i++) {
                known("user", users.get(i));
                known("item", items.get(i));
            }
            // The same tables and the same encoder a served request goes through.
            FeatureSchema.Encoded e;
            try {
                e = schema.encode(dev.embtrain.datasets.movielens.SideTables.read(features).pairs(users, items),
                        java.util.stream.IntStream.range(0, users.size()).toArray());
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
            return predict(e.ids(), e.dense(), users.size());
        }
        if (schema.idWidth() != 2 || schema.denseWidth() != 0) {
            throw new IllegalArgumentException("this run's model takes side features, but it has no "
                    + RunFiles.FEATURES_DIR + "/ tables");
        }
        long[] ids = new long[users.size() * 2];
        for (int i = 0; i < users.size(); i++) {
            ids[2 * i] = known("user", users.get(i));
            ids[2 * i + 1] = known("item", items.get(i));
        }
        return predict(ids, new float[0], users.size());
    }

    /**
     * Predicts encoded rows in process.
     *
     * @param ids row-major ids {@code [rows, F]} in the schema's layout
     * @param dense row-major dense values {@code [rows, G]}
     * @param rows the number of rows
     * @return ratings, or logits for a binary model
     */
    public float[] predictRows(long[] ids, float[] dense, int rows) {
        return predict(ids, dense, rows);
    }

    private float[] predict(long[] ids, float[] dense, int rows) {
        try (ai.djl.ndarray.NDManager manager = model.getNDManager().newSubManager()) {
            ai.djl.ndarray.NDList input = new ai.djl.ndarray.NDList(
                    manager.create(ids, new ai.djl.ndarray.types.Shape(rows, schema.idWidth())));
            if (schema.denseWidth() > 0) {
                input.add(manager.create(dense, new ai.djl.ndarray.types.Shape(rows, schema.denseWidth())));
            }
            return model.getBlock().forward(new ai.djl.training.ParameterStore(manager, false), input, false)
                    .head().toFloatArray();
        }
    }

    private int known(String field, String id) {
        int index = vocabularies.get(field).index(id);
        if (index == 0) {
            throw new IllegalArgumentException("unknown " + field + " \"" + id + "\"");
        }
        return index;
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        model.close();
    }
}
