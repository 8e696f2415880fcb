package dev.embtrain.training.job;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.embtrain.datasets.sampling.SkipGram;
import dev.embtrain.models.EmbeddingBag;
import dev.embtrain.models.EmbeddingTable;
import dev.embtrain.training.config.ConfigBinder;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.EarlyStoppingConfig;
import dev.embtrain.training.config.EmbeddingBagConfig;
import dev.embtrain.training.config.OnlineRetailConfig;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.config.TrainingConfig;
import dev.embtrain.training.engine.CandidateLoss;
import dev.embtrain.training.engine.Devices;
import dev.embtrain.training.export.Npy;
import dev.embtrain.training.export.ProjectorTsv;
import dev.embtrain.training.export.TableExport;
import dev.embtrain.training.metrics.NextItem;
import dev.embtrain.training.optim.Optimizers;
import dev.embtrain.training.plot.Plots;
import dev.embtrain.training.run.RunDirectory;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * {@code embtrain train} for item2vec ({@code model.type: embedding-bag} on session data):
 * sessions → vocabulary → skip-gram pairs (or CBOW examples) drawn afresh each epoch with
 * negatives → {@link EmbeddingBag} trained with the {@code training} section's optimizer → per
 * epoch validation Recall@10 and MRR@10 of the next item by cosine over the item table → the
 * best epoch's parameters kept (early stopping with patience) → test Recall@10 and MRR@10 once,
 * beside popularity and next-item co-occurrence baselines on the same pairs → run directory.
 *
 * <p>Examples are drawn and cut into batches on a producer thread, a bounded queue ahead of the
 * training thread, so the DJL step only wraps ready {@code long[]} arrays; the producer's random
 * streams are fixed by the seed, so its timing never changes the examples.
 */
public final class Item2VecJob {

    /** The CSV header of {@code metrics.csv}. */
    public static final String CSV_HEADER =
            "epoch,train_loss,valid_recall_at_10,valid_mrr_at_10,seconds,pairs_per_second,learning_rate";
    /** Where the plots go inside the run. */
    public static final String PLOTS_DIR = "plots";
    /** Batches the producer may run ahead of training. */
    private static final int QUEUE = 8;

    private final ConfigLoader.Loaded loaded;
    private final Path target;
    private final boolean overwrite;
    private final Progress progress;
    private final TrainJob.Report report;

    /**
     * One epoch's numbers.
     *
     * @param epoch the epoch, from 1
     * @param trainLoss the mean loss over the epoch's batches
     * @param validRecall validation Recall@10
     * @param validMrr validation MRR@10
     * @param seconds time spent training the epoch (validation not included)
     * @param examplesPerSecond training examples (pairs) per second
     * @param examples the epoch's training examples
     * @param learningRate the rate at the epoch's last step
     */
    public record Epoch(int epoch, double trainLoss, double validRecall, double validMrr, double seconds,
            double examplesPerSecond, long examples, float learningRate) {
        /**
         * Returns the value of a monitored metric.
         *
         * @param metric valid_recall_at_10, valid_mrr_at_10 or train_loss
         * @return its value
         */
        public double value(EarlyStoppingConfig.Metric metric) {
            return switch (metric) {
                case VALID_RECALL_AT_10 -> validRecall;
                case VALID_MRR_AT_10 -> validMrr;
                case TRAIN_LOSS -> trainLoss;
                default -> throw new IllegalArgumentException(metric.yamlName() + " is not measured by item2vec");
            };
        }

        /**
         * Returns the epoch as a row of {@link #CSV_HEADER}.
         *
         * @return the row
         */
        public String csvRow() {
            return epoch + "," + trainLoss + "," + validRecall + "," + validMrr + ","
                    + String.format(Locale.ROOT, "%.3f", seconds) + ","
                    + String.format(Locale.ROOT, "%.1f", examplesPerSecond) + "," + learningRate;
        }
    }

    /**
     * What a finished run reports.
     *
     * @param runDir the run directory
     * @param history one entry per epoch run
     * @param bestEpoch the epoch whose parameters were kept
     * @param stoppedEarly whether patience ran out
     * @param test the kept epoch's test scores
     * @param popularity the popularity baseline on the test pairs
     * @param cooccurrence the next-item co-occurrence baseline on the test pairs
     * @param data the data
     */
    public record Outcome(Path runDir, List<Epoch> history, int bestEpoch, boolean stoppedEarly,
            NextItem.Scores test, NextItem.Scores popularity, NextItem.Scores cooccurrence, SessionsData data) {
        /**
         * Returns the kept epoch.
         *
         * @return its numbers
         */
        public Epoch best() {
            return history.get(bestEpoch - 1);
        }

        /**
         * Returns the mean seconds of an epoch's training.
         *
         * @return seconds per epoch
         */
        public double secondsPerEpoch() {
            return history.stream().mapToDouble(Epoch::seconds).average().orElse(0);
        }
    }

