package dev.embtrain.training.job;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.embtrain.datasets.features.FeatureSchema;
import dev.embtrain.datasets.movielens.SideTables;
import dev.embtrain.models.EmbeddingTable;
import dev.embtrain.models.HasEmbeddingTables;
import dev.embtrain.training.config.ConfigBinder;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.EarlyStoppingConfig;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.config.TrainingConfig;
import dev.embtrain.training.data.Batches;
import dev.embtrain.training.engine.Devices;
import dev.embtrain.training.engine.EpochMetrics;
import dev.embtrain.training.engine.Fit;
import dev.embtrain.training.engine.MseLoss;
import dev.embtrain.training.engine.SigmoidBceLoss;
import dev.embtrain.training.engine.Task;
import dev.embtrain.training.export.TableExport;
import dev.embtrain.training.optim.Optimizers;
import dev.embtrain.training.plot.Plots;
import dev.embtrain.training.run.RunDirectory;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code embtrain train}: config → dataset → vocabularies → model → DJL trainer → run directory
 * → exported embeddings. The run directory appears only when everything succeeded.
 */
public final class TrainJob {

    /** What a finished run reports. */
    public record Outcome(Path runDir, Fit.Result fit, RatingsData data) {}

    /** Where {@code export.serving: true} writes the DJL Serving directory inside the run. */
    public static final String SERVING_DIR = "serving";
    /** Where {@code export.plots: true} draws, inside the run. */
    public static final String PLOTS_DIR = "plots";
    /** How many items of lowest and of highest bias the PCA map labels. */
    private static final int LABELLED = 8;

    private final ConfigLoader.Loaded loaded;
    private final Path target;
    private final boolean overwrite;
    private final Fit.Listener listener;
    private final Report report;

    /** Where the job says what it is doing; the CLI prints, tests may collect. */
    public interface Report {
        /**
         * Reports a line.
         *
         * @param line the line
         */
        void line(String line);
    }

    /**
     * Prepares a job.
     *
     * @param loaded the config
     * @param runDir where the run goes, or null for {@code runs/<name>}
     * @param overwrite whether an existing run may be replaced
     * @param listener progress per batch and epoch
     * @param report status lines
     */
    public TrainJob(ConfigLoader.Loaded loaded, Path runDir, boolean overwrite, Fit.Listener listener, Report report) {
        this.loaded = loaded;
        this.target = runDir != null ? runDir : Path.of("runs", loaded.config().name());
        this.overwrite = overwrite;
        this.listener = listener;
        this.report = report;
    }

