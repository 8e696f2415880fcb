package dev.embtrain.training.kinds;

import dev.embtrain.training.objectives.Metrics;
import dev.embtrain.training.run.RunFiles;
import dev.embtrain.training.run.SavedRun;
import java.util.ArrayList;
import dev.embtrain.models.serving.RatingTranslator;
import dev.embtrain.models.serving.FeatureTranslator;
import dev.embtrain.models.shared.HashedCross;
import dev.embtrain.models.BlockSpec;
import dev.embtrain.training.export.Tables;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.nn.Block;
import dev.embtrain.datasets.features.FeatureSchema;
import dev.embtrain.datasets.features.Vocabulary;
import dev.embtrain.datasets.movielens.SideTables;
import dev.embtrain.models.EmbeddingTable;
import dev.embtrain.models.HasEmbeddingTables;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.data.Batches;
import dev.embtrain.training.modeltypes.ModelType;
import dev.embtrain.training.modeltypes.ModelTypes;
import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.engine.MseLoss;
import dev.embtrain.training.engine.SigmoidBceLoss;
import dev.embtrain.training.engine.Task;
import dev.embtrain.training.export.Neighbors;
import dev.embtrain.training.export.TableExport;
import dev.embtrain.training.objectives.Supervised;
import dev.embtrain.datasets.features.PairEncoder;
import dev.embtrain.training.config.LabelConfig;
import dev.embtrain.training.config.RankingConfig;
import dev.embtrain.training.config.RatingsDatasetConfig;
import dev.embtrain.training.engine.BprLoss;
import dev.embtrain.training.objectives.ImplicitFeedback;
import dev.embtrain.training.objectives.RankingValidation;
import dev.embtrain.training.objectives.WithRanking;
import dev.embtrain.training.recommend.Rankings;
import dev.embtrain.training.plot.Plots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Ratings: MovieLens or ratings generated in its format, optionally with side features and
 * crosses, predicted by dot-product-bias, deep-collaborative, factorization-machine or
 * wide-and-deep (a rating, or a binary label from it). Vocabularies are frozen on the training
 * split; the run keeps them, the feature layout, the side tables a served request needs, every
 * embedding table and the best epoch's parameters.
 */
final class RatingsKind implements RunKind {

    /** How many items of lowest and of highest bias the PCA map labels. */
    private static final int LABELLED = 8;

    @Override
    public String name() {
        return "ratings";
    }

    @Override
    public boolean accepts(RunConfig config) {
        return DatasetTypes.of(config.dataset()).data() == DatasetTypes.Data.RATINGS
                && ModelTypes.of(config.model()).data() == ModelType.Data.RATINGS;
    }

    @Override
    public Set<Command> commands() {
        return EnumSet.of(Command.TRAIN, Command.EVALUATE, Command.NEIGHBORS, Command.EXPORT, Command.PREDICT,
                Command.RECOMMEND, Command.BENCHMARK);
    }

    /** Implicit feedback's draws and loss: how the rows train, not which rows are read. */
    @Override
    public Set<String> tunableDatasetKeys() {
        return Set.of("dataset.label.negatives", "dataset.label.sampler", "dataset.label.alpha", "dataset.label.loss");
    }

    @Override
    public void check(ConfigLoader.Loaded loaded) {
        // Model against schema needs the data: prepare() checks it.
    }

    @Override
    public List<String> metrics(RunConfig config) {
        List<String> names = new ArrayList<>();
        if (!RatingsData.implicit(config)) {
            names.addAll(Metrics.names(Supervised.metrics(ModelTypes.of(config.model()).task(config.model()))));
        }
        RankingConfig ranking = RatingsData.ranking(config);
        if (ranking != null) {
            names.addAll(Metrics.names(RankingValidation.monitors(ranking.k())));
        }
        return names;
    }

    /** {@inheritDoc} */
    @Override
    public Opened open(Path dir, ConfigLoader.Loaded loaded, RunConfig trained) throws IOException {
        FeatureSchema schema = RatingsData.savedSchema(dir, loaded);
        Map<String, dev.embtrain.datasets.features.Vocabulary> vocabularies = new LinkedHashMap<>();
        for (String field : schema.spec().fields()) {
            vocabularies.put(field, schema.vocabulary(field));
        }
        return new Opened(ModelTypes.of(trained.model()).spec(trained.model(), schema).newBlock(), vocabularies,
                schema);
    }