    /** Receives progress on the training thread. */
    public interface Progress {
        /**
         * Called after each optimizer step.
         *
         * @param epoch the epoch, from 1
         * @param batch the batch, from 1
         * @param batches batches in the epoch
         */
        default void onBatch(int epoch, int batch, int batches) {}

        /**
         * Called after each epoch's validation.
         *
         * @param epoch the epoch's numbers
         * @param best whether it is the best so far
         */
        default void onEpoch(Epoch epoch, boolean best) {}
    }

    /**
     * Prepares a job.
     *
     * @param loaded the config; its model must be embedding-bag on a session dataset
     * @param runDir where the run goes, or null for {@code runs/<name>}
     * @param overwrite whether an existing run may be replaced
     * @param progress per batch and epoch
     * @param report status lines
     */
    public Item2VecJob(ConfigLoader.Loaded loaded, Path runDir, boolean overwrite, Progress progress,
            TrainJob.Report report) {
        this.loaded = loaded;
        this.target = runDir != null ? runDir : Path.of("runs", loaded.config().name());
        this.overwrite = overwrite;
        this.progress = progress;
        this.report = report;
    }

    /**
     * Returns whether a config is an item2vec run.
     *
     * @param config the config
     * @return whether its model is embedding-bag
     */
    public static boolean handles(RunConfig config) {
        return config.model() instanceof EmbeddingBagConfig;
    }

    /**
     * Builds the block a model section names.
     *
     * @param config the model section
     * @param vocabularySize items + 1 (unknown)
     * @return the uninitialised block
     */
    public static EmbeddingBag block(EmbeddingBagConfig config, int vocabularySize) {
        return EmbeddingBag.builder().setVocabularySize(vocabularySize).setVectorSize(config.vectorSize())
                .optMode(config.mode()).optPooling(config.pooling()).build();
    }

