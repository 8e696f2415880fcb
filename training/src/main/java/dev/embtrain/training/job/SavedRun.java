package dev.embtrain.training.job;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import dev.embtrain.datasets.Vocabulary;
import dev.embtrain.models.EmbeddingTable;
import dev.embtrain.models.HasEmbeddingTables;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.EmbeddingBagConfig;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.export.Neighbors;
import dev.embtrain.training.metrics.NextItem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished run read back from its directory: the resolved config, the vocabularies and the
 * model with the best epoch's parameters, rebuilt through the same factory that trained it.
 */
public final class SavedRun implements AutoCloseable {

    private final Path dir;
    private final ConfigLoader.Loaded loaded;
    private final Map<String, Vocabulary> vocabularies;
    private final Model model;

    private SavedRun(Path dir, ConfigLoader.Loaded loaded, Map<String, Vocabulary> vocabularies, Model model) {
        this.dir = dir;
        this.loaded = loaded;
        this.vocabularies = vocabularies;
        this.model = model;
    }

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
        Map<String, Vocabulary> vocabularies = new LinkedHashMap<>();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        boolean item2vec = Item2VecJob.handles(config);
        for (String field : item2vec ? List.of("item") : RatingsData.FIELDS) {
            Vocabulary v = Vocabulary.load(dir.resolve(RunFiles.vocabulary(field)));
            vocabularies.put(field, v);
            sizes.put(field, v.size());
        }
        Block block = item2vec ? Item2VecJob.block((EmbeddingBagConfig) config.model(), sizes.get("item"))
                : ModelFactory.build(config.model(), sizes);
        Model model = Model.newInstance(RunFiles.MODEL_NAME);
        model.setBlock(block);
        try {
            model.load(dir.resolve(RunFiles.MODEL_DIR), RunFiles.MODEL_NAME);
        } catch (MalformedModelException | IOException e) {
            model.close();
            throw new IOException(dir.resolve(RunFiles.MODEL_DIR) + ": cannot load the parameters: " + e.getMessage(), e);
        }
        return new SavedRun(dir, loaded, vocabularies, model);
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
     * @return {@code {mse, mae, rows}} over the validation split
     * @throws IOException when the data cannot be read
     * @throws IllegalStateException when the data no longer gives the vocabularies the model knows
     */
    public double[] evaluate() throws IOException {
        if (isItem2Vec()) {
            throw new IllegalStateException("this is an item2vec run: it predicts no ratings (use evaluateNextItem)");
        }
        RatingsData data = RatingsData.load(loaded);
        if (!data.users().equals(vocabularies.get("user")) || !data.items().equals(vocabularies.get("item"))) {
            throw new IllegalStateException("the data at " + loaded.locations().getOrDefault("dataset.path", "")
                    + " gives other vocabularies than the run was trained with; it changed since training");
        }
        RatingsData.Encoded valid = data.valid();
        float[] predictions = predict(valid.ids());
        double sse = 0;
        double sae = 0;
        for (int i = 0; i < predictions.length; i++) {
            double d = predictions[i] - valid.labels()[i];
            sse += d * d;
            sae += Math.abs(d);
        }
        return new double[] {sse / predictions.length, sae / predictions.length, predictions.length};
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
        return vocabularies.get(field).tokens();
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
     * Predicts ratings in process, the way the trained model is evaluated.
     *
     * @param users user ids
     * @param items item keys, one per user id
     * @return the predicted ratings
     * @throws IllegalArgumentException for an id the model was not trained on
     */
    public float[] predict(List<String> users, List<String> items) {
        long[] ids = new long[users.size() * 2];
        for (int i = 0; i < users.size(); i++) {
            ids[2 * i] = known("user", users.get(i));
            ids[2 * i + 1] = known("item", items.get(i));
        }
        return predict(ids);
    }

    private float[] predict(long[] ids) {
        int rows = ids.length / RatingsData.FIELDS.size();
        try (ai.djl.ndarray.NDManager manager = model.getNDManager().newSubManager()) {
            ai.djl.ndarray.NDList input = new ai.djl.ndarray.NDList(
                    manager.create(ids, new ai.djl.ndarray.types.Shape(rows, RatingsData.FIELDS.size())));
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