    /**
     * A model over user and item alone is served by ids; one over side features encodes a request
     * as the trainer did, from the layout, the vocabularies, the side tables and the crosses.
     */
    @Override
    public Serving serving(Path runDir, RunConfig config, ConfigLoader.Loaded loaded) throws IOException {
        FeatureSchema schema = RatingsData.savedSchema(runDir, loaded);
        ModelType<?> type = ModelTypes.of(config.model());
        BlockSpec spec = type.spec(config.model(), schema);
        // Each user's training items, which a top-k request leaves out (runs before recommend lack them).
        List<String> seen = Files.isRegularFile(runDir.resolve(RunFiles.SEEN)) ? List.of(RunFiles.SEEN) : List.of();
        if (!type.readsFeatures(config.model(), schema)) {
            List<String> files = new ArrayList<>(RatingsData.FIELDS.stream().map(RunFiles::vocabulary).toList());
            files.addAll(seen);
            return new Serving(spec, RatingTranslator.class, Map.of(), files, Map.of());
        }
        List<String> files = new ArrayList<>(seen);
        files.add(RunFiles.SCHEMA);
        for (String field : schema.spec().fields()) {
            files.add(RunFiles.vocabulary(field));
        }
        for (String table : List.of(SideTables.USERS, SideTables.ITEMS)) {
            files.add(RunFiles.FEATURES_DIR + "/" + table);
        }
        StringBuilder crosses = new StringBuilder();
        for (HashedCross c : schema.spec().crosses()) {
            crosses.append(c.name()).append('\t').append(c.buckets()).append('\t')
                    .append(String.join(",", c.fields())).append('\n');
        }
        return new Serving(spec, FeatureTranslator.class, Map.of(), files,
                Map.of(RunFiles.FEATURES_DIR + "/crosses.tsv", crosses.toString()));
    }

    @Override
    public Prepared prepare(ConfigLoader.Loaded loaded, Consumer<String> report) throws IOException {
        RatingsData data = RatingsData.load(loaded);
        try {
            ModelTypes.of(loaded.config().model()).check(loaded.config().model(), data.schema());
        } catch (ModelType.Mismatch e) {
            throw loaded.error(e.key(), e.getMessage());
        }
        report.accept(describe(data));
        if (data.train().rows() == 0 || data.valid().rows() == 0) {
            throw new IllegalStateException("the split left " + data.train().rows() + " training and "
                    + data.valid().rows() + " validation rows; both must be non-empty");
        }
        Data prepared = new Data(data, RatingsData.ranking(loaded.config()));
        if (prepared.ranking != null) {
            report.accept(prepared.describeRanking(loaded.config()));
        }
        return prepared;
    }

    @Override
    public List<Neighbors.Table> tables(SavedRun run) throws IOException {
        return run.modelTables();
    }

    /**
     * The ratings of a run, split and encoded, with what every trial's ranking reads computed
     * once: each user's training items, the held-out items and the popularity baseline (the
     * ranking section is not a key a search may vary).
     */
    private static final class Data implements Prepared {
        private final RatingsData data;
        private final int[][] seen;
        /** The ranking the run measures, or null. */
        private final RankingConfig ranking;
        private final Rankings rankings;
        private final Map<Integer, Set<Integer>> heldOut;
        private final Map<String, Double> popularity;

        Data(RatingsData data, RankingConfig ranking) {
            this.data = data;
            this.seen = data.seen();
            this.ranking = ranking;
            this.rankings = new Rankings(seen, data.items().size());
            if (ranking == null) {
                this.heldOut = null;
                this.popularity = null;
            } else {
                this.heldOut = data.heldOut(ranking.minRating(), seen);
                this.popularity = RankingValidation.values(validation(null).evaluate(null), false);
            }
        }

        /** The ranking metrics of a run: the model's, scored through {@code pairs}. */
        private RankingValidation validation(PairEncoder pairs) {
            return new RankingValidation(rankings, heldOut, ranking, pairs, data.items().size());
        }

