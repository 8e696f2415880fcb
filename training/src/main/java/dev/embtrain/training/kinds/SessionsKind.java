package dev.embtrain.training.kinds;

import dev.embtrain.training.objectives.Metrics;
import dev.embtrain.training.export.Word2VecText;
import dev.embtrain.training.run.RunFiles;
import dev.embtrain.training.run.SavedRun;
import dev.embtrain.training.serving.ServingExport;
import dev.embtrain.models.serving.NeighborsTranslator;
import dev.embtrain.training.export.Tables;
import ai.djl.Model;
import dev.embtrain.models.EmbeddingBag;
import dev.embtrain.models.EmbeddingTable;
import dev.embtrain.training.modeltypes.ModelType;
import dev.embtrain.training.modeltypes.ModelTypes;
import dev.embtrain.training.config.ConfigBinder;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.EmbeddingBagConfig;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.export.Neighbors;
import dev.embtrain.training.export.Npy;
import dev.embtrain.training.export.ProjectorTsv;
import dev.embtrain.training.export.TableExport;
import dev.embtrain.training.metrics.NextItem;
import dev.embtrain.training.objectives.SampledCandidates;
import dev.embtrain.training.plot.Plots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Sessions (item2vec): {@code model.type: embedding-bag} on Online Retail or generated
 * sessions. Sessions → vocabulary → skip-gram pairs (or CBOW examples) drawn afresh each epoch
 * with negatives ({@link SampledCandidates}) → per-epoch validation Recall@10 and MRR@10 of the
 * next item by cosine over the item table → the best epoch kept → test Recall@10 and MRR@10
 * once, beside popularity and next-item co-occurrence baselines on the same pairs.
 */
final class SessionsKind implements RunKind {


    @Override
    public String name() {
        return "sessions";
    }

    @Override
    public boolean accepts(RunConfig config) {
        return ModelTypes.of(config.model()).data() == ModelType.Data.SESSIONS
                && DatasetTypes.of(config.dataset()).data() == DatasetTypes.Data.SESSIONS;
    }

    @Override
    public Set<Command> commands() {
        return EnumSet.of(Command.TRAIN, Command.EVALUATE, Command.NEIGHBORS, Command.EXPORT, Command.BENCHMARK);
    }

    @Override
    public void check(ConfigLoader.Loaded loaded) {
        // The dataset and model types are all it needs; ConfigLoader pairs them.
    }

    @Override
    public List<String> metrics(RunConfig config) {
        return Metrics.names(SampledCandidates.METRICS);
    }

    /** {@inheritDoc} */
    @Override
    public Opened open(Path dir, ConfigLoader.Loaded loaded, RunConfig trained) throws IOException {
        dev.embtrain.datasets.features.Vocabulary items = dev.embtrain.datasets.features.Vocabulary.load(
                dir.resolve(RunFiles.vocabulary("item")));
        return new Opened(block((EmbeddingBagConfig) trained.model(), items.size()), Map.of("item", items), null);
    }

    @Override
    public Serving serving(Path runDir, RunConfig config, ConfigLoader.Loaded loaded) throws IOException {
        int items = ServingExport.lines(runDir.resolve(RunFiles.vocabulary("item")));
        // EmbeddingBag's input vectors: the item table embtrain neighbors searches.
        return new Serving(spec((EmbeddingBagConfig) config.model(), items), NeighborsTranslator.class,
                Map.of("table", "input"), List.of(RunFiles.vocabulary("item"), RunFiles.labels("item")), Map.of());
    }

    @Override
    public Prepared prepare(ConfigLoader.Loaded loaded, Consumer<String> report) throws IOException {
        SessionsData data = SessionsData.load(loaded);
        report.accept(describe(data));
        return new Data(data);
    }

    @Override
    public List<Neighbors.Table> tables(SavedRun run) throws IOException {
        return run.modelTables();
    }

    /**
     * Builds the block a model section names.
     *
     * @param config the model section
     * @param vocabularySize items + 1 (unknown)
     * @return the uninitialised block
     */
    static EmbeddingBag block(EmbeddingBagConfig config, int vocabularySize) {
        return spec(config, vocabularySize).newBlock();
    }

    /**
     * Returns the spec of the block a model section names, for training and serving alike.
     *
     * @param config the model section
     * @param vocabularySize items + 1 (unknown)
     * @return the spec
     */
    static EmbeddingBag.Spec spec(EmbeddingBagConfig config, int vocabularySize) {
        return new EmbeddingBag.Spec(vocabularySize, config.vectorSize(), config.mode(), config.pooling());
    }

