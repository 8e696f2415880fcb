package dev.embtrain.training.kinds;

import dev.embtrain.training.run.Checkpoints;
import dev.embtrain.training.run.Provenance;
import dev.embtrain.training.run.RunFiles;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.embtrain.training.config.ConfigBinder;
import dev.embtrain.training.config.ConfigException;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.EarlyStoppingConfig;
import dev.embtrain.training.config.OptimizerConfig;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.config.ScheduleConfig;
import dev.embtrain.training.config.SearchConfig;
import dev.embtrain.training.config.TrainingConfig;
import dev.embtrain.training.config.UnreadKeys;
import dev.embtrain.training.engine.Devices;
import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.engine.FitOptions;
import dev.embtrain.training.engine.FitResult;
import dev.embtrain.training.engine.Learner;
import dev.embtrain.training.engine.Listener;
import dev.embtrain.training.engine.Monitor;
import dev.embtrain.training.engine.TrainingInterrupted;
import dev.embtrain.training.engine.listeners.BestEpoch;
import dev.embtrain.training.engine.listeners.Checkpoint;
import dev.embtrain.training.engine.listeners.Divergence;
import dev.embtrain.training.engine.listeners.EarlyStopping;
import dev.embtrain.training.engine.listeners.GradientClipping;
import dev.embtrain.training.engine.listeners.Interruption;
import dev.embtrain.training.engine.listeners.MetricsCsv;
import dev.embtrain.training.engine.listeners.Pruning;
import dev.embtrain.training.optim.Optimizers;
import dev.embtrain.models.EmbeddingTable;
import dev.embtrain.models.HasEmbeddingTables;
import dev.embtrain.training.optim.MemoryPlan;
import dev.embtrain.training.optim.RowOptimizer;
import dev.embtrain.training.optim.RowSparseTables;
import dev.embtrain.training.optim.SavesState;
import dev.embtrain.training.run.RunDirectory;
import dev.embtrain.training.search.Distribution;
import dev.embtrain.training.search.FrozenTrial;
import dev.embtrain.training.search.Study;
import dev.embtrain.training.search.TrialState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code embtrain train} for every kind of run: config → kind (chosen once) → data → model and
 * objective → the one loop ({@link Learner}), optionally inside a search and followed by a
 * refit → the kind's exports → one provenance writer ({@code config.yaml} with its
 * {@code resolved:} section). The run directory appears only when everything succeeded.
 */
public final class Training {

    /** The search's results table. */
    public static final String TRIALS = "trials.csv";
    /** A search's config, kept in the staging directory so that --resume can check it. */
    private static final String SEARCH_CONFIG = "search-config.yaml";

    /** The best trial's config, trainable as it is. */
    public static final String BEST = "best.yaml";
    /** What the divergence check tells the user to change. */
    private static final String DIVERGED_HINT = "lower training.optimizer.learning_rate";

    private final ConfigLoader.Loaded loaded;
    private final Path target;
    private final boolean overwrite;
    private final List<Listener> progress;
    private final Consumer<String> report;
    private boolean resume;
    private int stepLimit;
    private java.util.function.BooleanSupplier stop = () -> false;

    /**
     * What a finished run reports.
     *
     * @param runDir the run directory
     * @param kind the kind of run
     * @param monitor the monitored metric
     * @param fit the kept model's history
     * @param summary the kind's closing lines (test scores, baselines)
     * @param bestTrial the best trial, or null without a search
     * @param trials every trial, empty without a search
     */
    public record Outcome(Path runDir, RunKind kind, Monitor monitor, FitResult fit, List<String> summary,
            FrozenTrial bestTrial, List<FrozenTrial> trials) {}

    /** One trained model, open until closed. */
    private record Trained(RunConfig config, FitResult fit, Model model, Prepared.Trainable trainable)
            implements AutoCloseable {
        @Override
        public void close() {
            model.close();
        }
    }

    /**
     * Prepares a run.
     *
     * @param loaded the config
     * @param runDir where the run goes, or null for {@code runs/<name>}
     * @param overwrite whether an existing run may be replaced
     * @param progress listeners of the kept model's training (progress bars); a search's trials
     *     get none
     * @param report status lines
     */
    public Training(ConfigLoader.Loaded loaded, Path runDir, boolean overwrite, List<Listener> progress,
            Consumer<String> report) {
        this.loaded = loaded;
        this.target = runDir != null ? runDir : Path.of("runs", loaded.config().name());
        this.overwrite = overwrite;
        this.progress = List.copyOf(progress);
        this.report = report;
    }