        /** The implicit label's sampling, and the ranking's popularity baseline. */
        private String describeRanking(RunConfig config) {
            StringBuilder sb = new StringBuilder();
            if (RatingsData.implicit(config)) {
                LabelConfig label = ((RatingsDatasetConfig) config.dataset()).label();
                sb.append(String.format(Locale.ROOT, "implicit every training row a positive; %d item%s drawn per"
                        + " positive (%s), loss %s%n", label.negatives(), label.negatives() == 1 ? "" : "s",
                        label.sampler() == LabelConfig.Sampler.UNIFORM ? "uniform"
                                : "popularity^" + label.alpha(), label.loss().name().toLowerCase(Locale.ROOT)));
            }
            sb.append(String.format(Locale.ROOT, "ranking  %s protocol%s on %,d validation users; popularity:",
                    ranking.protocol().name().toLowerCase(Locale.ROOT),
                    ranking.protocol() == RankingConfig.Protocol.SAMPLED
                            ? " (" + ranking.negatives() + " drawn items each)" : "", heldOut.size()));
            popularity.forEach((name, value) -> sb.append(String.format(Locale.ROOT, " %s %.4f", name, value)));
            return sb.toString();
        }

        @Override
        public Trainable build(RunConfig config, Model model, boolean refit) {
            ModelType<?> type = ModelTypes.of(config.model());
            try {
                type.check(config.model(), data.schema());
            } catch (ModelType.Mismatch e) {
                throw new IllegalArgumentException(e.key() + ": " + e.getMessage(), e);
            }
            Block block = type.spec(config.model(), data.schema()).newBlock();
            model.setBlock(block);
            Task task = type.task(config.model());
            Device device = model.getNDManager().getDevice();
            int batchSize = config.training().batchSize();
            if (ranking == null) {
                return new Trainable(supervised(model, device, task, config), config.model().type(), false, null);
            }
            PairEncoder pairs = new PairEncoder(data.schema(), data.features(), data.split().train());
            RankingValidation validation = validation(pairs);
            if (!RatingsData.implicit(config)) {
                return new Trainable(new WithRanking(supervised(model, device, task, config), validation),
                        config.model().type(), false, null);
            }
            LabelConfig label = ((RatingsDatasetConfig) config.dataset()).label();
            int rowsPerStep = Math.min(batchSize, data.train().rows()) * (1 + label.negatives());
            ImplicitFeedback objective = new ImplicitFeedback(data.train(), data.schema().ids(data.train(), "user"),
                    seen, pairs, weights(label), label.negatives(),
                    label.loss() == LabelConfig.Loss.BPR ? new BprLoss(label.negatives()) : new SigmoidBceLoss(),
                    batchSize, ModelTypes.inputShapes(data.schema(), rowsPerStep), validation, config.seed());
            return new Trainable(objective, config.model().type(), false, null);
        }

        private Supervised supervised(Model model, Device device, Task task, RunConfig config) {
            int batchSize = config.training().batchSize();
            return new Supervised(batches(model, device, data.train()), batches(model, device, data.valid()), task,
                    task == Task.BINARY ? new SigmoidBceLoss() : new MseLoss(), batchSize,
                    ModelTypes.inputShapes(data.schema(), batchSize), config.seed());
        }

        /** The draw weight of each item: 1, or (training users)^alpha; 0 for the unknown slot. */
        private double[] weights(LabelConfig label) {
            float[] users = rankings.popularity();
            double[] w = new double[users.length];
            for (int i = 1; i < w.length; i++) {
                w[i] = label.sampler() == LabelConfig.Sampler.UNIFORM ? 1 : Math.pow(users[i], label.alpha());
            }
            return w;
        }

        private static Batches batches(Model model, Device device, FeatureSchema.Encoded e) {
            return new Batches(model.getNDManager(), device, e.ids(), e.idWidth(), e.dense(), e.denseWidth(),
                    e.labels());
        }

        @Override
        public void checkSaved(SavedRun run) {
            for (Map.Entry<String, Vocabulary> v : run.vocabularies().entrySet()) {
                if (!data.schema().vocabulary(v.getKey()).equals(v.getValue())) {
                    throw new IllegalStateException("the data gives another " + v.getKey()
                            + " vocabulary than the run was trained with; it changed since training");
                }
            }
        }

