package dev.embtrain.training.labelled;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.embtrain.datasets.labelled.LabelledEmbeddings;
import dev.embtrain.datasets.split.StratifiedSplit;
import dev.embtrain.training.config.ClassWeight;
import dev.embtrain.training.config.ConfigBinder;
import dev.embtrain.training.config.ConfigException;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.EarlyStoppingConfig;
import dev.embtrain.training.config.LabelledDataset;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.config.SearchConfig;
import dev.embtrain.training.config.TrainingConfig;
import dev.embtrain.training.config.WideAndDeepConfig;
import dev.embtrain.training.data.Batches;
import dev.embtrain.training.engine.Devices;
import dev.embtrain.training.engine.EpochMetrics;
import dev.embtrain.training.engine.Fit;
import dev.embtrain.training.engine.SigmoidBceLoss;
import dev.embtrain.training.engine.Task;
import dev.embtrain.training.job.RunFiles;
import dev.embtrain.training.job.TrainJob;
import dev.embtrain.training.plot.Plots;
import dev.embtrain.training.run.RunDirectory;
import dev.embtrain.training.search.Distribution;
import dev.embtrain.training.search.FrozenTrial;
import dev.embtrain.training.search.Study;
import dev.embtrain.training.search.TrialState;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code embtrain train} for {@code labelled-embeddings} and {@code synthetic-labelled-embeddings}
 * (issue #5): read and join labels to vectors, split 70/15/15 stratified, fit SelectKBest and
 * standardisation on the training split, train the binary wide-and-deep (or logistic) model
 * with early stopping on validation AUC, optionally searching hyperparameters first, and
 * score the test split once for the report.
 *
 * <p>Run directory: {@code config.yaml} (with {@code resolved:}), {@code model/} (the kept
 * parameters), {@code preprocessing.tsv}, {@code metrics.csv} (the kept model's epochs),
 * {@code test_metrics.csv}, {@code classification_report.csv}, {@code test_predictions.csv}
 * ({@code rid,label,score}), {@code plots/metrics.png}; with a search, {@code trials.csv} and
 * {@code best.yaml} (the best trial's config, trainable as it is).
 */
public final class LabelledJob {

    /** The test report's metrics file. */
    public static final String TEST_METRICS = "test_metrics.csv";
    /** scikit-learn's classification report, as CSV. */
    public static final String REPORT = "classification_report.csv";
    /** The test rows' scores. */
    public static final String TEST_PREDICTIONS = "test_predictions.csv";
    /** The search's results table. */
    public static final String TRIALS = "trials.csv";
    /** The best trial's config. */
    public static final String BEST = "best.yaml";

    /** Dataset keys a search may tune: they change how rows are prepared, not which rows are read. */
    private static final Set<String> TUNABLE_DATASET_KEYS = Set.of("dataset.select_k_best", "dataset.standardize",
            "dataset.class_weight");

    private final ConfigLoader.Loaded loaded;
    private final Path target;
    private final boolean overwrite;
    private final Fit.Listener listener;
    private final TrainJob.Report report;

    /**
     * What a finished run reports.
     *
     * @param runDir the run directory
     * @param fit the kept model's training history
     * @param test the test metrics
     * @param bestTrial the best trial, or null without a search
     * @param trials every trial, empty without a search
     */
    public record Outcome(Path runDir, Fit.Result fit, Map<String, Double> test, FrozenTrial bestTrial,
            List<FrozenTrial> trials) {}

    /** One trained model: its history and how its rows were prepared. */
    private record Trained(Fit.Result fit, Preprocessing pre, RunConfig config) {}

    /**
     * Returns whether a config is this job's.
     *
     * @param config the config
     * @return whether its dataset is labelled embeddings
     */
    public static boolean handles(RunConfig config) {
        return config.dataset() instanceof LabelledDataset;
    }

    /**
     * Prepares a job.
     *
     * @param loaded the config
     * @param runDir where the run goes, or null for {@code runs/<name>}
     * @param overwrite whether an existing run may be replaced
     * @param listener progress per batch and epoch (a run without search)
     * @param report status lines
     */
    public LabelledJob(ConfigLoader.Loaded loaded, Path runDir, boolean overwrite, Fit.Listener listener,
            TrainJob.Report report) {
        this.loaded = loaded;
        this.target = runDir != null ? runDir : Path.of("runs", loaded.config().name());
        this.overwrite = overwrite;
        this.listener = listener;
        this.report = report;
    }

    /**
     * Checks the model section against a labelled dataset.
     *
     * @param loaded the config
     * @return the wide-and-deep section
     * @throws ConfigException naming the key and its line
     */
    static WideAndDeepConfig checkModel(ConfigLoader.Loaded loaded) {
        RunConfig config = loaded.config();
        if (!(config.model() instanceof WideAndDeepConfig wd)) {
            // The binder records where a section starts, not its type key: the section's first line.
            String at = loaded.locations().get("model");
            throw new ConfigException("model.type: " + "dataset.type " + config.dataset().type() + " trains a binary classifier"
                    + " on dense vectors: use wide-and-deep (layers: [] is logistic regression), found "
                    + config.model().type() + (at == null ? "" : " (" + at + ")"));
        }
        if (wd.objective() != WideAndDeepConfig.Objective.BINARY) {
            throw loaded.error("model.objective", "dataset.type " + config.dataset().type() + " has a 0/1 label: use"
                    + " binary, found regression");
        }
        if (!wd.embeddingSizes().isEmpty()) {
            throw loaded.error("model.embedding_sizes", "labelled embeddings have no categorical field to embed;"
                    + " leave it out");
        }
        if (config.export().serving()) {
            throw loaded.error("export.serving", "not available for labelled embeddings; score ids with"
                    + " embtrain score --run DIR --embeddings FILE --out FILE");
        }
        return wd;
    }

    /**
     * Runs the job.
     *
     * @return the outcome
     * @throws Exception when reading, training or writing fails
     */
    public Outcome run() throws Exception {
        RunConfig config = loaded.config();
        checkModel(loaded);
        EarlyStoppingConfig.Metric metric = metric(loaded);
        RunDirectory.checkWritable(target, overwrite);
        Device[] devices;
        try {
            devices = Devices.resolve(config.training().device());
        } catch (IllegalArgumentException e) {
            throw loaded.error("training.device", e.getMessage());
        }
        if (config.search() != null) {
            checkSearch();
        }
        LabelledData data = LabelledData.read(loaded);
        LabelledEmbeddings.Joined j = data.joined();
        LabelledDataset ds = (LabelledDataset) config.dataset();
        report.line(String.format(Locale.ROOT, "data     %s + %s: %,d joined (%,d positive, %.1f%%); %,d labels without"
                        + " embeddings, %,d embeddings without labels; width %d",
                data.labels(), data.embeddings().path(), j.size(), j.positives(), 100.0 * j.positives() / j.size(),
                j.labelsWithoutEmbeddings(), j.embeddingsWithoutLabels(), j.width()));
        if (data.synthetic() != null) {
            report.line(String.format(Locale.ROOT, "bayes    the generator's Bayes-optimal AUC %.4f (on these rows %.4f)",
                    data.synthetic().bayesAuc(), data.synthetic().sampleBayesAuc()));
        }
        StratifiedSplit.Parts parts;
        try {
            parts = StratifiedSplit.split(j.labels(), ds.split().validation(), ds.split().test(), ds.split().seed());
        } catch (IllegalArgumentException e) {
            throw loaded.error("dataset.split", e.getMessage());
        }
        report.line(String.format(Locale.ROOT, "split    %,d training, %,d validation, %,d test rows (stratified, seed %d)",
                parts.train().length, parts.valid().length, parts.test().length, ds.split().seed()));
        if (ds.selectKBest() > j.width()) {
            throw loaded.error("dataset.select_k_best", "must be <= the vectors' width " + j.width() + ", found "
                    + ds.selectKBest());
        }

        try (RunDirectory run = RunDirectory.begin(target, overwrite)) {
            Path dir = run.dir();
            Path modelDir = Files.createDirectories(dir.resolve(RunFiles.MODEL_DIR));
            Trained kept;
            FrozenTrial bestTrial = null;
            List<FrozenTrial> trials = List.of();
            if (config.search() == null) {
                try (BufferedWriter metrics = Files.newBufferedWriter(dir.resolve(RunFiles.METRICS),
                        StandardCharsets.UTF_8)) {
                    metrics.write(EpochMetrics.csvHeader(Task.BINARY));
                    metrics.newLine();
                    kept = train(config, data, parts, devices, metric, modelDir, Fit.writingCsv(metrics, listener), true);
                }
            } else {
                Search search = new Search(config, data, parts, devices, metric, dir, modelDir);
                kept = search.run();
                bestTrial = search.study.best();
                trials = search.study.trials();
                writeHistory(dir.resolve(RunFiles.METRICS), kept.fit());
                Map<String, Object> best = yamlTree(kept.config());
                Files.writeString(dir.resolve(BEST), "# the best trial (" + bestTrial.number() + ") of the search in "
                        + RunFiles.CONFIG + "; train it with embtrain train " + BEST + "\n" + ConfigBinder.dump(best),
                        StandardCharsets.UTF_8);
            }
            Trained scored = kept;
            if (ds.split().refit()) {
                scored = refit(kept, data, parts, devices, metric, modelDir);
            }
            scored.pre().save(dir.resolve(Preprocessing.FILE));
            Map<String, Double> test = test(scored, data, parts, modelDir, dir, devices[0]);
            StringBuilder line = new StringBuilder("test     ");
            test.forEach((k, v) -> line.append(line.length() == 9 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.4f", k.substring(5), v)));
            line.append(String.format(Locale.ROOT, " (threshold %s, %,d rows)", ds.threshold(), parts.test().length));
            report.line(line.toString());
            double testBayes = data.bayesAucOn(parts.test());
            if (!Double.isNaN(testBayes)) {
                double auc = test.get("test_auc");
                report.line(String.format(Locale.ROOT, "bayes    the Bayes-optimal AUC on the test rows is %.4f (population"
                        + " %.4f); test_auc minus it: %+.4f (%+.4f against the population)", testBayes,
                        data.synthetic().bayesAuc(), auc - testBayes, auc - data.synthetic().bayesAuc()));
            }
            writeConfig(dir, kept, data, parts, test, testBayes, bestTrial, trials, devices);
            if (config.export().plots()) {
                plot(dir.resolve("plots").resolve("metrics.png"), config.name(), kept.fit());
            }
            run.commit();
            return new Outcome(target, kept.fit(), test, bestTrial, trials);
        }
    }

    private static EarlyStoppingConfig.Metric metric(ConfigLoader.Loaded loaded) {
        EarlyStoppingConfig.Metric m = loaded.config().training().earlyStopping().metric();
        if (m == EarlyStoppingConfig.Metric.AUTO) {
            return EarlyStoppingConfig.Metric.VALID_AUC;
        }
        if (m == EarlyStoppingConfig.Metric.TRAIN_LOSS || Task.BINARY.metrics().contains(m.yamlName())) {
            return m;
        }
        throw loaded.error("training.early_stopping.metric", m.yamlName() + " is not measured for a binary label;"
                + " expected one of auto, " + String.join(", ", Task.BINARY.metrics()) + ", train_loss");
    }

    /**
     * Trains one model, saving its best epoch's parameters into {@code modelDir}.
     *
     * @param config the run's (or the trial's) config
     * @param say whether to print the model line
     */
    private Trained train(RunConfig config, LabelledData data, StratifiedSplit.Parts parts, Device[] devices,
            EarlyStoppingConfig.Metric metric, Path modelDir, Fit.Listener progress, boolean say) throws IOException {
        return train(config, data, parts.train(), parts.valid(), devices, metric, modelDir, progress, say, 0);
    }

    /**
     * Trains on some rows. With {@code stopAfter} > 0 it runs exactly that many epochs of the
     * configured schedule (the rate follows the same curve as a full run, cut there) and keeps
     * the last epoch's parameters: the refit, whose validation rows are among its training rows.
     */
    private Trained train(RunConfig config, LabelledData data, int[] trainRows, int[] validRows, Device[] devices,
            EarlyStoppingConfig.Metric metric, Path modelDir, Fit.Listener progress, boolean say, int stopAfter)
            throws IOException {
        LabelledDataset ds = (LabelledDataset) config.dataset();
        LabelledEmbeddings.Joined j = data.joined();
        Preprocessing pre = Preprocessing.fit(j.vectors(), j.labels(), trainRows, ds.selectKBest(),
                ds.standardize());
        TrainingConfig training = config.training();
        Engine.getInstance().setRandomSeed((int) config.seed());
        Block block = LabelledModel.build((WideAndDeepConfig) config.model(), pre.width());
        int batches = (trainRows.length + training.batchSize() - 1) / training.batchSize();
        int totalSteps = batches * training.epochs();
        Tracker lr = dev.embtrain.training.optim.Optimizers.learningRate(training, totalSteps);
        Optimizer optimizer = dev.embtrain.training.optim.Optimizers.optimizer(training, lr, totalSteps);
        Loss loss = new SigmoidBceLoss();
        if (ds.classWeight() == ClassWeight.BALANCED) {
            float[] w = WeightedSigmoidBceLoss.balanced(labels(j.labels(), trainRows));
            loss = new WeightedSigmoidBceLoss(w[0], w[1]);
        }
        DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(loss).optOptimizer(optimizer)
                .optDevices(devices);
        try (Model model = Model.newInstance(RunFiles.MODEL_NAME, devices[0])) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(trainingConfig);
                    Batches train = batches(trainer, devices[0], j, pre, trainRows);
                    Batches valid = batches(trainer, devices[0], j, pre, validRows)) {
                trainer.initialize(LabelledModel.inputShapes(training.batchSize(), pre.width()));
                if (say) {
                    long parameters = block.getParameters().values().stream()
                            .mapToLong(p -> p.getArray().getShape().size()).sum();
                    report.line(String.format(Locale.ROOT, "model    wide-and-deep on %d dense columns%s, layers %s, %,d"
                                    + " parameters; loss %s; device %s", pre.width(),
                            pre.width() < j.width() ? " (SelectKBest of " + j.width() + ")" : "",
                            ((WideAndDeepConfig) config.model()).layers(), parameters,
                            ds.classWeight() == ClassWeight.BALANCED ? "class-weighted BCE" : "BCE", devices[0]));
                }
                Fit.Options options = new Fit.Options(Task.BINARY, stopAfter > 0 ? stopAfter : training.epochs(),
                        training.batchSize(), config.seed(), metric, stopAfter > 0 ? 0 : training.earlyStopping()
                        .patience(), training.earlyStopping().minDelta(), lr, optimizer);
                // A refit keeps its last epoch, so it writes the parameters once, at the end.
                Fit.Result result = Fit.fit(trainer, train, valid, options,
                        stopAfter > 0 ? epoch -> { } : epoch -> RunFiles.saveBest(model, modelDir, epoch), progress);
                if (stopAfter > 0) {
                    RunFiles.saveBest(model, modelDir, stopAfter);
                }
                return new Trained(result, pre, config);
            }
        }
    }

    /**
     * Trains the chosen config again, from scratch, on training + validation rows for the chosen
     * number of epochs, into {@code modelDir}.
     */
    private Trained refit(Trained chosen, LabelledData data, StratifiedSplit.Parts parts, Device[] devices,
            EarlyStoppingConfig.Metric metric, Path modelDir) throws IOException {
        int epochs = chosen.fit().bestEpoch();
        int[] rows = parts.trainAndValid();
        clear(modelDir);
        Trained t = train(chosen.config(), data, rows, parts.valid(), devices, metric, modelDir, listener, false,
                epochs);
        report.line(String.format(Locale.ROOT, "refit    the chosen config again on %,d training + validation rows for"
                + " its %d epoch%s; train_loss %.4f", rows.length, epochs, epochs == 1 ? "" : "s",
                t.fit().history().get(epochs - 1).trainLoss()));
        return t;
    }

    private static int[] labels(int[] all, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = all[rows[i]];
        }
        return out;
    }

    private static Batches batches(Trainer trainer, Device device, LabelledEmbeddings.Joined j, Preprocessing pre,
            int[] rows) {
        float[] y = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            y[i] = j.labels()[rows[i]];
        }
        return new Batches(trainer.getManager(), device, new long[0], 0, pre.apply(j.vectors(), rows), pre.width(), y);
    }

    private static void clear(Path dir) throws IOException {
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Loads a saved model for scoring.
     *
     * @param config the model section
     * @param width the preprocessed width
     * @param modelDir the parameters' directory
     * @param device where to score
     * @return the model; close it
     * @throws IOException when the parameters cannot be read
     */
    static Model load(WideAndDeepConfig config, int width, Path modelDir, Device device) throws IOException {
        Model model = Model.newInstance(RunFiles.MODEL_NAME, device);
        model.setBlock(LabelledModel.build(config, width));
        try {
            model.load(modelDir, RunFiles.MODEL_NAME);
        } catch (MalformedModelException e) {
            model.close();
            throw new IOException("cannot read the parameters in " + modelDir + ": " + e.getMessage(), e);
        }
        return model;
    }

    private Map<String, Double> test(Trained kept, LabelledData data, StratifiedSplit.Parts parts, Path modelDir,
            Path dir, Device device) throws IOException {
        LabelledEmbeddings.Joined j = data.joined();
        int[] rows = parts.test();
        float[] logits;
        try (Model model = load((WideAndDeepConfig) kept.config().model(), kept.pre().width(), modelDir, device)) {
            logits = LabelledModel.logits(model, kept.pre().apply(j.vectors(), rows), rows.length, kept.pre().width());
        }
        double[] z = new double[rows.length];
        double[] p = new double[rows.length];
        int[] y = labels(j.labels(), rows);
        StringBuilder predictions = new StringBuilder("rid,label,score\n");
        for (int i = 0; i < rows.length; i++) {
            z[i] = logits[i];
            float score = LabelledModel.probability(logits[i]);
            p[i] = dev.embtrain.training.metrics.BinaryMetrics.sigmoid(logits[i]);
            predictions.append(j.ids()[rows[i]]).append(',').append(y[i]).append(',').append(score).append('\n');
        }
        double threshold = ((LabelledDataset) kept.config().dataset()).threshold();
        Map<String, Double> m = TestReport.metrics(z, y, threshold);
        Files.writeString(dir.resolve(TEST_PREDICTIONS), predictions, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(REPORT), TestReport.classificationReportCsv(p, y, threshold),
                StandardCharsets.UTF_8);
        StringBuilder csv = new StringBuilder("metric,value\n");
        m.forEach((k, v) -> csv.append(k).append(',').append(v).append('\n'));
        Files.writeString(dir.resolve(TEST_METRICS), csv, StandardCharsets.UTF_8);
        return m;
    }

    private static void writeHistory(Path file, Fit.Result fit) throws IOException {
        StringBuilder sb = new StringBuilder(EpochMetrics.csvHeader(Task.BINARY)).append('\n');
        for (EpochMetrics m : fit.history()) {
            sb.append(m.csvRow()).append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    private static void plot(Path file, String name, Fit.Result fit) throws IOException {
        Files.createDirectories(file.getParent());
        List<EpochMetrics> h = fit.history();
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("train_loss", h.stream().mapToDouble(EpochMetrics::trainLoss).toArray());
        series.put("valid_log_loss", h.stream().mapToDouble(m -> m.valid().get("valid_log_loss")).toArray());
        Plots.metricCurves(file, name + ": loss per epoch", h.stream().map(EpochMetrics::epoch).toList(), series,
                "cross-entropy");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yamlTree(RunConfig config) {
        return (Map<String, Object>) ConfigBinder.toYaml(config);
    }

    private void writeConfig(Path dir, Trained kept, LabelledData data, StratifiedSplit.Parts parts,
            Map<String, Double> test, double testBayes, FrozenTrial bestTrial, List<FrozenTrial> trials,
            Device[] devices)
            throws IOException {
        Map<String, Object> tree = yamlTree(loaded.config());
        LabelledEmbeddings.Joined j = data.joined();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("note", "written by embtrain; ignored when this file is read as a config");
        r.put("evkey", j.evkeys().size() == 1 ? j.evkeys().get(0) : j.evkeys());
        r.put("labels_file", data.labels().toString());
        r.put("embeddings_file", data.embeddings().path().toString());
        r.put("joined", j.size());
        r.put("positives", j.positives());
        r.put("labels_without_embeddings", j.labelsWithoutEmbeddings());
        r.put("embeddings_without_labels", j.embeddingsWithoutLabels());
        r.put("width", j.width());
        r.put("input_width", kept.pre().width());
        r.put("train_rows", parts.train().length);
        r.put("valid_rows", parts.valid().length);
        r.put("test_rows", parts.test().length);
        r.put("train_positives", sum(labels(j.labels(), parts.train())));
        r.put("valid_positives", sum(labels(j.labels(), parts.valid())));
        r.put("test_positives", sum(labels(j.labels(), parts.test())));
        if (((LabelledDataset) kept.config().dataset()).split().refit()) {
            Map<String, Object> refit = new LinkedHashMap<>();
            refit.put("rows", parts.train().length + parts.valid().length);
            refit.put("epochs", kept.fit().bestEpoch());
            r.put("refit", refit);
        }
        if (data.synthetic() != null) {
            r.put("bayes_auc", data.synthetic().bayesAuc());
            r.put("sample_bayes_auc", data.synthetic().sampleBayesAuc());
            r.put("test_bayes_auc", testBayes);
            r.put("generator_bias", data.bias());
        }
        Fit.Result fit = kept.fit();
        r.put("best_epoch", fit.bestEpoch());
        r.put("epochs_run", fit.history().size());
        for (Map.Entry<String, Double> m : fit.best().valid().entrySet()) {
            r.put("best_" + m.getKey(), m.getValue());
        }
        r.putAll(test);
        if (bestTrial != null) {
            r.put("search_best_trial", bestTrial.number());
            Map<String, Object> params = new LinkedHashMap<>();
            bestTrial.params().forEach((k, v) -> params.put(k, v));
            r.put("search_best_params", params);
            r.put("search_trials_complete", trials.stream().filter(t -> t.state() == TrialState.COMPLETE).count());
            r.put("search_trials_pruned", trials.stream().filter(t -> t.state() == TrialState.PRUNED).count());
        }
        r.put("devices", List.of(devices).stream().map(Device::toString).toList());
        r.put("djl_version", Engine.getDjlVersion());
        r.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        r.put("git_commit", System.getProperty("embtrain.git.commit", "unknown"));
        r.put("java", System.getProperty("java.version"));
        r.put("finished", Instant.now().toString());
        tree.put(ConfigLoader.RESOLVED, r);
        Files.writeString(dir.resolve(RunFiles.CONFIG), ConfigBinder.dump(tree), StandardCharsets.UTF_8);
    }

    private static int sum(int[] v) {
        int s = 0;
        for (int x : v) {
            s += x;
        }
        return s;
    }

    /** The keys a search may name, checked before any data is read. */
    private void checkSearch() {
        SearchConfig search = loaded.config().search();
        for (int i = 0; i < search.space().size(); i++) {
            SearchConfig.ParamConfig p = search.space().get(i);
            String where = "search.space[" + i + "].key";
            if (p.key().startsWith("search.") || p.key().equals("name") || (p.key().startsWith("dataset.")
                    && !TUNABLE_DATASET_KEYS.contains(p.key()))) {
                throw loaded.error("search.space", p.key() + " cannot be searched: the search tunes how the model is"
                        + " trained; of the dataset keys only " + new java.util.TreeSet<>(TUNABLE_DATASET_KEYS)
                        + " may vary (" + where + ")");
            }
            Distribution d = p.distribution();
            for (Object v : List.of(d.fromInternal(d.internalLow()), d.fromInternal(d.internalHigh()))) {
                try {
                    trialConfig(List.of(p.key() + "=" + v));
                } catch (ConfigException e) {
                    throw loaded.error("search.space", "entry " + i + " does not fit the config: " + e.getMessage());
                }
            }
        }
    }

    /** Loads the run's config with a trial's values applied, through the same binder and checks. */
    private ConfigLoader.Loaded trialConfig(List<String> overrides) {
        Map<String, Object> tree = yamlTree(loaded.config());
        tree.remove("search");
        ConfigLoader.Loaded l = ConfigLoader.load(ConfigBinder.dump(tree), "the search's trial config", overrides);
        checkModel(l);
        return l;
    }

    /** Trials one after another, keeping the best complete trial's parameters in {@code model/}. */
    private final class Search {
        private final RunConfig config;
        private final LabelledData data;
        private final StratifiedSplit.Parts parts;
        private final Device[] devices;
        private final EarlyStoppingConfig.Metric metric;
        private final Path trialDir;
        private final Path modelDir;
        private final Path trialsCsv;
        private final Study study;
        private Trained best;
        private double bestValue = Double.NEGATIVE_INFINITY;

        Search(RunConfig config, LabelledData data, StratifiedSplit.Parts parts, Device[] devices,
                EarlyStoppingConfig.Metric metric, Path dir, Path modelDir) throws IOException {
            this.config = config;
            this.data = data;
            this.parts = parts;
            this.devices = devices;
            this.metric = metric;
            this.modelDir = modelDir;
            this.trialDir = Files.createDirectories(dir.resolve(".trial-model"));
            this.trialsCsv = dir.resolve(TRIALS);
            SearchConfig s = config.search();
            this.study = new Study(s.searchSpace(), s.sampler().create(), s.pruner().create(), s.seed());
            Map<String, Object> defaults = defaults(s);
            if (defaults != null) {
                study.enqueue(defaults);
                report.line("search   " + s.trials() + " trials, " + s.sampler().type() + " sampler, " + s.pruner().type()
                        + " pruner; trial 0 is the config's own values " + defaults);
            } else {
                report.line("search   " + s.trials() + " trials, " + s.sampler().type() + " sampler, " + s.pruner().type()
                        + " pruner; the config's own values lie outside the space, so every trial is sampled");
            }
        }

        Trained run() throws Exception {
            try {
                study.optimize(config.search().trials(), trial -> {
                    RunConfig c = trialConfig(trial.overrides()).config();
                    Fit.Listener pruning = new Fit.Listener() {
                        @Override
                        public void onEpoch(EpochMetrics m, boolean improved) {
                            trial.report(m.epoch(), m.valid().get("valid_auc"));
                        }
                    };
                    clear(trialDir);
                    Trained t = train(c, data, parts, devices, metric, trialDir, pruning, false);
                    double value = t.fit().best().valid().get("valid_auc");
                    if (value > bestValue) {
                        bestValue = value;
                        best = t;
                        clear(modelDir);
                        try (Stream<Path> files = Files.list(trialDir)) {
                            for (Path f : files.toList()) {
                                Files.copy(f, modelDir.resolve(f.getFileName()));
                            }
                        }
                    }
                    return value;
                }, trialsCsv, t -> report.line(Study.progressLine(t)));
            } catch (IllegalStateException e) {
                if (best == null) {
                    throw new IllegalStateException("every trial of the search was pruned; see " + TRIALS
                            + " (lower the pruner's startup_trials or raise warmup_epochs)", e);
                }
                throw e;
            } finally {
                RunDirectory.deleteTree(trialDir);
            }
            return best;
        }

        /** The config's own value for every key of the space, or null when one lies outside it. */
        private Map<String, Object> defaults(SearchConfig s) {
            Map<String, Object> tree = yamlTree(config);
            Map<String, Object> out = new LinkedHashMap<>();
            for (SearchConfig.ParamConfig p : s.space()) {
                Object v = tree;
                for (String k : p.key().split("\\.")) {
                    v = v instanceof Map<?, ?> m ? m.get(k) : null;
                }
                Object value = null;
                Distribution d = p.distribution();
                if (d instanceof Distribution.Choice c) {
                    for (String option : c.values()) {
                        if (sameYaml(new org.yaml.snakeyaml.Yaml().load(option), v)) {
                            value = option;
                        }
                    }
                } else if (d instanceof Distribution.IntUniform i) {
                    if (v instanceof Number n && n.doubleValue() == n.intValue() && n.intValue() >= i.low()
                            && n.intValue() <= i.high()) {
                        value = n.intValue();
                    }
                } else if (v instanceof Number n) {
                    double x = d.toInternal(n.doubleValue());
                    if (x >= d.internalLow() && x <= d.internalHigh()) {
                        value = n.doubleValue();
                    }
                }
                if (value == null) {
                    return null;
                }
                out.put(p.key(), value);
            }
            return out;
        }
    }

    private static boolean sameYaml(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!sameYaml(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a != null && b != null && a.toString().equals(b.toString());
    }
}