    /**
     * Runs the job.
     *
     * @return the run directory and the training history
     * @throws IOException when reading data or writing the run fails
     */
    public Outcome run() throws IOException {
        RunConfig config = loaded.config();
        TrainingConfig training = config.training();
        RunDirectory.checkWritable(target, overwrite);
        Device[] devices;
        try {
            devices = Devices.resolve(training.device());
        } catch (IllegalArgumentException e) {
            throw loaded.error("training.device", e.getMessage());
        }
        Task task = ModelFactory.task(config.model());
        EarlyStoppingConfig.Metric metric = metric(training.earlyStopping().metric(), task);
        RatingsData data = RatingsData.load(loaded);
        try {
            ModelFactory.check(config.model(), data.schema());
        } catch (ModelFactory.Mismatch e) {
            throw loaded.error(e.key(), e.getMessage());
        }
        report.line(describe(data));
        if (data.train().rows() == 0 || data.valid().rows() == 0) {
            throw new IllegalStateException("the split left " + data.train().rows() + " training and "
                    + data.valid().rows() + " validation rows; both must be non-empty");
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (FeatureSchema.Column c : data.schema().columns()) {
            sizes.put(c.name(), c.size());
        }

        Engine.getInstance().setRandomSeed((int) config.seed());
        Block block = ModelFactory.build(config.model(), data.schema());
        int batches = (data.train().rows() + training.batchSize() - 1) / training.batchSize();
        int totalSteps = batches * training.epochs();
        Tracker lr = Optimizers.learningRate(training, totalSteps);
        Optimizer optimizer = Optimizers.optimizer(training, lr, totalSteps);
        DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(
                task == Task.BINARY ? new SigmoidBceLoss() : new MseLoss())
                .optOptimizer(optimizer)
                .optDevices(devices);

        try (RunDirectory run = RunDirectory.begin(target, overwrite);
                Model model = Model.newInstance(RunFiles.MODEL_NAME, devices[0])) {
            model.setBlock(block);
            Path dir = run.dir();
            Path modelDir = Files.createDirectories(dir.resolve(RunFiles.MODEL_DIR));
            Fit.Result result;
            try (Trainer trainer = model.newTrainer(trainingConfig);
                    Batches train = batches(trainer, devices[0], data.train());
                    Batches valid = batches(trainer, devices[0], data.valid());
                    BufferedWriter metrics = Files.newBufferedWriter(dir.resolve(RunFiles.METRICS),
                            StandardCharsets.UTF_8)) {
                trainer.initialize(inputShapes(data.schema(), training.batchSize()));
                long parameters = block.getParameters().values().stream()
                        .mapToLong(p -> p.getArray().getShape().size()).sum();
                report.line(String.format("model    %s, %,d parameters; device %s", config.model().type(), parameters,
                        devices.length == 1 ? devices[0] : List.of(devices)));
                metrics.write(EpochMetrics.csvHeader(task));
                metrics.newLine();
                Fit.Listener csv = Fit.writingCsv(metrics, listener);
                Fit.Options options = new Fit.Options(task, training.epochs(), training.batchSize(), config.seed(),
                        metric, training.earlyStopping().patience(),
                        training.earlyStopping().minDelta(), lr, optimizer);
                result = Fit.fit(trainer, train, valid, options, epoch -> RunFiles.saveBest(model, modelDir, epoch), csv);
            }
            // Export what the best epoch learned, not the last.
            try {
                model.load(modelDir, RunFiles.MODEL_NAME);
            } catch (ai.djl.MalformedModelException e) {
                throw new IOException("cannot reload the best epoch's parameters from " + modelDir, e);
            }
            writeVocabularies(dir, data, config);
            export(dir, block, data, config);
            writeConfig(dir, config, block, data, sizes, result, devices, task);
            if (config.export().plots()) {
                plots(dir.resolve(PLOTS_DIR), config, block, data, result);
            }
            if (config.export().serving()) {
                ServingExport.write(dir, dir.resolve(SERVING_DIR), false);
            }
            run.commit();
            return new Outcome(target, result, data);
        }
    }

    private EarlyStoppingConfig.Metric metric(EarlyStoppingConfig.Metric metric, Task task) {
        if (metric == EarlyStoppingConfig.Metric.AUTO) {
            return task == Task.BINARY ? EarlyStoppingConfig.Metric.VALID_AUC : EarlyStoppingConfig.Metric.VALID_MSE;
        }
        if (metric == EarlyStoppingConfig.Metric.TRAIN_LOSS || task.metrics().contains(metric.yamlName())) {
            return metric;
        }
        throw loaded.error("training.early_stopping.metric", metric.yamlName() + " is not measured when predicting "
                + (task == Task.BINARY ? "a binary label" : "ratings") + "; expected one of auto, "
                + String.join(", ", task.metrics()) + ", train_loss");
    }

    private static Batches batches(Trainer trainer, Device device, FeatureSchema.Encoded e) {
        return new Batches(trainer.getManager(), device, e.ids(), e.idWidth(), e.dense(), e.denseWidth(), e.labels());
    }

    /**
     * Returns the input shapes of a batch: ids {@code [B, F]}, and dense {@code [B, G]} when G &gt; 0.
     *
     * @param schema the schema
     * @param batch B
     * @return the shapes
     */
    static Shape[] inputShapes(FeatureSchema schema, int batch) {
        return schema.denseWidth() == 0 ? new Shape[] {new Shape(batch, schema.idWidth())}
                : new Shape[] {new Shape(batch, schema.idWidth()), new Shape(batch, schema.denseWidth())};
    }

    private static String describe(RatingsData data) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("data     %s (%s format) %s: %,d ratings; vocabularies from the training split: %,d users, %,d items"
                        + " (+1 unknown each)",
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
            sb.append(String.format(java.util.Locale.ROOT, "%nbaseline valid_auc %.4f scoring each item by its positive"
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
            if (c.kind() == FeatureSchema.Kind.CATEGORICAL || c.kind() == FeatureSchema.Kind.BAG) {
                data.schema().vocabulary(c.name()).save(dir.resolve(RunFiles.vocabulary(c.name())));
            }
        }
        RunFiles.writeSchema(dir, data.schema());
        if (FeatureModels.uses(config)) {
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
        FeatureSchema.Column c = data.schema().column(field);
        if (c.kind() == FeatureSchema.Kind.CROSS || c.kind() == FeatureSchema.Kind.BAG_CROSS) {
            return RunFiles.bucketLabels(c.size());
        }
        return data.schema().vocabulary(field).tokens();
    }

    private static void plots(Path dir, RunConfig config, Block block, RatingsData data, Fit.Result result)
            throws IOException {
        List<EpochMetrics> h = result.history();
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("train_loss", h.stream().mapToDouble(EpochMetrics::trainLoss).toArray());
        Task task = h.get(0).task();
        if (task == Task.BINARY) {
            series.put("valid_log_loss", h.stream().mapToDouble(m -> m.valid().get("valid_log_loss")).toArray());
        } else {
            series.put("valid_mse", h.stream().mapToDouble(EpochMetrics::validMse).toArray());
        }
        Plots.metricCurves(dir.resolve("metrics.png"), config.name() + ": loss per epoch",
                h.stream().map(EpochMetrics::epoch).toList(), series,
                task == Task.BINARY ? "cross-entropy" : "mean squared error");
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
                        vectors, labels, Plots.extremes(values, LABELLED, java.util.Set.of()));
            }
        }
    }

