package dev.embtrain.training.kinds;

import dev.embtrain.training.objectives.Metrics;
import dev.embtrain.training.modeltypes.ModelTypes;
import dev.embtrain.training.run.RunFiles;
import dev.embtrain.models.serving.ClassifierTranslator;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.training.loss.Loss;
import dev.embtrain.datasets.labelled.LabelledEmbeddings;
import dev.embtrain.datasets.split.StratifiedSplit;
import dev.embtrain.training.config.ClassWeight;
import dev.embtrain.training.config.ConfigException;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.LabelledDataset;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.config.WideAndDeepConfig;
import dev.embtrain.training.data.Batches;
import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.engine.SigmoidBceLoss;
import dev.embtrain.training.engine.Task;
import dev.embtrain.training.labelled.LabelledData;
import dev.embtrain.training.labelled.LabelledModel;
import dev.embtrain.models.shared.Preprocessing;
import dev.embtrain.training.labelled.Preprocess;
import dev.embtrain.training.labelled.TestReport;
import dev.embtrain.training.labelled.WeightedSigmoidBceLoss;
import dev.embtrain.training.metrics.BinaryMetrics;
import dev.embtrain.training.objectives.Supervised;
import dev.embtrain.training.plot.Plots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Labelled embeddings: {@code labelled-embeddings} and {@code synthetic-labelled-embeddings}.
 * Read and join labels to vectors, split 70/15/15 stratified, fit SelectKBest and
 * standardisation on the training rows, train the binary wide-and-deep (or logistic) model,
 * optionally refit the kept config on training + validation rows, and score the test split
 * once for the report.
 *
 * <p>Run directory, besides what every run has: {@code preprocessing.tsv},
 * {@code test_metrics.csv}, {@code classification_report.csv} (scikit-learn's, as CSV),
 * {@code test_predictions.csv} ({@code rid,label,score}), {@code plots/metrics.png}.
 */
final class LabelledKind implements RunKind {

    /** The test report's metrics file. */
    static final String TEST_METRICS = "test_metrics.csv";
    /** scikit-learn's classification report, as CSV. */
    static final String REPORT = "classification_report.csv";
    /** The test rows' scores. */
    static final String TEST_PREDICTIONS = "test_predictions.csv";

    @Override
    public String name() {
        return "labelled";
    }

    @Override
    public boolean accepts(RunConfig config) {
        return config.dataset() instanceof LabelledDataset;
    }

    @Override
    public Set<Command> commands() {
        return EnumSet.of(Command.TRAIN, Command.EVALUATE, Command.EXPORT, Command.SCORE, Command.PREDICT,
                Command.BENCHMARK);
    }

    @Override
    public Set<String> tunableDatasetKeys() {
        return Set.of("dataset.select_k_best", "dataset.standardize", "dataset.class_weight");
    }

    @Override
    public void check(ConfigLoader.Loaded loaded) {
        RunConfig config = loaded.config();
        if (ModelTypes.of(config.model()) != ModelTypes.WIDE_AND_DEEP) {
            // The binder records where a section starts, not its type key: the section's first line.
            String at = loaded.locations().get("model");
            throw new ConfigException("model.type: " + "dataset.type " + config.dataset().type() + " trains a binary"
                    + " classifier on dense vectors: use wide-and-deep (layers: [] is logistic regression), found "
                    + config.model().type() + (at == null ? "" : " (" + at + ")"));
        }
        WideAndDeepConfig wd = (WideAndDeepConfig) config.model();
        if (wd.objective() != WideAndDeepConfig.Objective.BINARY) {
            throw loaded.error("model.objective", "dataset.type " + config.dataset().type() + " has a 0/1 label: use"
                    + " binary, found regression");
        }
        if (!wd.embeddingSizes().isEmpty()) {
            throw loaded.error("model.embedding_sizes", "labelled embeddings have no categorical field to embed;"
                    + " leave it out");
        }
    }

    @Override
    public List<String> metrics(RunConfig config) {
        return Metrics.names(Supervised.metrics(Task.BINARY));
    }

    /** A classifier, with the run's preprocessing applied in the translator. */
    @Override
    public Serving serving(Path runDir, RunConfig config, ConfigLoader.Loaded loaded) throws IOException {
        int width = Preprocessing.load(runDir.resolve(Preprocessing.FILE)).width();
        return new Serving(LabelledScorer.spec((WideAndDeepConfig) config.model(), width), ClassifierTranslator.class,
                Map.of(), List.of(Preprocessing.FILE), Map.of());
    }

    @Override
    public Prepared prepare(ConfigLoader.Loaded loaded, Consumer<String> report) throws IOException {
        LabelledData data = LabelledData.read(loaded);
        LabelledEmbeddings.Joined j = data.joined();
        LabelledDataset ds = (LabelledDataset) loaded.config().dataset();
        report.accept(String.format(Locale.ROOT, "data     %s + %s: %,d joined (%,d positive, %.1f%%); %,d labels"
                        + " without embeddings, %,d embeddings without labels; width %d",
                data.labels(), data.embeddings().path(), j.size(), j.positives(), 100.0 * j.positives() / j.size(),
                j.labelsWithoutEmbeddings(), j.embeddingsWithoutLabels(), j.width()));
        if (data.synthetic() != null) {
            report.accept(String.format(Locale.ROOT, "bayes    the generator's Bayes-optimal AUC %.4f (on these rows"
                    + " %.4f)", data.synthetic().bayesAuc(), data.synthetic().sampleBayesAuc()));
        }
        StratifiedSplit.Parts parts;
        try {
            parts = StratifiedSplit.split(j.labels(), ds.split().validation(), ds.split().test(), ds.split().seed());
        } catch (IllegalArgumentException e) {
            throw loaded.error("dataset.split", e.getMessage());
        }
        report.accept(String.format(Locale.ROOT, "split    %,d training, %,d validation, %,d test rows (stratified,"
                + " seed %d)", parts.train().length, parts.valid().length, parts.test().length, ds.split().seed()));
        if (ds.selectKBest() > j.width()) {
            throw loaded.error("dataset.select_k_best", "must be <= the vectors' width " + j.width() + ", found "
                    + ds.selectKBest());
        }
        return new Data(data, parts);
    }

    private static int[] labels(int[] all, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = all[rows[i]];
        }
        return out;
    }

    private static int sum(int[] v) {
        int s = 0;
        for (int x : v) {
            s += x;
        }
        return s;
    }

    /** The joined rows and their stratified split. */
    private static final class Data implements Prepared {
        private final LabelledData data;
        private final StratifiedSplit.Parts parts;

        Data(LabelledData data, StratifiedSplit.Parts parts) {
            this.data = data;
            this.parts = parts;
        }

        @Override
        public boolean refits(RunConfig config) {
            return ((LabelledDataset) config.dataset()).split().refit();
        }

        @Override
        public Trainable build(RunConfig config, Model model, boolean refit) {
            LabelledDataset ds = (LabelledDataset) config.dataset();
            LabelledEmbeddings.Joined j = data.joined();
            int[] trainRows = refit ? parts.trainAndValid() : parts.train();
            Preprocessing pre = Preprocess.fit(j.vectors(), j.labels(), trainRows, ds.selectKBest(),
                    ds.standardize());
            WideAndDeepConfig wd = (WideAndDeepConfig) config.model();
            model.setBlock(LabelledScorer.spec(wd, pre.width()).newBlock());
            Loss loss = new SigmoidBceLoss();
            if (ds.classWeight() == ClassWeight.BALANCED) {
                float[] w = WeightedSigmoidBceLoss.balanced(labels(j.labels(), trainRows));
                loss = new WeightedSigmoidBceLoss(w[0], w[1]);
            }
            Device device = model.getNDManager().getDevice();
            int batchSize = config.training().batchSize();
            Supervised objective = new Supervised(batches(model, device, pre, trainRows),
                    batches(model, device, pre, parts.valid()), Task.BINARY, loss, batchSize,
                    LabelledModel.inputShapes(batchSize, pre.width()), config.seed());
            String description = String.format(Locale.ROOT, "wide-and-deep on %d dense columns%s, layers %s; loss %s",
                    pre.width(), pre.width() < j.width() ? " (SelectKBest of " + j.width() + ")" : "", wd.layers(),
                    ds.classWeight() == ClassWeight.BALANCED ? "class-weighted BCE" : "BCE");
            return new Trainable(objective, description, false, pre);
        }

        private Batches batches(Model model, Device device, Preprocessing pre, int[] rows) {
            LabelledEmbeddings.Joined j = data.joined();
            float[] y = new float[rows.length];
            for (int i = 0; i < rows.length; i++) {
                y[i] = j.labels()[rows[i]];
            }
            return new Batches(model.getNDManager(), device, new long[0], 0, pre.apply(j.vectors(), rows),
                    pre.width(), y);
        }

        /** Scores the test rows with the kept model. */
        private float[] testLogits(Model model, Preprocessing pre) {
            int[] rows = parts.test();
            return LabelledModel.logits(model, pre.apply(data.joined().vectors(), rows), rows.length, pre.width());
        }

        @Override
        public List<String> evaluateMore(Model model, Trainable trainable) {
            Preprocessing pre = (Preprocessing) trainable.state();
            float[] logits = testLogits(model, pre);
            double[] z = new double[logits.length];
            for (int i = 0; i < z.length; i++) {
                z[i] = logits[i];
            }
            int[] y = labels(data.joined().labels(), parts.test());
            return List.of(String.format(Locale.ROOT, "test_auc %.6f on %,d test rows", BinaryMetrics.auc(z, y),
                    y.length));
        }

        @Override
        public void finish(Finished f) throws IOException {
            Path dir = f.dir();
            Preprocessing pre = (Preprocessing) f.trainable().state();
            pre.save(dir.resolve(Preprocessing.FILE));
            LabelledDataset ds = (LabelledDataset) f.config().dataset();
            Map<String, Double> test = test(f.model(), pre, dir, ds.threshold());
            StringBuilder line = new StringBuilder("test     ");
            test.forEach((k, v) -> line.append(line.length() == 9 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.4f", k.substring(5), v)));
            line.append(String.format(Locale.ROOT, " (threshold %s, %,d rows)", ds.threshold(), parts.test().length));
            Consumer<String> report = f.report();
            report.accept(line.toString());
            double testBayes = data.bayesAucOn(parts.test());
            if (!Double.isNaN(testBayes)) {
                double auc = test.get("test_auc");
                report.accept(String.format(Locale.ROOT, "bayes    the Bayes-optimal AUC on the test rows is %.4f"
                        + " (population %.4f); test_auc minus it: %+.4f (%+.4f against the population)", testBayes,
                        data.synthetic().bayesAuc(), auc - testBayes, auc - data.synthetic().bayesAuc()));
            }
            LabelledEmbeddings.Joined j = data.joined();
            Map<String, Object> r = f.resolved();
            r.put("evkey", j.evkeys().size() == 1 ? j.evkeys().get(0) : j.evkeys());
            r.put("labels_file", data.labels().toString());
            r.put("embeddings_file", data.embeddings().path().toString());
            r.put("joined", j.size());
            r.put("positives", j.positives());
            r.put("labels_without_embeddings", j.labelsWithoutEmbeddings());
            r.put("embeddings_without_labels", j.embeddingsWithoutLabels());
            r.put("width", j.width());
            r.put("input_width", pre.width());
            r.put("train_rows", parts.train().length);
            r.put("valid_rows", parts.valid().length);
            r.put("test_rows", parts.test().length);
            r.put("train_positives", sum(labels(j.labels(), parts.train())));
            r.put("valid_positives", sum(labels(j.labels(), parts.valid())));
            r.put("test_positives", sum(labels(j.labels(), parts.test())));
            if (data.synthetic() != null) {
                r.put("bayes_auc", data.synthetic().bayesAuc());
                r.put("sample_bayes_auc", data.synthetic().sampleBayesAuc());
                r.put("test_bayes_auc", testBayes);
                r.put("generator_bias", data.bias());
            }
            r.putAll(test);
            if (f.config().export().plots()) {
                plot(dir.resolve(RunFiles.PLOTS_DIR).resolve("metrics.png"), f.config().name(), f.fit().history());
            }
        }

        private Map<String, Double> test(Model model, Preprocessing pre, Path dir, double threshold)
                throws IOException {
            LabelledEmbeddings.Joined j = data.joined();
            int[] rows = parts.test();
            float[] logits = testLogits(model, pre);
            double[] z = new double[rows.length];
            double[] p = new double[rows.length];
            int[] y = labels(j.labels(), rows);
            StringBuilder predictions = new StringBuilder("rid,label,score\n");
            for (int i = 0; i < rows.length; i++) {
                z[i] = logits[i];
                float score = LabelledModel.probability(logits[i]);
                p[i] = BinaryMetrics.sigmoid(logits[i]);
                predictions.append(j.ids()[rows[i]]).append(',').append(y[i]).append(',').append(score).append('\n');
            }
            Map<String, Double> m = TestReport.metrics(z, y, threshold);
            Files.writeString(dir.resolve(TEST_PREDICTIONS), predictions, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(REPORT), TestReport.classificationReportCsv(p, y, threshold),
                    StandardCharsets.UTF_8);
            StringBuilder csv = new StringBuilder("metric,value\n");
            m.forEach((k, v) -> csv.append(k).append(',').append(v).append('\n'));
            Files.writeString(dir.resolve(TEST_METRICS), csv, StandardCharsets.UTF_8);
            return m;
        }
    }

    private static void plot(Path file, String name, List<EpochRecord> h) throws IOException {
        Files.createDirectories(file.getParent());
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("train_loss", h.stream().mapToDouble(EpochRecord::trainLoss).toArray());
        series.put("valid_log_loss", h.stream().mapToDouble(m -> m.valid().get("valid_log_loss")).toArray());
        Plots.metricCurves(file, name + ": loss per epoch", h.stream().map(EpochRecord::epoch).toList(), series,
                "cross-entropy");
    }
}