        @Override
        public void finish(Finished f) throws IOException {
            RunConfig config = f.config();
            Path dir = f.dir();
            Block block = f.model().getBlock();
            writeVocabularies(dir, data, config);
            // The items each user rated in training, which recommend leaves out.
            RunFiles.writeSeen(dir.resolve(RunFiles.SEEN), seen);
            export(dir, block, data, config);
            Map<String, Object> r = f.resolved();
            Map<String, Integer> sizes = new LinkedHashMap<>();
            for (FeatureSchema.Column c : data.schema().columns()) {
                sizes.put(c.name(), c.size());
            }
            r.put("vocabulary_sizes", sizes);
            r.putAll(ModelTypes.of(config.model()).resolved(config.model(), data.schema()));
            r.put("id_columns", data.schema().idWidth());
            r.put("dense_columns", data.schema().denseWidth());
            if (block instanceof HasEmbeddingTables model) {
                r.put("table_shapes", Tables.shapes(model));
            }
            r.put("train_rows", data.train().rows());
            r.put("valid_rows", data.valid().rows());
            r.put("data_format", data.table().format());
            data.noiseFloor().ifPresent(floor -> r.put("noise_floor_mse", floor));
            if (RatingsData.implicit(config)) {
                // Ranked, not classified: the ranking's popularity baseline is below.
            } else if (ModelTypes.of(config.model()).task(config.model()) == Task.BINARY) {
                double[] baseline = PopularityBaseline.auc(data);
                r.put("baseline_valid_auc_item_positive_rate", baseline[0]);
                r.put("baseline_valid_auc_item_rating_count", baseline[1]);
            } else if (!RatingsData.implicit(config)) {
                data.noiseFloor().ifPresent(floor -> f.report().accept(String.format(Locale.ROOT,
                        "noise floor %.4f: valid_mse is %.3fx the best any model can do", floor,
                        f.fit().best().valid().get("valid_mse") / floor)));
            }
            if (popularity != null) {
                popularity.forEach((name, value) -> r.put("baseline_" + name + "_popularity", value));
            }
            if (config.export().plots()) {
                plots(dir.resolve(RunFiles.PLOTS_DIR), config, block, data, f.fit().history());
            }
        }
    }