    /**
     * Runs the job.
     *
     * @return the outcome
     * @throws IOException when reading data or writing the run fails
     */
    public Outcome run() throws IOException {
        RunConfig config = loaded.config();
        TrainingConfig training = config.training();
        EmbeddingBagConfig m = (EmbeddingBagConfig) config.model();
        RunDirectory.checkWritable(target, overwrite);
        Device[] devices;
        try {
            devices = Devices.resolve(training.device());
        } catch (IllegalArgumentException e) {
            throw loaded.error("training.device", e.getMessage());
        }
        Device device = devices[0];
        EarlyStoppingConfig.Metric metric = metric(training.earlyStopping().metric());
        if (config.export().serving()) {
            throw loaded.error("export.serving", "item2vec runs have no DJL Serving export (it serves rating models);"
                    + " their tables are written to embeddings/ as .npy and Projector TSV: set it to false");
        }
        SessionsData data = SessionsData.load(loaded);
        report.line(describe(data));

        Engine.getInstance().setRandomSeed((int) config.seed());
        SplittableRandom seeds = new SplittableRandom(config.seed());
        SkipGram.NoiseSampler noise = new SkipGram.NoiseSampler(data.counts(), m.nsExponent(), seeds.nextLong());
        double[] keep = SkipGram.keepProbabilities(data.counts(), m.sample());
        Examples first = Examples.draw(data.train(), m, keep, seeds.split());
        if (first.size() == 0) {
            throw new IllegalStateException("the training sessions give no " + (m.mode() == EmbeddingBag.Mode.CBOW
                    ? "CBOW examples" : "skip-gram pairs") + ": every session has fewer than two known items");
        }
        int batchSize = training.batchSize();
        int batchesPerEpoch = (first.size() + batchSize - 1) / batchSize;
        int totalSteps = batchesPerEpoch * training.epochs();
        Tracker lr = Optimizers.learningRate(training, totalSteps);
        Optimizer optimizer = Optimizers.optimizer(training, lr, totalSteps);
        EmbeddingBag block = block(m, data.vocabulary().size());
        DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(new CandidateLoss(m.loss()))
                .optOptimizer(optimizer)
                .optDevices(new Device[] {device});

        try (RunDirectory run = RunDirectory.begin(target, overwrite);
                Model model = Model.newInstance(RunFiles.MODEL_NAME, device)) {
            model.setBlock(block);
            Path dir = run.dir();
            Path modelDir = Files.createDirectories(dir.resolve(RunFiles.MODEL_DIR));
            List<Epoch> history = new ArrayList<>();
            int bestEpoch = 0;
            boolean stoppedEarly = false;
            try (Trainer trainer = model.newTrainer(trainingConfig);
                    Producer producer = new Producer(data.train(), m, keep, noise, seeds, first, batchSize,
                            training.epochs());
                    BufferedWriter metrics = Files.newBufferedWriter(dir.resolve(RunFiles.METRICS),
                            StandardCharsets.UTF_8)) {
                int width = 1 + m.negative();
                Shape firstShape = m.mode() == EmbeddingBag.Mode.CBOW ? new Shape(batchSize, 2L * m.window())
                        : new Shape(batchSize);
                if (m.sharedNegatives() > 0) {
                    trainer.initialize(firstShape, new Shape(batchSize), new Shape(m.sharedNegatives()));
                } else {
                    trainer.initialize(firstShape, new Shape(batchSize, width));
                }
                long parameters = block.getParameters().values().stream()
                        .mapToLong(p -> p.getArray().getShape().size()).sum();
                report.line(String.format("model    embedding-bag %s, vector_size %d, window %d, negative %d%s, %,d"
                                + " parameters; device %s%s", ConfigBinder.yamlName(m.mode()), m.vectorSize(),
                        m.window(), m.negative(), m.sharedNegatives() > 0
                                ? " (from a pool of " + m.sharedNegatives() + " shared by each batch)" : "",
                        parameters, device,
                        devices.length > 1 ? " (item2vec trains on one device)" : ""));
                report.line(String.format("examples %,d %s in epoch 1, %,d batches of %,d", first.size(),
                        m.mode() == EmbeddingBag.Mode.CBOW ? "CBOW examples" : "skip-gram pairs", batchesPerEpoch,
                        batchSize));
                metrics.write(CSV_HEADER);
                metrics.newLine();
                List<Parameter> trained = block.getParameters().values().stream()
                        .filter(Parameter::requiresGradient).toList();
                double best = Double.NaN;
                int step = 0;
                for (int epoch = 1; epoch <= training.epochs(); epoch++) {
                    long begin = System.nanoTime();
                    int batches;
                    long examples = 0;
                    double lossSum;
                    try (NDManager epochManager = trainer.getManager().newSubManager()) {
                        NDArray lossTotal = epochManager.zeros(new Shape());
                        batches = producer.startEpoch();
                        for (int b = 1; b <= batches; b++) {
                            Prepared batch = producer.next();
                            examples += batch.rows();
                            try (NDManager scope = epochManager.newSubManager()) {
                                NDList input = new NDList(scope.create(batch.inputs(), batch.inputShape()));
                                NDList labels = new NDList();
                                if (batch.pool() == null) {
                                    input.add(scope.create(batch.candidates(), new Shape(batch.rows(), width)));
                                } else {
                                    input.add(scope.create(batch.candidates()));
                                    input.add(scope.create(batch.pool()));
                                    labels.add(scope.create(batch.weights(),
                                            new Shape(batch.rows(), batch.pool().length)));
                                }
                                try (GradientCollector collector = trainer.newGradientCollector()) {
                                    NDList scores = trainer.forward(input);
                                    NDArray loss = trainer.getLoss().evaluate(labels, scores);
                                    collector.backward(loss);
                                    lossTotal.addi(loss.stopGradient());
                                }
                                for (Parameter p : trained) {
                                    NDArray weight = p.getArray();
                                    try (NDArray grad = weight.getGradient()) {
                                        optimizer.update(p.getId(), weight, grad);
                                    }
                                }
                            }
                            step++;
                            progress.onBatch(epoch, b, batches);
                        }
                        lossSum = lossTotal.getFloat();
                    }
                    double seconds = (System.nanoTime() - begin) / 1e9;
                    NextItem.Scores valid = NextItem.embedding(itemTable(block), data.valid().queries(),
                            data.valid().targets());
                    Epoch e = new Epoch(epoch, lossSum / batches, valid.recall(), valid.mrr(), seconds,
                            examples / seconds, examples, lr.getNewValue(step));
                    history.add(e);
                    double value = e.value(metric);
                    if (!Double.isFinite(e.trainLoss())) {
                        throw new IllegalStateException("epoch " + epoch + ": the training loss is " + e.trainLoss()
                                + "; training diverged (lower training.optimizer.learning_rate)");
                    }
                    boolean improved = metric.improves(value, best, training.earlyStopping().minDelta());
                    if (improved) {
                        best = value;
                        bestEpoch = epoch;
                        RunFiles.saveBest(model, modelDir, epoch);
                    }
                    metrics.write(e.csvRow());
                    metrics.newLine();
                    metrics.flush();
                    progress.onEpoch(e, improved);
                    int patience = training.earlyStopping().patience();
                    if (patience > 0 && epoch - bestEpoch >= patience) {
                        stoppedEarly = epoch < training.epochs();
                        break;
                    }
                }
            }
            // Score, export and describe what the best epoch learned, not the last.
            try {
                model.load(modelDir, RunFiles.MODEL_NAME);
            } catch (ai.djl.MalformedModelException e) {
                throw new IOException("cannot reload the best epoch's parameters from " + modelDir, e);
            }
            NextItem.Scores test = NextItem.embedding(itemTable(block), data.test().queries(), data.test().targets());
            NextItem.Scores popularity = NextItem.popularity(data.counts(), data.test().queries(), data.test().targets());
            NextItem.Scores cooccurrence = NextItem.cooccurrence(data.train(), data.vocabulary().size(),
                    data.test().queries(), data.test().targets());
            Outcome outcome = new Outcome(target, List.copyOf(history), bestEpoch, stoppedEarly, test, popularity,
                    cooccurrence, data);
            writeVocabulary(dir, data);
            export(dir, block, data, config);
            writeConfig(dir, config, block, outcome, device);
            if (config.export().plots()) {
                plots(dir.resolve(PLOTS_DIR), config, outcome);
            }
            run.commit();
            return outcome;
        }
    }