    /** The item table, the input vectors. */
    static float[][] itemTable(EmbeddingBag block) {
        return Tables.toMatrix(block.embeddingTables().get(0).parameter().getArray());
    }

    /** The sessions of a run and its validation and test pairs. */
    private static final class Data implements Prepared {
        private final SessionsData data;

        Data(SessionsData data) {
            this.data = data;
        }

        @Override
        public Trainable build(RunConfig config, Model model, boolean refit) {
            EmbeddingBagConfig m = (EmbeddingBagConfig) config.model();
            EmbeddingBag block = block(m, data.vocabulary().size());
            model.setBlock(block);
            SampledCandidates.Options options = new SampledCandidates.Options(m.mode(), m.window(), m.negative(),
                    m.sharedNegatives(), m.sample(), m.nsExponent(), m.loss() == EmbeddingBagConfig.Loss.SAMPLED_SOFTMAX);
            int batchSize = config.training().batchSize();
            SampledCandidates objective = new SampledCandidates(data.train(), data.counts(), options, batchSize,
                    config.training().epochs(), config.seed(), () -> itemTable(block), data.valid().queries(),
                    data.valid().targets());
            String description = String.format(Locale.ROOT, "embedding-bag %s, vector_size %d, window %d, negative %d%s"
                            + " on %,d %s in epoch 1 (%,d batches of %,d)", ConfigBinder.yamlName(m.mode()),
                    m.vectorSize(), m.window(), m.negative(), m.sharedNegatives() > 0
                            ? " (from a pool of " + m.sharedNegatives() + " shared by each batch)" : "",
                    objective.firstEpochExamples(), m.mode() == EmbeddingBag.Mode.CBOW ? "CBOW examples"
                            : "skip-gram pairs", objective.batchesPerEpoch(), batchSize);
            return new Trainable(objective, description, true, null);
        }

        @Override
        public void checkSaved(SavedRun run) {
            if (!data.vocabulary().equals(run.vocabularies().get("item"))) {
                throw new IllegalStateException("the data gives another item vocabulary than the run was trained"
                        + " with; it changed since training");
            }
        }

        @Override
        public List<String> evaluateMore(Model model, Trainable trainable) {
            NextItem.Scores test = NextItem.embedding(itemTable((EmbeddingBag) model.getBlock()), data.test().queries(),
                    data.test().targets());
            return List.of(String.format(Locale.ROOT, "test_recall_at_10 %.6f, test_mrr_at_10 %.6f on %,d test pairs",
                    test.recall(), test.mrr(), data.test().size()));
        }

        @Override
        public void finish(Finished f) throws IOException {
            EmbeddingBag block = (EmbeddingBag) f.model().getBlock();
            NextItem.Scores test = NextItem.embedding(itemTable(block), data.test().queries(), data.test().targets());
            NextItem.Scores popularity = NextItem.popularity(data.counts(), data.test().queries(),
                    data.test().targets());
            NextItem.Scores cooccurrence = NextItem.cooccurrence(data.train(), data.vocabulary().size(),
                    data.test().queries(), data.test().targets());
            Path dir = f.dir();
            writeVocabulary(dir, data);
            export(dir, block, data, f.config());
            List<EpochRecord> h = f.fit().history();
            double secondsPerEpoch = h.stream().mapToDouble(EpochRecord::seconds).average().orElse(0);
            Map<String, Object> r = f.resolved();
            r.put("vocabulary_sizes", Map.of("item", data.vocabulary().size()));
            r.put("table_shapes", Tables.shapes(block));
            r.put("sessions", data.sessions().size());
            r.put("training_items", data.trainingItems());
            r.put("validation_pairs", data.valid().size());
            r.put("test_pairs", data.test().size());
            r.put("test_recall_at_10", test.recall());
            r.put("test_mrr_at_10", test.mrr());
            r.put("popularity_test_recall_at_10", popularity.recall());
            r.put("popularity_test_mrr_at_10", popularity.mrr());
            r.put("cooccurrence_test_recall_at_10", cooccurrence.recall());
            r.put("cooccurrence_test_mrr_at_10", cooccurrence.mrr());
            r.put("seconds_per_epoch", Math.round(secondsPerEpoch * 1000) / 1000.0);
            if (f.config().export().plots()) {
                plots(dir.resolve(RunFiles.PLOTS_DIR), f.config(), h);
            }
            Consumer<String> out = f.report();
            out.accept(String.format(Locale.ROOT, "test     %,d pairs (second-to-last -> last item), best epoch's item"
                    + " table:", data.test().size()));
            out.accept(String.format(Locale.ROOT, "  item2vec                  Recall@10 %.4f  MRR@10 %.4f",
                    test.recall(), test.mrr()));
            out.accept(String.format(Locale.ROOT, "  popularity                Recall@10 %.4f  MRR@10 %.4f",
                    popularity.recall(), popularity.mrr()));
            out.accept(String.format(Locale.ROOT, "  next-item co-occurrence   Recall@10 %.4f  MRR@10 %.4f",
                    cooccurrence.recall(), cooccurrence.mrr()));
            out.accept(String.format(Locale.ROOT, "time     %.2f s per epoch on average, %.1f s training in all",
                    secondsPerEpoch, h.stream().mapToDouble(EpochRecord::seconds).sum()));
        }
    }