    private static String describe(RatingsData data) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("data     %s (%s format) %s: %,d ratings; vocabularies from the training split: %,d users,"
                        + " %,d items (+1 unknown each)",
                data.source(), data.table().format(), data.table().source(), data.table().size(), data.users().size() - 1,
                data.items().size() - 1));
        if (data.schema().columns().size() > 2) {
            StringBuilder f = new StringBuilder();
            for (FeatureSchema.Column c : data.schema().columns()) {
                f.append(f.length() == 0 ? "" : ", ").append(c.name()).append(switch (c.kind()) {
                    case CATEGORICAL -> " " + c.size();
                    case CROSS -> " cross " + (c.size() - 1) + " buckets";
                    case BAG_CROSS -> " cross " + (c.size() - 1) + " buckets x " + c.width() + " slots";
                    case BAG -> " bag of " + c.size();
                    case NUMERIC -> " numeric";
                });
            }
            sb.append(String.format("%nfeatures %s; ids [N, %d], dense [N, %d]", f, data.schema().idWidth(),
                    data.schema().denseWidth()));
        }
        if (data.binary()) {
            sb.append(String.format("%nlabel    rating >= %s: %.1f%% positive in training",
                    data.schema().spec().label().threshold(), 100 * positiveRate(data.train().labels())));
        }
        sb.append(String.format("%nsplit    %,d training, %,d validation ratings", data.train().rows(),
                data.valid().rows()));
        if (data.binary()) {
            double[] baseline = PopularityBaseline.auc(data);
            sb.append(String.format(Locale.ROOT, "%nbaseline valid_auc %.4f scoring each item by its positive"
                    + " rate in training, %.4f by its rating count", baseline[0], baseline[1]));
        }
        data.noiseFloor().ifPresent(f -> sb.append(String.format("%nnoise    the generator's noise floor: MSE %.4f", f)));
        return sb.toString();
    }

    private static double positiveRate(float[] labels) {
        double positives = 0;
        for (float l : labels) {
            positives += l;
        }
        return positives / labels.length;
    }

    private static void writeVocabularies(Path dir, RatingsData data, RunConfig config) throws IOException {
        Files.createDirectories(dir.resolve(RunFiles.VOCAB_DIR));
        for (FeatureSchema.Column c : data.schema().columns()) {
            if (c.kind() == FeatureSchema.Kind.CATEGORICAL || c.kind() == FeatureSchema.Kind.BAG
                    || c.kind() == FeatureSchema.Kind.NUMERIC) {
                data.schema().vocabulary(c.name()).save(dir.resolve(RunFiles.vocabulary(c.name())));
            }
        }
        RunFiles.writeSchema(dir, data.schema());
        if (ModelTypes.of(config.model()).readsFeatures(config.model(), data.schema())) {
            SideTables.collect(data.features(), data.schema(), data.split().train())
                    .write(dir.resolve(RunFiles.FEATURES_DIR));
        }
        Files.write(dir.resolve(RunFiles.labels("user")), data.users().tokens(), StandardCharsets.UTF_8);
        Files.write(dir.resolve(RunFiles.labels("item")), data.itemLabels(), StandardCharsets.UTF_8);
    }

    private static void export(Path dir, Block block, RatingsData data, RunConfig config) throws IOException {
        if (config.export().embeddings().isEmpty() || !(block instanceof HasEmbeddingTables model)) {
            return;
        }
        Path out = Files.createDirectories(dir.resolve(RunFiles.EMBEDDINGS_DIR));
        for (EmbeddingTable table : model.embeddingTables()) {
            List<String> labels = labels(data, table.vocabulary());
            TableExport.write(out, table.name(), Tables.toMatrix(table.parameter().getArray()), labels,
                    new LinkedHashSet<>(config.export().embeddings()));
        }
    }

    /**
     * Returns a label per row of a table indexed by a field: titles for items, the vocabulary's
     * tokens for other fields, {@code bucket N} for a cross.
     */
    static List<String> labels(RatingsData data, String field) {
        if (field.equals("item")) {
            return data.itemLabels();
        }
        return RunFiles.tableLabels(data.schema(), field);
    }

    private static void plots(Path dir, RunConfig config, Block block, RatingsData data, List<EpochRecord> h)
            throws IOException {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("train_loss", h.stream().mapToDouble(EpochRecord::trainLoss).toArray());
        boolean binary = ModelTypes.of(config.model()).task(config.model()) == Task.BINARY;
        List<Integer> epochs = h.stream().map(EpochRecord::epoch).toList();
        RankingConfig ranking = RatingsData.ranking(config);
        if (RatingsData.implicit(config)) {
            Plots.metricCurves(dir.resolve("metrics.png"), config.name() + ": loss per epoch", epochs, series,
                    ((RatingsDatasetConfig) config.dataset()).label().loss() == LabelConfig.Loss.BPR ? "BPR loss"
                            : "cross-entropy");
        } else {
            String valid = binary ? "valid_log_loss" : "valid_mse";
            series.put(valid, h.stream().mapToDouble(m -> m.valid().get(valid)).toArray());
            Plots.metricCurves(dir.resolve("metrics.png"), config.name() + ": loss per epoch", epochs, series,
                    binary ? "cross-entropy" : "mean squared error");
        }
        if (ranking != null) {
            Map<String, double[]> curves = new LinkedHashMap<>();
            for (String name : Metrics.names(RankingValidation.monitors(ranking.k()))) {
                if (name.startsWith("valid_ndcg") || name.startsWith("valid_recall")) {
                    curves.put(name, h.stream().mapToDouble(m -> m.valid().get(name)).toArray());
                }
            }
            Plots.metricCurves(dir.resolve("ranking.png"), config.name() + ": ranking per epoch ("
                    + ranking.protocol().name().toLowerCase(Locale.ROOT) + " protocol)", epochs, curves, "metric");
        }
        if (!(block instanceof HasEmbeddingTables model)) {
            return;
        }
        Map<String, EmbeddingTable> tables = new LinkedHashMap<>();
        model.embeddingTables().forEach(t -> tables.put(t.name(), t));
        // The item's own linear term labels the extremes: its bias, or wide-and-deep's wide weight.
        String linear = tables.containsKey("item_bias") ? "item_bias" : "item_wide";
        if (tables.containsKey("item") && tables.containsKey(linear)) {
            // Row 0 is the unknown slot, never trained: leave it out of the map.
            float[][] items = Tables.toMatrix(tables.get("item").parameter().getArray());
            float[][] bias = Tables.toMatrix(tables.get(linear).parameter().getArray());
            float[][] vectors = java.util.Arrays.copyOfRange(items, 1, items.length);
            float[] values = new float[vectors.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = bias[i + 1][0];
            }
            List<String> labels = data.itemLabels().subList(1, items.length);
            if (vectors.length >= 2 && vectors[0].length >= 2) {
                Plots.embeddingMap(dir.resolve("items_pca.png"), config.name() + ": item factors, PCA; labelled: the "
                        + LABELLED + " lowest and highest " + (linear.equals("item_bias") ? "biases" : "wide weights"),
                        vectors, labels, Plots.extremes(values, LABELLED, Set.of()));
            }
        }
    }

}
