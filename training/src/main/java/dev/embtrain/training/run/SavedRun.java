package dev.embtrain.training.run;

import dev.embtrain.training.kinds.RunKind;
import dev.embtrain.training.kinds.RunKinds;
import dev.embtrain.training.kinds.Prepared;
import dev.embtrain.training.export.Tables;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import dev.embtrain.datasets.features.FeatureSchema;
import dev.embtrain.datasets.features.Vocabulary;
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
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A finished run of any kind read back from its directory: the resolved config, the kind of
 * run ({@code resolved.kind}), the vocabularies and, for kinds whose tables live in the model
 * (ratings, sessions), the model with the best epoch's parameters, rebuilt through the same
 * factory that trained it. The one reader that every command uses.
 */
public final class SavedRun implements AutoCloseable {

    private final Path dir;
    private final ConfigLoader.Loaded loaded;
    private final RunKind kind;
    private final Map<String, Vocabulary> vocabularies;
    private final FeatureSchema schema;
    private final Model model;
    private final List<String> overrides;

    private SavedRun(Path dir, ConfigLoader.Loaded loaded, RunKind kind, Map<String, Vocabulary> vocabularies,
            FeatureSchema schema, Model model, List<String> overrides) {
        this.dir = dir;
        this.loaded = loaded;
        this.kind = kind;
        this.vocabularies = vocabularies;
        this.schema = schema;
        this.model = model;
        this.overrides = List.copyOf(overrides);
    }