    /**
     * Returns the lines a finished run ends with: the kept epoch, test scores and baselines.
     *
     * @param o the outcome
     * @param patience the configured patience
     * @return the lines
     */
    public static List<String> summary(Outcome o, int patience) {
        List<String> lines = new ArrayList<>();
        Epoch b = o.best();
        lines.add(String.format(Locale.ROOT, "best epoch %d of %d: valid_recall_at_10 %.4f, valid_mrr_at_10 %.4f",
                b.epoch(), o.history().size(), b.validRecall(), b.validMrr()));
        if (o.stoppedEarly()) {
            lines.add(String.format("stopped early: no improvement for %d epochs", patience));
        }
        int n = o.data().test().size();
        lines.add(String.format(Locale.ROOT, "test     %,d pairs (second-to-last -> last item), best epoch's item table:",
                n));
        lines.add(String.format(Locale.ROOT, "  item2vec                  Recall@10 %.4f  MRR@10 %.4f", o.test().recall(),
                o.test().mrr()));
        lines.add(String.format(Locale.ROOT, "  popularity                Recall@10 %.4f  MRR@10 %.4f",
                o.popularity().recall(), o.popularity().mrr()));
        lines.add(String.format(Locale.ROOT, "  next-item co-occurrence   Recall@10 %.4f  MRR@10 %.4f",
                o.cooccurrence().recall(), o.cooccurrence().mrr()));
        lines.add(String.format(Locale.ROOT, "time     %.2f s per epoch on average, %.1f s training in all",
                o.secondsPerEpoch(), o.history().stream().mapToDouble(Epoch::seconds).sum()));
        return lines;
    }

    /**
     * Returns the input table, the item vectors.
     *
     * @param block the block
     * @return its rows
     */
    static float[][] itemTable(EmbeddingBag block) {
        return Tables.toMatrix(block.embeddingTables().get(0).parameter().getArray());
    }

