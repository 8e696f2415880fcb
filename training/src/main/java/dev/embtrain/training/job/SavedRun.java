package dev.embtrain.training.job;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import dev.embtrain.datasets.Vocabulary;
import dev.embtrain.models.EmbeddingTable;
import dev.embtrain.models.HasEmbeddingTables;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.export.Neighbors;
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
        for (String field : RatingsData.FIELDS) {
            Vocabulary v = Vocabulary.load(dir.resolve(RunFiles.vocabulary(field)));
            vocabularies.put(field, v);
            sizes.put(field, v.size());
        }
        Block block = ModelFactory.build(config.model(), sizes);
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