    private static void writeConfig(Path dir, RunConfig config, Block block, RatingsData data,
            Map<String, Integer> sizes, Fit.Result result, Device[] devices, Task task) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) ConfigBinder.toYaml(config);
        Map<String, Object> resolved = new LinkedHashMap<>();
        resolved.put("note", "written by embtrain; ignored when this file is read as a config");
        resolved.put("vocabulary_sizes", sizes);
        if (config.model() instanceof dev.embtrain.training.config.WideAndDeepConfig wd) {
            resolved.put("embedding_widths", ModelFactory.embeddingWidths(wd, data.schema()));
        }
        resolved.put("id_columns", data.schema().idWidth());
        resolved.put("dense_columns", data.schema().denseWidth());
        if (block instanceof HasEmbeddingTables model) {
            Map<String, List<Long>> shapes = new LinkedHashMap<>();
            for (EmbeddingTable t : model.embeddingTables()) {
                shapes.put(t.name(), java.util.Arrays.stream(t.parameter().getArray().getShape().getShape()).boxed()
                        .toList());
            }
            resolved.put("table_shapes", shapes);
        }
        resolved.put("train_rows", data.train().rows());
        resolved.put("valid_rows", data.valid().rows());
        resolved.put("data_format", data.table().format());
        data.noiseFloor().ifPresent(f -> resolved.put("noise_floor_mse", f));
        resolved.put("best_epoch", result.bestEpoch());
        for (Map.Entry<String, Double> m : result.best().valid().entrySet()) {
            resolved.put("best_" + m.getKey(), m.getValue());
        }
        if (task == Task.BINARY) {
            double[] baseline = PopularityBaseline.auc(data);
            resolved.put("baseline_valid_auc_item_positive_rate", baseline[0]);
            resolved.put("baseline_valid_auc_item_rating_count", baseline[1]);
        }
        resolved.put("epochs_run", result.history().size());
        resolved.put("devices", List.of(devices).stream().map(Device::toString).toList());
        resolved.put("djl_version", Engine.getDjlVersion());
        resolved.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        resolved.put("git_commit", System.getProperty("embtrain.git.commit", "unknown"));
        resolved.put("java", System.getProperty("java.version"));
        resolved.put("finished", Instant.now().toString());
        tree.put(ConfigLoader.RESOLVED, resolved);
        Files.writeString(dir.resolve(RunFiles.CONFIG), ConfigBinder.dump(tree), StandardCharsets.UTF_8);
    }
}