    private static String describe(SessionsData data) {
        long items = data.sessions().stream().mapToLong(s -> s.items().size()).sum();
        return String.format("data     %s: %,d sessions, %,d items%n"
                        + "vocab    %,d items in the training sessions (every session minus its last item; %,d"
                        + " occurrences), +1 unknown%n"
                        + "pairs    %,d validation, %,d test (second-to-last -> last item of distinct sessions);"
                        + " unknown queries: %d, %d",
                data.source(), data.sessions().size(), items, data.vocabulary().size() - 1, data.trainingItems(),
                data.valid().size(), data.test().size(), data.valid().unknownQueries(), data.test().unknownQueries());
    }

    private static void writeVocabulary(Path dir, SessionsData data) throws IOException {
        Files.createDirectories(dir.resolve(RunFiles.VOCAB_DIR));
        data.vocabulary().save(dir.resolve(RunFiles.vocabulary("item")));
        Files.write(dir.resolve(RunFiles.labels("item")), data.labels(), StandardCharsets.UTF_8);
    }

    /**
     * Writes both tables as {@code .npy} and as Projector TSV whose metadata has two columns: the
     * item id (StockCode) and its label (Description).
     */
    private static void export(Path dir, EmbeddingBag block, SessionsData data, RunConfig config) throws IOException {
        List<String> formats = config.export().embeddings();
        if (formats.isEmpty()) {
            return;
        }
        List<String> columns = DatasetTypes.of(config.dataset()).labelColumns();
        List<List<String>> rows = new ArrayList<>(data.labels().size());
        for (int i = 0; i < data.labels().size(); i++) {
            rows.add(List.of(data.vocabulary().token(i), data.labels().get(i)));
        }
        Path out = Files.createDirectories(dir.resolve(RunFiles.EMBEDDINGS_DIR));
        for (EmbeddingTable table : block.embeddingTables()) {
            float[][] vectors = Tables.toMatrix(table.parameter().getArray());
            if (formats.contains(TableExport.NPY)) {
                Npy.writeFloat32(out.resolve(table.name() + ".npy"), vectors);
            }
            if (formats.contains(TableExport.TSV)) {
                ProjectorTsv.write(out.resolve(table.name() + "_vectors.tsv"), out.resolve(table.name() + "_metadata.tsv"),
                        vectors, columns, rows);
            }
            if (formats.contains(TableExport.WORD2VEC)) {
                // Keyed by token (a StockCode), as gensim keys a Word2Vec model's vectors.
                Word2VecText.write(out.resolve(table.name() + "_word2vec.txt"), vectors, data.vocabulary().tokens());
            }
        }
    }

    private static void plots(Path dir, RunConfig config, List<EpochRecord> h) throws IOException {
        List<Integer> epochs = h.stream().map(EpochRecord::epoch).toList();
        Map<String, double[]> ranking = new LinkedHashMap<>();
        for (String m : Metrics.names(SampledCandidates.METRICS)) {
            ranking.put(m, h.stream().mapToDouble(e -> e.valid().get(m)).toArray());
        }
        Plots.metricCurves(dir.resolve("metrics.png"), config.name() + ": next-item ranking per epoch", epochs, ranking,
                "validation score");
        Map<String, double[]> loss = new LinkedHashMap<>();
        loss.put("train_loss", h.stream().mapToDouble(EpochRecord::trainLoss).toArray());
        Plots.metricCurves(dir.resolve("loss.png"), config.name() + ": training loss per epoch", epochs, loss,
                "loss");
    }
}