    /**
     * Continues the run a stop left in {@code NAME.partial/} from its last checkpoint.
     *
     * @param resume whether to
     * @return this
     */
    public Training resuming(boolean resume) {
        this.resume = resume;
        return this;
    }

    /**
     * Ends training after this many optimizer steps, inside the first epoch if it is longer: the
     * bound {@code embtrain benchmark --steps} puts on slow configurations.
     *
     * @param steps the most steps, or 0 for no bound
     * @return this
     */
    public Training stoppingAfterSteps(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, found " + steps);
        }
        this.stepLimit = steps;
        return this;
    }

    /**
     * Ends training after the step in progress when the flag turns true (a signal handler's),
     * keeping the last checkpoint in {@code NAME.partial/}.
     *
     * @param stop whether a stop was asked for
     * @return this
     */
    public Training stoppedBy(java.util.function.BooleanSupplier stop) {
        this.stop = stop;
        return this;
    }

    /**
     * Checks a config for its kind without reading data: the kind's rules, the device, the
     * optimizer keys, the monitored metric and the search space.
     *
     * @param loaded the config
     * @return the kind
     * @throws ConfigException naming the key and its line
     */
    public static RunKind check(ConfigLoader.Loaded loaded) {
        RunKind kind = RunKinds.of(loaded);
        kind.check(loaded);
        checkUnusedKeys(loaded);
        monitor(loaded, kind);
        if (loaded.config().search() != null) {
            checkSearch(loaded, kind);
        }
        return kind;
    }

    /**
     * Runs the job.
     *
     * @return the outcome
     * @throws Exception when reading, training or writing fails
     */
    public Outcome run() throws Exception {
        RunConfig config = loaded.config();
        RunKind kind = check(loaded);
        if (!resume) {
            RunDirectory.checkWritable(target, overwrite);
        } else if (config.search() == null
                && config.training().optimizer().type() == OptimizerConfig.OptimizerType.SGD) {
            throw loaded.error("training.optimizer.type", "--resume restores adam's and adamw's state; sgd's momentum"
                    + " lives inside DJL, where it cannot be saved");
        }
        Device[] devices;
        try {
            devices = Devices.resolve(config.training().device());
        } catch (IllegalArgumentException e) {
            throw loaded.error("training.device", e.getMessage());
        }
        Monitor monitor = monitor(loaded, kind);
        Path trials = trialsFile();
        if (config.search() != null && !resume && Files.exists(trials)) {
            if (!overwrite) {
                throw new java.nio.file.FileAlreadyExistsException(trials.toString(), null, "a search stopped there"
                        + " before it finished; continue it with --resume, or pass --overwrite to start afresh");
            }
            Files.delete(trials);
        }
        Prepared prepared = kind.prepare(loaded, report);
        Path partial = target.toAbsolutePath().resolveSibling(target.getFileName() + RunDirectory.PARTIAL);
        if (resume && config.search() == null && Files.isDirectory(target) && !Files.exists(partial)) {
            // Extending a finished run: refuse before copying it.
            resumable(target, config);
        }
        try (RunDirectory run = resume ? RunDirectory.resume(target) : RunDirectory.begin(target, overwrite)) {
            try {
                return run(run, config, kind, devices, monitor, prepared);
            } catch (RuntimeException | IOException e) {
                // A run that finished an epoch, or a search a trial, keeps what it learned, whatever stopped it:
                // --resume continues it.
                if (Checkpoints.read(run.dir()) != null || config.search() != null && Files.exists(trials)) {
                    run.keep();
                }
                throw e;
            }
        }
    }

    /**
     * Returns where a search writes its trials while it runs: beside the run, outside its
     * staging directory, so that the table survives any failure; it moves into the run when the
     * search has finished.
     */
    private Path trialsFile() {
        return target.toAbsolutePath().resolveSibling(target.getFileName() + "." + TRIALS);
    }

    /** Trains (or searches), refits, finishes and commits, inside the run's staging directory. */
    private Outcome run(RunDirectory run, RunConfig config, RunKind kind, Device[] devices, Monitor monitor,
            Prepared prepared) throws Exception {
        Path dir = run.dir();
        Path modelDir = Files.createDirectories(dir.resolve(RunFiles.MODEL_DIR));
        List<String> metrics = kind.metrics(config);
        Trained kept;
        Search search = null;
        Checkpoints.Saved saved = resume && config.search() == null ? resumable(dir, config) : null;
        if (config.search() == null) {
            try (MetricsCsv csv = new MetricsCsv(dir.resolve(RunFiles.METRICS), metrics)) {
                if (saved != null) {
                    saved.history().forEach(csv::onEpoch);
                    report.accept(String.format(Locale.ROOT, "resume   from the checkpoint of epoch %d of %d",
                            saved.history().size(), config.training().epochs()));
                }
                List<Listener> listeners = new ArrayList<>(List.of(csv));
                listeners.addAll(progress);
                kept = train(config, prepared, devices, monitor, modelDir, listeners, true, 0, false, saved, run);
                // The checkpoint stays in the finished run: --resume with more epochs extends it from there.
            } catch (TrainingInterrupted e) {
                boolean checkpointed = Checkpoints.read(dir) != null;
                if (checkpointed) {
                    run.keep();
                }
                throw new TrainingInterrupted(e.epoch(), "interrupted during epoch " + e.epoch() + (checkpointed
                        ? "; " + dir + " keeps the checkpoint of epoch " + Checkpoints.read(dir).history().size()
                                + ": continue with embtrain train CONFIG --resume"
                        : ", before any checkpoint; nothing was kept"));
            }
        } else {
            search = new Search(loaded, kind, prepared, devices, monitor, dir, modelDir, metrics);
            try {
                kept = search.run();
            } catch (TrainingInterrupted e) {
                throw new TrainingInterrupted(e.epoch(), "interrupted during trial " + search.study.trials().size()
                        + "; " + trialsFile() + " keeps the " + search.study.trials().size() + " trials that"
                        + " finished: continue with embtrain train CONFIG --resume");
            }
            MetricsCsv.write(dir.resolve(RunFiles.METRICS), metrics, kept.fit().history());
            Files.move(trialsFile(), dir.resolve(TRIALS));
            Files.deleteIfExists(dir.resolve(SEARCH_CONFIG));
            Map<String, Object> best = tree(kept.config());
            Files.writeString(dir.resolve(BEST), "# the best trial (" + search.study.best().number()
                    + ") of the search in " + RunFiles.CONFIG + "; train it with embtrain train " + BEST + "\n"
                    + ConfigBinder.dump(best), StandardCharsets.UTF_8);
        }
        Trained scored = kept;
        try {
            Map<String, Object> resolved = new LinkedHashMap<>();
            if (prepared.refits(kept.config())) {
                // After a search the console showed trials, not epochs: the refit's rows would stand alone.
                scored = refit(kept, prepared, devices, monitor, modelDir, resolved,
                        search == null ? progress : List.of());
            }
            List<String> summary = new ArrayList<>();
            prepared.finish(new Prepared.Finished(kept.config(), kept.fit(), scored.model(), scored.trainable(),
                    dir, resolved, summary::add, devices));
            Provenance.writeConfig(dir, config, kind, monitor, resolved, kept.fit(),
                    search == null ? null : search.study, devices);
            if (config.export().serving()) {
                kind.exportServing(dir, dir.resolve(RunFiles.SERVING_DIR), false);
            }
            run.commit();
            return new Outcome(target, kind, monitor, kept.fit(), List.copyOf(summary),
                    search == null ? null : search.study.best(), search == null ? List.of() : search.study.trials());
        } finally {
            kept.close();
            if (scored != kept) {
                scored.close();
            }
        }
    }

    /**
     * Resolves {@code training.early_stopping.metric} for a kind.
     *
     * @param loaded the config
     * @param kind the kind
     * @return the monitored metric
     * @throws ConfigException when the kind does not measure it
     */
    public static Monitor monitor(ConfigLoader.Loaded loaded, RunKind kind) {
        RunConfig config = loaded.config();
        EarlyStoppingConfig.Metric m = config.training().earlyStopping().metric();
        List<String> metrics = kind.metrics(config);
        String name = m == EarlyStoppingConfig.Metric.AUTO ? kind.defaultMonitor(config) : m.yamlName();
        if (!name.equals(Monitor.TRAIN_LOSS) && !metrics.contains(name)) {
            throw loaded.error("training.early_stopping.metric", name + " is not measured by " + kind.name()
                    + " runs of " + config.model().type() + "; expected one of auto, "
                    + String.join(", ", metrics) + (metrics.isEmpty() ? "" : ", ") + Monitor.TRAIN_LOSS);
        }
        return new Monitor(name, EarlyStoppingConfig.Metric.valueOf(name.toUpperCase(Locale.ROOT)).higherIsBetter());
    }

    /**
     * Refuses a key the user wrote that the chosen optimizer or schedule does not read, so
     * nothing written is dropped without a word.
     *
     * @param loaded the config
     * @throws ConfigException naming the key, its line, and what would read it
     */
    static void checkUnusedKeys(ConfigLoader.Loaded loaded) {
        for (Map.Entry<String, String> unread : UnreadKeys.of(loaded.config()).entrySet()) {
            if (loaded.given(unread.getKey())) {
                throw loaded.error(unread.getKey(), unread.getValue());
            }
        }
    }

    /**
     * Trains one model. With {@code stopAfter} &gt; 0 it runs exactly that many epochs of the
     * configured schedule (the rate follows the same curve as a full run, cut there) and keeps
     * the last epoch's parameters: the refit, whose validation rows are among its training rows.
     */
    private Trained train(RunConfig config, Prepared prepared, Device[] devices, Monitor monitor, Path modelDir,
            List<Listener> extra, boolean say, int stopAfter, boolean refit) throws IOException {
        return train(config, prepared, devices, monitor, modelDir, extra, say, stopAfter, refit, null, null);
    }

    /**
     * Trains one model; with {@code checkpointIn} it writes a checkpoint there after every
     * epoch, and with {@code saved} it continues from one.
     */
    private Trained train(RunConfig config, Prepared prepared, Device[] devices, Monitor monitor, Path modelDir,
            List<Listener> extra, boolean say, int stopAfter, boolean refit, Checkpoints.Saved saved,
            RunDirectory checkpointIn) throws IOException {
        TrainingConfig training = config.training();
        Model model = Model.newInstance(RunFiles.MODEL_NAME, devices[0]);
        try {
            Engine.getInstance().setRandomSeed((int) config.seed());
            Prepared.Trainable t = prepared.build(config, model, refit);
            // Tables have their shapes from construction, so which train row by row is known now.
            // Those runs train on one device (DJL's multi-device split is unreliable: DJL-NOTES).
            long sparseFrom = training.optimizer().sparseFromRows();
            List<EmbeddingTable> sparseTables = sparseTables(model, sparseFrom);
            Device[] use = t.oneDevice() || !sparseTables.isEmpty() ? new Device[] {devices[0]} : devices;
            FitResult fit;
            try {
                int totalSteps = t.objective().batchesPerEpoch() * training.epochs();
                Tracker lr = Optimizers.learningRate(training, totalSteps);
                Optimizer optimizer = Optimizers.optimizer(training, lr, totalSteps);
                DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(t.objective().loss())
                        .optOptimizer(optimizer).optDevices(use);
                RowOptimizer rowOptimizer = sparseTables.isEmpty() ? null
                        : Optimizers.rowOptimizer(training, lr, totalSteps);
                MemoryPlan memory = MemoryPlan.of(model.getBlock().getParameters().values(), training.optimizer(),
                        rowOptimizer, sparseFrom, use[0]);
                String tooLarge = memory.problem(use[0]);
                if (tooLarge != null) {
                    throw loaded.error("model", tooLarge);
                }
                try (Trainer trainer = model.newTrainer(trainingConfig)) {
                    trainer.initialize(t.objective().inputShapes());
                    RowSparseTables sparse = rowOptimizer == null ? null
                            : new RowSparseTables(trainer.getManager(), rowOptimizer, sparseFrom);
                    List<SavesState> states = new ArrayList<>();
                    if (optimizer instanceof SavesState dense) {
                        states.add(dense);
                    }
                    if (sparse != null) {
                        states.add(sparse.optimizer());
                    }
                    if (say) {
                        long parameters = model.getBlock().getParameters().values().stream()
                                .mapToLong(p -> p.getArray().getShape().size()).sum();
                        report.accept(String.format(Locale.ROOT, "model    %s, %,d parameters; device %s%s",
                                t.description(), parameters, use.length == 1 ? use[0] : List.of(use),
                                use.length < devices.length ? " (this run trains on one device)" : ""));
                        if (sparse != null) {
                            report.accept(sparseLine(sparseTables, rowOptimizer));
                        }
                        report.accept(memory.describe());
                    }
                    if (saved != null) {
                        Checkpoints.restore(saved, model, states);
                    }
                    List<Listener> listeners = new ArrayList<>();
                    listeners.add(new Interruption(stop));
                    listeners.add(new Divergence(monitor.name(), DIVERGED_HINT));
                    if (training.clipGradNorm() > 0) {
                        listeners.add(new GradientClipping(training.clipGradNorm()));
                    }
                    if (stopAfter == 0) {
                        listeners.add(new BestEpoch(epoch -> RunFiles.saveBest(model, modelDir, epoch)));
                    }
                    listeners.addAll(extra);
                    if (checkpointIn != null && optimizer instanceof SavesState) {
                        String yaml = ConfigBinder.dump(tree(config));
                        listeners.add(new Checkpoint((history, steps) -> Checkpoints.write(checkpointIn.dir(), model,
                                states, history, steps, yaml), saved == null ? List.of() : saved.history(),
                                saved == null ? 0 : saved.steps()));
                    }
                    listeners.add(new EarlyStopping(stopAfter > 0 ? 0 : training.earlyStopping().patience()));
                    FitOptions options = new FitOptions(stopAfter > 0 ? stopAfter : training.epochs(), monitor,
                            training.earlyStopping().minDelta(), lr, optimizer, sparse, stepLimit);
                    fit = Learner.fit(trainer, t.objective(), options, listeners,
                            saved == null ? List.of() : saved.history());
                    if (stopAfter > 0) {
                        // A refit keeps its last epoch, so it writes the parameters once, at the end.
                        RunFiles.saveBest(model, modelDir, stopAfter);
                    }
                }
            } finally {
                t.objective().close();
            }
            // Export, score and describe what the best epoch learned, not the last.
            try {
                model.load(modelDir, RunFiles.MODEL_NAME);
            } catch (MalformedModelException e) {
                throw new IOException("cannot reload the best epoch's parameters from " + modelDir, e);
            }
            return new Trained(config, fit, model, t);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The embedding tables a model looks rows up in that have at least {@code sparseFrom} rows;
     * when there are none, nothing changes: every table trains densely, as before.
     */
    private static List<EmbeddingTable> sparseTables(Model model, long sparseFrom) {
        if (sparseFrom == Long.MAX_VALUE || !(model.getBlock() instanceof HasEmbeddingTables tables)) {
            return List.of();
        }
        return tables.embeddingTables().stream()
                .filter(e -> e.lookedUp() && e.parameter().getShape().get(0) >= sparseFrom).toList();
    }

    /** The start-up line for row-sparse tables: which, and the memory their optimizer keeps. */
    private static String sparseLine(List<EmbeddingTable> tables, RowOptimizer rowOptimizer) {
        List<String> names = new ArrayList<>();
        long state = 0;
        for (EmbeddingTable e : tables) {
            ai.djl.ndarray.types.Shape shape = e.parameter().getShape();
            names.add(String.format(Locale.ROOT, "%s %,d x %d", e.name(), shape.get(0), shape.get(1)));
            state += rowOptimizer.stateBytes(shape.get(0), shape.get(1));
        }
        return String.format(Locale.ROOT, "tables   row by row with %s: %s; optimizer state %,.1f MB",
                rowOptimizer.describe(), String.join(", ", names), state / 1e6);
    }

    /**
     * Reads the checkpoint to continue, refusing a config that differs from the checkpoint's in
     * anything but {@code training.epochs}.
     */
    private Checkpoints.Saved resumable(Path dir, RunConfig config) throws IOException {
        Checkpoints.Saved saved = Checkpoints.read(dir);
        if (saved == null) {
            throw new java.nio.file.NoSuchFileException(dir.toString(), null, dir.getFileName().toString()
                    .endsWith(RunDirectory.PARTIAL) ? "nothing to resume: the run stopped before its first epoch"
                    + " ended" : "nothing to resume: this run has no checkpoint (it was written before runs kept"
                    + " one)");
        }
        Object then = new org.yaml.snakeyaml.Yaml().load(saved.config());
        if (then instanceof Map<?, ?> written) {
            // Checkpoints written before config dumps left unread keys out still hold them.
            @SuppressWarnings("unchecked")
            Map<String, Object> tree = (Map<String, Object>) written;
            then = UnreadKeys.prune(tree, config);
        }
        Object now = new org.yaml.snakeyaml.Yaml().load(ConfigBinder.dump(tree(config)));
        String differs = difference("", then, now);
        if (differs != null) {
            throw new ConfigException("--resume: " + differs + "; only training.epochs (and a search's trials) may"
                    + " change when a run is resumed");
        }
        if (saved.history().size() >= config.training().epochs()) {
            throw new ConfigException("--resume: the checkpoint already holds " + saved.history().size()
                    + " epochs, and training.epochs is " + config.training().epochs());
        }
        return saved;
    }

    /**
     * The first dotted key whose values differ, with both values; null when they are equal but
     * for the counts a resumed run may raise (training.epochs, search.trials).
     */
    private static String difference(String path, Object then, Object now) {
        if (path.equals("training.epochs") || path.equals("search.trials")) {
            return null;
        }
        if (then instanceof Map<?, ?> a && now instanceof Map<?, ?> b) {
            java.util.Set<Object> keys = new java.util.LinkedHashSet<>(a.keySet());
            keys.addAll(b.keySet());
            for (Object k : keys) {
                String d = difference(path.isEmpty() ? k.toString() : path + "." + k, a.get(k), b.get(k));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return java.util.Objects.equals(then, now) ? null
                : path + " was " + then + " in the interrupted run and is " + now + " now";
    }

    /**
     * Trains the chosen config again, from scratch, on training + validation rows for the chosen
     * number of epochs, into {@code modelDir}.
     */
    private Trained refit(Trained chosen, Prepared prepared, Device[] devices, Monitor monitor, Path modelDir,
            Map<String, Object> resolved, List<Listener> listeners) throws IOException {
        int epochs = chosen.fit().bestEpoch();
        clear(modelDir);
        Trained t = train(chosen.config(), prepared, devices, monitor, modelDir, listeners, false, epochs, true);
        long rows = t.fit().history().get(epochs - 1).samples();
        report.accept(String.format(Locale.ROOT, "refit    the chosen config again on %,d training + validation rows"
                + " for its %d epoch%s; train_loss %.4f", rows, epochs, epochs == 1 ? "" : "s",
                t.fit().history().get(epochs - 1).trainLoss()));
        Map<String, Object> refit = new LinkedHashMap<>();
        refit.put("rows", rows);
        refit.put("epochs", epochs);
        resolved.put("refit", refit);
        return t;
    }

    private static void clear(Path dir) throws IOException {
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> tree(RunConfig config) {
        return UnreadKeys.prune((Map<String, Object>) ConfigBinder.toYaml(config), config);
    }

    /** The keys a search may name, checked before any data is read. */
    private static void checkSearch(ConfigLoader.Loaded loaded, RunKind kind) {
        SearchConfig search = loaded.config().search();
        Set<String> tunable = kind.tunableDatasetKeys();
        for (int i = 0; i < search.space().size(); i++) {
            SearchConfig.ParamConfig p = search.space().get(i);
            String where = "search.space[" + i + "].key";
            if (p.key().startsWith("search.") || p.key().equals("name") || (p.key().startsWith("dataset.")
                    && !tunable.contains(p.key()))) {
                throw loaded.error("search.space", p.key() + " cannot be searched: the search tunes how the model is"
                        + " trained; " + (tunable.isEmpty() ? "no dataset key of " + kind.name() + " runs may vary"
                        : "of the dataset keys only " + new java.util.TreeSet<>(tunable) + " may vary") + " ("
                        + where + ")");
            }
            Distribution d = p.distribution();
            for (Object v : List.of(d.fromInternal(d.internalLow()), d.fromInternal(d.internalHigh()))) {
                try {
                    trialConfig(loaded, kind, List.of(p.key() + "=" + v));
                } catch (ConfigException e) {
                    throw loaded.error("search.space", "entry " + i + " does not fit the config: " + e.getMessage());
                }
            }
        }
    }

    /** Loads the run's config with a trial's values applied, through the same binder and checks. */
    private static ConfigLoader.Loaded trialConfig(ConfigLoader.Loaded loaded, RunKind kind, List<String> overrides) {
        Map<String, Object> tree = tree(loaded.config());
        tree.remove("search");
        ConfigLoader.Loaded l = ConfigLoader.load(ConfigBinder.dump(tree), "the search's trial config", overrides);
        kind.check(l);
        return l;
    }

    /**
     * Trials one after another on the same prepared data, keeping the best complete trial's
     * model open and its parameters in {@code model/}. The search maximises: a metric where
     * lower is better (valid_mse) is negated inside the study and written as it is.
     */
    private final class Search {
        private final ConfigLoader.Loaded loaded;
        private final RunKind kind;
        private final Prepared prepared;
        private final Device[] devices;
        private final Monitor monitor;
        private final Path trialDir;
        private final Path modelDir;
        private final Path trialsCsv;
        private final Study study;
        private Trained best;
        private double bestValue = Double.NEGATIVE_INFINITY;

        private final Path dir;
        private final List<String> metrics;
        private int remaining;

        Search(ConfigLoader.Loaded loaded, RunKind kind, Prepared prepared, Device[] devices, Monitor monitor,
                Path dir, Path modelDir, List<String> metrics) throws IOException {
            this.dir = dir;
            this.metrics = metrics;
            this.loaded = loaded;
            this.kind = kind;
            this.prepared = prepared;
            this.devices = devices;
            this.monitor = monitor;
            this.modelDir = modelDir;
            this.trialDir = Files.createDirectories(dir.resolve(".trial-model"));
            this.trialsCsv = trialsFile();
            SearchConfig s = loaded.config().search();
            this.study = new Study(s.searchSpace(), s.sampler().create(), s.pruner().create(), s.seed(),
                    monitor.higherIsBetter());
            Map<String, Object> defaults = defaults(s);
            String head = "search   " + s.trials() + " trials, " + s.sampler().type() + " sampler, "
                    + s.pruner().type() + " pruner on " + monitor.name() + "; ";
            if (defaults != null) {
                study.enqueue(defaults);
                report.accept(head + "trial 0 is the config's own values " + defaults);
            } else {
                report.accept(head + "the config's own values lie outside the space, so every trial is sampled");
            }
            remaining = s.trials();
            String yaml = ConfigBinder.dump(tree(loaded.config()));
            if (!resume) {
                Files.writeString(dir.resolve(SEARCH_CONFIG), yaml, StandardCharsets.UTF_8);
                return;
            }
            // Resuming: the same search, the trials it finished, and the best of them kept in model/.
            if (!Files.isRegularFile(trialsCsv) || !Files.isRegularFile(dir.resolve(SEARCH_CONFIG))) {
                throw new java.nio.file.NoSuchFileException(trialsCsv.toString(), null,
                        "nothing to resume: the search stopped before its first trial ended");
            }
            String differs = difference("", new org.yaml.snakeyaml.Yaml().load(Files.readString(
                    dir.resolve(SEARCH_CONFIG), StandardCharsets.UTF_8)), new org.yaml.snakeyaml.Yaml().load(yaml));
            if (differs != null) {
                throw new ConfigException("--resume: " + differs + "; only training.epochs (and a search's trials)"
                        + " may change when a run is resumed");
            }
            List<FrozenTrial> done = study.readCsv(trialsCsv);
            study.resume(done);
            remaining = s.trials() - done.size();
            FrozenTrial top = done.stream().filter(t -> t.state() == TrialState.COMPLETE)
                    .max(java.util.Comparator.comparingDouble(FrozenTrial::value)).orElse(null);
            report.accept(String.format(Locale.ROOT, "resume   %d trials finished, %d to go", done.size(),
                    Math.max(0, remaining)));
            if (top != null) {
                bestValue = top.value();
                best = reload(top);
            }
        }

        /** The best trial of an interrupted search again: its config, its kept parameters, its epochs. */
        private Trained reload(FrozenTrial top) throws IOException {
            List<String> overrides = new ArrayList<>();
            top.params().forEach((k, v) -> overrides.add(k + "=" + v));
            RunConfig c = trialConfig(loaded, kind, overrides).config();
            Model model = Model.newInstance(RunFiles.MODEL_NAME, devices[0]);
            try {
                Engine.getInstance().setRandomSeed((int) c.seed());
                Prepared.Trainable t = prepared.build(c, model, false);
                t.objective().close();
                model.load(modelDir, RunFiles.MODEL_NAME);
                return new Trained(c, history(dir.resolve(RunFiles.METRICS)), model, t);
            } catch (MalformedModelException | RuntimeException e) {
                model.close();
                throw new IOException("cannot reload the best trial (" + top.number() + ") from " + modelDir + ": "
                        + e.getMessage(), e);
            }
        }

        /** Reads the best trial's metrics.csv back into its records (the timings to the CSV's rounding). */
        private FitResult history(Path file) throws IOException {
            List<EpochRecord> records = new ArrayList<>();
            int bestEpoch = 0;
            double bestSoFar = Double.NaN;
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                Map<String, Double> valid = new LinkedHashMap<>();
                for (int i = 0; i < metrics.size(); i++) {
                    valid.put(metrics.get(i), Double.parseDouble(f[2 + i]));
                }
                int epoch = Integer.parseInt(f[0]);
                double trainLoss = Double.parseDouble(f[1]);
                double seconds = Double.parseDouble(f[2 + metrics.size()]);
                long samples = Math.round(Double.parseDouble(f[3 + metrics.size()]) * seconds);
                double value = monitor.name().equals(Monitor.TRAIN_LOSS) ? trainLoss : valid.get(monitor.name());
                boolean improved = monitor.improves(value, bestSoFar, loaded.config().training().earlyStopping()
                        .minDelta());
                if (improved) {
                    bestSoFar = value;
                    bestEpoch = epoch;
                }
                records.add(new EpochRecord(epoch, trainLoss, valid, seconds, samples,
                        Float.parseFloat(f[4 + metrics.size()]), improved, bestEpoch));
            }
            return new FitResult(records, bestEpoch, false);
        }

        Trained run() throws Exception {
            try {
                if (remaining <= 0) {
                    return best;
                }
                study.optimize(remaining, trial -> {
                    RunConfig c = trialConfig(loaded, kind, trial.overrides()).config();
                    Pruning pruning = new Pruning(trial, monitor);
                    clear(trialDir);
                    Trained t = train(c, prepared, devices, monitor, trialDir, List.of(pruning), false, 0, false);
                    if (pruning.pruned() != null) {
                        t.close();
                        throw pruning.pruned();
                    }
                    double value = Pruning.score(monitor, t.fit().best().value(monitor.name()));
                    if (value > bestValue) {
                        bestValue = value;
                        if (best != null) {
                            best.close();
                        }
                        best = t;
                        clear(modelDir);
                        try (Stream<Path> files = Files.list(trialDir)) {
                            for (Path f : files.toList()) {
                                Files.copy(f, modelDir.resolve(f.getFileName()));
                            }
                        }
                        // The best trial's epochs, for a resumed search that keeps it.
                        MetricsCsv.write(dir.resolve(RunFiles.METRICS), metrics, t.fit().history());
                    } else {
                        t.close();
                    }
                    return value;
                }, trialsCsv, t -> report.accept(study.progressLine(t)));
            } catch (IllegalStateException e) {
                if (best == null) {
                    throw new IllegalStateException("every trial of the search was pruned; see " + trialsCsv
                            + " (lower the pruner's startup_trials or raise warmup_epochs)", e);
                }
                best.close();
                throw e;
            } catch (Exception e) {
                if (best != null) {
                    best.close();
                }
                throw e;
            } finally {
                RunDirectory.deleteTree(trialDir);
            }
            return best;
        }

        /** The config's own value for every key of the space, or null when one lies outside it. */
        private Map<String, Object> defaults(SearchConfig s) {
            Map<String, Object> tree = tree(loaded.config());
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