    private EarlyStoppingConfig.Metric metric(EarlyStoppingConfig.Metric metric) {
        return switch (metric) {
            case AUTO -> EarlyStoppingConfig.Metric.VALID_RECALL_AT_10;
            case VALID_RECALL_AT_10, VALID_MRR_AT_10, TRAIN_LOSS -> metric;
            default -> throw loaded.error("training.early_stopping.metric", metric.yamlName()
                    + " is not measured by item2vec; expected one of auto, valid_recall_at_10, valid_mrr_at_10,"
                    + " train_loss");
        };
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
        for (String f : formats) {
            if (!TableExport.FORMATS.contains(f)) {
                throw new IllegalArgumentException("unknown export format \"" + f + "\"; expected one of "
                        + TableExport.FORMATS);
            }
        }
        boolean retail = config.dataset() instanceof OnlineRetailConfig;
        List<String> columns = retail ? List.of("StockCode", "Description") : List.of("id", "label");
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
        }
    }

    private static void plots(Path dir, RunConfig config, Outcome o) throws IOException {
        List<Integer> epochs = o.history().stream().map(Epoch::epoch).toList();
        Map<String, double[]> ranking = new LinkedHashMap<>();
        ranking.put("valid_recall_at_10", o.history().stream().mapToDouble(Epoch::validRecall).toArray());
        ranking.put("valid_mrr_at_10", o.history().stream().mapToDouble(Epoch::validMrr).toArray());
        Plots.metricCurves(dir.resolve("metrics.png"), config.name() + ": next-item ranking per epoch", epochs, ranking,
                "validation score");
        Map<String, double[]> loss = new LinkedHashMap<>();
        loss.put("train_loss", o.history().stream().mapToDouble(Epoch::trainLoss).toArray());
        Plots.metricCurves(dir.resolve("loss.png"), config.name() + ": training loss per epoch", epochs, loss,
                "loss");
    }

    private static void writeConfig(Path dir, RunConfig config, EmbeddingBag block, Outcome o, Device device)
            throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) ConfigBinder.toYaml(config);
        SessionsData data = o.data();
        Map<String, Object> resolved = new LinkedHashMap<>();
        resolved.put("note", "written by embtrain; ignored when this file is read as a config");
        resolved.put("vocabulary_sizes", Map.of("item", data.vocabulary().size()));
        Map<String, List<Long>> shapes = new LinkedHashMap<>();
        for (EmbeddingTable t : block.embeddingTables()) {
            shapes.put(t.name(), java.util.Arrays.stream(t.parameter().getArray().getShape().getShape()).boxed().toList());
        }
        resolved.put("table_shapes", shapes);
        resolved.put("sessions", data.sessions().size());
        resolved.put("training_items", data.trainingItems());
        resolved.put("validation_pairs", data.valid().size());
        resolved.put("test_pairs", data.test().size());
        resolved.put("best_epoch", o.bestEpoch());
        resolved.put("best_valid_recall_at_10", o.best().validRecall());
        resolved.put("best_valid_mrr_at_10", o.best().validMrr());
        resolved.put("test_recall_at_10", o.test().recall());
        resolved.put("test_mrr_at_10", o.test().mrr());
        resolved.put("popularity_test_recall_at_10", o.popularity().recall());
        resolved.put("popularity_test_mrr_at_10", o.popularity().mrr());
        resolved.put("cooccurrence_test_recall_at_10", o.cooccurrence().recall());
        resolved.put("cooccurrence_test_mrr_at_10", o.cooccurrence().mrr());
        resolved.put("epochs_run", o.history().size());
        resolved.put("seconds_per_epoch", Math.round(o.secondsPerEpoch() * 1000) / 1000.0);
        resolved.put("devices", List.of(device.toString()));
        resolved.put("djl_version", Engine.getDjlVersion());
        resolved.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        resolved.put("git_commit", System.getProperty("embtrain.git.commit", "unknown"));
        resolved.put("java", System.getProperty("java.version"));
        resolved.put("finished", Instant.now().toString());
        tree.put(ConfigLoader.RESOLVED, resolved);
        Files.writeString(dir.resolve(RunFiles.CONFIG), ConfigBinder.dump(tree), StandardCharsets.UTF_8);
    }

    /**
     * One epoch's examples, shuffled: skip-gram pairs as two parallel arrays (no object per
     * pair: an epoch holds millions) or CBOW examples.
     *
     * @param centers the skip-gram pairs' centres, or null
     * @param contexts the skip-gram pairs' contexts, or null
     * @param cbow the CBOW examples, or null
     */
    record Examples(int[] centers, int[] contexts, List<SkipGram.Cbow> cbow) {
        static Examples draw(int[][] sessions, EmbeddingBagConfig m, double[] keep, SplittableRandom rng) {
            boolean subsample = m.sample() > 0;
            if (m.mode() == EmbeddingBag.Mode.CBOW) {
                List<SkipGram.Cbow> all = new ArrayList<>();
                for (int[] session : sessions) {
                    all.addAll(SkipGram.cbow(subsample ? SkipGram.subsample(session, keep, rng) : session, m.window(), rng));
                }
                Collections.shuffle(all, new Random(rng.nextLong()));
                return new Examples(null, null, all);
            }
            IntList centers = new IntList();
            IntList contexts = new IntList();
            for (int[] session : sessions) {
                for (int[] pair : SkipGram.pairs(subsample ? SkipGram.subsample(session, keep, rng) : session,
                        m.window(), rng)) {
                    centers.add(pair[0]);
                    contexts.add(pair[1]);
                }
            }
            int[] c = centers.toArray();
            int[] x = contexts.toArray();
            // Collections.shuffle's swaps, on both arrays at once.
            Random random = new Random(rng.nextLong());
            for (int i = c.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = c[i];
                c[i] = c[j];
                c[j] = t;
                t = x[i];
                x[i] = x[j];
                x[j] = t;
            }
            return new Examples(c, x, null);
        }

        int size() {
            return centers != null ? centers.length : cbow.size();
        }

        Prepared batch(int from, int to, int negatives, int shared, SkipGram.NoiseSampler noise) {
            int rows = to - from;
            long[] candidates = new long[rows]; // the positives
            long[] inputs;
            Shape inputShape;
            if (centers != null) {
                inputs = new long[rows];
                inputShape = new Shape(rows);
                for (int r = 0; r < rows; r++) {
                    inputs[r] = centers[from + r];
                    candidates[r] = contexts[from + r];
                }
            } else {
                int width = 1;
                for (int i = from; i < to; i++) {
                    width = Math.max(width, cbow.get(i).context().length);
                }
                inputs = new long[rows * width];
                inputShape = new Shape(rows, width);
                for (int r = 0; r < rows; r++) {
                    SkipGram.Cbow e = cbow.get(from + r);
                    for (int j = 0; j < e.context().length; j++) {
                        inputs[r * width + j] = e.context()[j];
                    }
                    candidates[r] = e.target();
                }
            }
            if (shared > 0) {
                long[] pool = new long[shared];
                for (int j = 0; j < shared; j++) {
                    pool[j] = noise.next();
                }
                return new Prepared(inputs, inputShape, candidates, pool, SkipGram.poolWeights(candidates, pool,
                        negatives), rows);
            }
            return new Prepared(inputs, inputShape, SkipGram.candidates(candidates, negatives, noise), null, null,
                    rows);
        }
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] values = new int[1 << 16];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = value;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }

    /**
     * A batch ready for the engine.
     *
     * @param inputs skip-gram centres [B] or CBOW bags [B, W], row-major
     * @param inputShape their shape
     * @param candidates [B, 1 + k], the positive first; with a shared pool, the positives [B]
     * @param pool the shared negatives [K], or null
     * @param weights the pool's loss weights [B, K] row-major ({@link SkipGram#poolWeights}), or null
     * @param rows B
     */
    record Prepared(long[] inputs, Shape inputShape, long[] candidates, long[] pool, float[] weights, int rows) {}

    /**
     * Draws each epoch's examples and cuts them into batches on its own thread, a bounded queue
     * ahead of training. Every random draw happens here, in a fixed order, so the seed alone
     * decides the batches.
     */
    private static final class Producer implements AutoCloseable {
        private static final Object END = new Object();

        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
        private final Thread thread;

        Producer(int[][] sessions, EmbeddingBagConfig m, double[] keep, SkipGram.NoiseSampler noise,
                SplittableRandom seeds, Examples first, int batchSize, int epochs) {
            SplittableRandom later = seeds.split();
            thread = new Thread(() -> {
                try {
                    Examples examples = first;
                    for (int epoch = 1; epoch <= epochs; epoch++) {
                        if (epoch > 1) {
                            examples = Examples.draw(sessions, m, keep, later.split());
                        }
                        int n = examples.size();
                        queue.put((n + batchSize - 1) / batchSize);
                        for (int from = 0; from < n; from += batchSize) {
                            queue.put(examples.batch(from, Math.min(n, from + batchSize), m.negative(), m.sharedNegatives(),
                                    noise));
                        }
                    }
                    queue.put(END);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    queue.clear();
                    queue.offer(e);
                }
            }, "item2vec-batches");
            thread.setDaemon(true);
            thread.start();
        }

        /** Returns the number of batches of the next epoch. */
        int startEpoch() {
            return (Integer) take();
        }

        Prepared next() {
            return (Prepared) take();
        }

        private Object take() {
            Object o;
            try {
                o = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a batch", e);
            }
            if (o instanceof RuntimeException e) {
                throw e;
            }
            if (o instanceof Error e) {
                throw e;
            }
            if (o == END) {
                throw new IllegalStateException("the batch producer ended early");
            }
            return o;
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }
}