    /**
     * The validation metrics of a saved model, computed by the objective that trained it.
     *
     * @param metrics the kind's validation metrics by name
     * @param more the kind's further lines (test scores)
     */
    public record Evaluation(Map<String, Double> metrics, List<String> more) {}

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
        RunKind kind = RunKinds.saved(loaded, Provenance.resolved(dir));
        RunConfig config = trainedConfig(dir, loaded, overrides).config();
        RunKind.Opened opened = kind.open(dir, loaded, config);
        Map<String, Vocabulary> vocabularies = opened.vocabularies();
        FeatureSchema schema = opened.schema();
        Block block = opened.block();
        Model model = null;
        if (block != null) {
            model = Model.newInstance(RunFiles.MODEL_NAME);
            model.setBlock(block);
            try {
                model.load(dir.resolve(RunFiles.MODEL_DIR), RunFiles.MODEL_NAME);
            } catch (MalformedModelException | IOException e) {
                model.close();
                throw new IOException(dir.resolve(RunFiles.MODEL_DIR) + ": cannot load the parameters: " + e.getMessage(),
                        e);
            }
        }
        return new SavedRun(dir, loaded, kind, vocabularies, schema, model, overrides);
    }

    /** The config the kept model was trained with: a search's best trial's ({@link RunFiles#BEST}), else the run's. */
    private static ConfigLoader.Loaded trainedConfig(Path dir, ConfigLoader.Loaded loaded, List<String> overrides) {
        Path best = dir.resolve(RunFiles.BEST);
        return Files.isRegularFile(best) ? ConfigLoader.load(best, overrides) : loaded;
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
     * Returns the kind of run.
     *
     * @return the kind
     */
    public RunKind kind() {
        return kind;
    }

    /**
     * Returns the run directory.
     *
     * @return the directory
     */
    public Path dir() {
        return dir;
    }

    /**
     * Returns the vocabularies the run's model was trained with, by field.
     *
     * @return the vocabularies (empty for kinds whose model is not rebuilt)
     */
    public Map<String, Vocabulary> vocabularies() {
        return vocabularies;
    }

    /**
     * Re-reads the run's dataset, prepares it as in training, checks that it still gives what
     * the model was trained with, and scores the validation rows with the saved parameters
     * through the objective that trained them: the numbers are the best epoch's row of
     * {@code metrics.csv} again (the refit's in-sample rows, for a refit run).
     *
     * @return the validation metrics and the kind's further lines
     * @throws IOException when the data cannot be read
     * @throws IllegalStateException when the data no longer gives what the model knows
     */
    public Evaluation evaluate() throws IOException {
        ConfigLoader.Loaded trained = trainedConfig(dir, loaded, overrides);
        Prepared prepared = kind.prepare(trained, line -> { });
        prepared.checkSaved(this);
        RunConfig config = trained.config();
        try (Model m = Model.newInstance(RunFiles.MODEL_NAME)) {
            Engine.getInstance().setRandomSeed((int) config.seed());
            Prepared.Trainable t = prepared.build(config, m, prepared.refits(config));
            try {
                try {
                    m.load(dir.resolve(RunFiles.MODEL_DIR), RunFiles.MODEL_NAME);
                } catch (MalformedModelException e) {
                    throw new IOException(dir.resolve(RunFiles.MODEL_DIR) + ": cannot load the parameters: "
                            + e.getMessage(), e);
                }
                // No initialize(): the trainer only scores with the loaded parameters.
                try (Trainer trainer = m.newTrainer(new DefaultTrainingConfig(t.objective().loss()))) {
                    return new Evaluation(t.objective().validate(trainer), prepared.evaluateMore(m, t));
                }
            } finally {
                t.objective().close();
            }
        }
    }

    /**
     * Returns the config the kept model was trained with ({@code best.yaml} after a search).
     *
     * @return the config, with this run's overrides
     */
    public ConfigLoader.Loaded trainedConfig() {
        return trainedConfig(dir, loaded, overrides);
    }

    /**
     * Returns the trained model's block.
     *
     * @return the block with the best epoch's parameters, null for kinds without one
     */
    public ai.djl.nn.Block block() {
        return model == null ? null : model.getBlock();
    }

    /**
     * Returns the manager of the run's model, for arrays that live as long as the run is open.
     *
     * @return the manager
     * @throws IllegalStateException for kinds without a model
     */
    public ai.djl.ndarray.NDManager manager() {
        if (model == null) {
            throw new IllegalStateException(dir + " holds no model");
        }
        return model.getNDManager();
    }

    /**
     * Returns the feature schema the run was trained with.
     *
     * @return the schema, null for kinds without one
     */
    public FeatureSchema schema() {
        return schema;
    }

    /**
     * Returns the tables {@code neighbors} searches, as the kind reads them.
     *
     * @return the tables, in the model's order
     * @throws IOException when a file cannot be read
     */
    public List<Neighbors.Table> tables() throws IOException {
        return kind.tables(this);
    }

    /**
     * Returns the model's embedding tables, each labelled as {@link #labels} labels it; a table
     * indexed by a vocabulary has its unknown row 0 excluded.
     *
     * @return the tables, in the model's order
     * @throws IOException when a labels file cannot be read
     */
    public List<Neighbors.Table> modelTables() throws IOException {
        List<Neighbors.Table> result = new ArrayList<>();
        for (EmbeddingTable t : embeddingTables()) {
            float[][] vectors = Tables.toMatrix(t.parameter().getArray());
            Set<Integer> exclude = vocabularies.containsKey(t.vocabulary()) ? Set.of(0) : Set.of();
            result.add(new Neighbors.Table(t.name(), vectors, labels(t), exclude));
        }
        return result;
    }

    /**
     * Finds a table's row by its label (a title, a description; exact, else ignoring case) or,
     * failing that, by its vocabulary id (a user id, a StockCode).
     *
     * @param table the table
     * @param query the label or id
     * @return the row index
     * @throws IllegalArgumentException naming close labels when nothing matches
     */
    public int findRow(Neighbors.Table table, String query) {
        try {
            return Neighbors.findLabel(table.labels(), query, table.name());
        } catch (IllegalArgumentException e) {
            EmbeddingTable t = embeddingTables().stream().filter(x -> x.name().equals(table.name())).findFirst()
                    .orElse(null);
            Vocabulary v = t == null ? null : vocabularies.get(t.vocabulary());
            int byId = v == null ? 0 : v.index(query);
            if (byId > 0) {
                return byId;
            }
            throw e;
        }
    }

    /**
     * Returns the names of the run's tables.
     *
     * @return the names, in the model's order
     * @throws IOException when a file cannot be read
     */
    public List<String> tableNames() throws IOException {
        return tables().stream().map(Neighbors.Table::name).toList();
    }

    /**
     * Returns a table's rows.
     *
     * @param name the table
     * @return its rows, indexed like its vocabulary
     * @throws IOException when a file cannot be read
     * @throws IllegalArgumentException naming the tables there are
     */
    public float[][] table(String name) throws IOException {
        return find(name).vectors();
    }

    /**
     * Returns a human label per row of a table (titles for items).
     *
     * @param name the table
     * @return the labels
     * @throws IOException when a file cannot be read
     */
    public List<String> labels(String name) throws IOException {
        return find(name).labels();
    }

    private Neighbors.Table find(String name) throws IOException {
        List<Neighbors.Table> all = tables();
        return all.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no table \"" + name + "\" in this run; its tables are "
                        + all.stream().map(Neighbors.Table::name).toList()));
    }

    private List<String> labels(EmbeddingTable t) throws IOException {
        String field = t.vocabulary();
        Path labels = dir.resolve(RunFiles.labels(field));
        if (Files.isRegularFile(labels)) {
            return Files.readAllLines(labels, StandardCharsets.UTF_8);
        }
        if (schema == null) {
            return vocabularies.get(field).tokens();
        }
        return RunFiles.tableLabels(schema, field);
    }

    private List<EmbeddingTable> embeddingTables() {
        if (model != null && model.getBlock() instanceof HasEmbeddingTables t) {
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
        if (model != null) {
            model.close();
        }
    }
}
