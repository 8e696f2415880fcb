package dev.embtrain.training.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import dev.embtrain.training.config.ConfigBinder;
import dev.embtrain.training.config.ConfigException;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.Configs;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.config.SearchConfig;
import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.engine.FitResult;
import dev.embtrain.training.engine.Monitor;
import dev.embtrain.training.engine.listeners.MetricsCsv;
import dev.embtrain.training.engine.listeners.Pruning;
import dev.embtrain.training.kinds.Prepared;
import dev.embtrain.training.kinds.RunKind;
import dev.embtrain.training.run.Checkpoints;
import dev.embtrain.training.run.RunDirectory;
import dev.embtrain.training.run.RunFiles;
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
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Trials one after another on the same prepared data, keeping the best complete trial's
 * model open and its parameters in {@code model/}. The search maximises: a metric where
 * lower is better (valid_mse) is negated inside the study and written as it is.
 */
final class SearchRunner {

    /** A search's config, kept in the staging directory so that --resume can check it. */
    static final String SEARCH_CONFIG = "search-config.yaml";
    /** The best trial's epoch records, as the loop made them, for a resumed search that keeps it. */
    static final String BEST_HISTORY = "best-trial-history.bin";

    private final ConfigLoader.Loaded loaded;
    private final RunKind kind;
    private final ModelTrainer trainer;
    private final Consumer<String> report;
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
    /** Trials trained elsewhere, by number, and the one of them to train here (the best); or null. */
    private Map<Integer, dev.embtrain.training.search.TrialResult> trainedElsewhere;
    private int keep = -1;

    /**
     * Opens a search, or the one {@code --resume} continues.
     *
     * @param loaded the run's config, with its {@code search} section
     * @param kind the kind of run
     * @param trainer trains each trial
     * @param prepared the data every trial trains on
     * @param devices where a kept trial is rebuilt
     * @param monitor what the search maximises (negated where lower is better)
     * @param dir the run's staging directory
     * @param modelDir where the best trial's parameters go
     * @param metrics the kind's validation metrics
     * @param trialsCsv the trials table, outside the staging directory
     * @param resume whether to continue the search the table holds
     * @param report status lines
     * @throws IOException when the state of a search to resume cannot be read
     */
    SearchRunner(ConfigLoader.Loaded loaded, RunKind kind, ModelTrainer trainer, Prepared prepared, Device[] devices,
            Monitor monitor, Path dir, Path modelDir, List<String> metrics, Path trialsCsv, boolean resume,
            Consumer<String> report) throws IOException {
        this.trainer = trainer;
        this.report = report;
        this.dir = dir;
        this.metrics = metrics;
        this.loaded = loaded;
        this.kind = kind;
        this.prepared = prepared;
        this.devices = devices;
        this.monitor = monitor;
        this.modelDir = modelDir;
        this.trialDir = Files.createDirectories(dir.resolve(".trial-model"));
        this.trialsCsv = trialsCsv;
        SearchConfig s = loaded.config().search();
        this.study = new Study(s.searchSpace(), s.sampler().create(), s.pruner().create(), s.seed(),
                monitor.higherIsBetter());
        Map<String, Object> defaults = defaults(loaded, s);
        String head = "search   " + s.trials() + " trials, " + s.sampler().type() + " sampler, "
                + s.pruner().type() + " pruner on " + monitor.name() + "; ";
        if (defaults != null) {
            study.enqueue(defaults);
            report.accept(head + "trial 0 is the config's own values " + defaults);
        } else {
            report.accept(head + "the config's own values lie outside the space, so every trial is sampled");
        }
        remaining = s.trials();
        String yaml = ConfigBinder.dump(Configs.written(loaded.config()));
        if (!resume) {
            Files.writeString(dir.resolve(SEARCH_CONFIG), yaml, StandardCharsets.UTF_8);
            return;
        }
        // Resuming: the same search, the trials it finished, and the best of them kept in model/.
        if (!Files.isRegularFile(trialsCsv) || !Files.isRegularFile(dir.resolve(SEARCH_CONFIG))) {
            throw new java.nio.file.NoSuchFileException(trialsCsv.toString(), null,
                    "nothing to resume: the search stopped before its first trial ended");
        }
        String differs = Resumes.differsFrom(Files.readString(dir.resolve(SEARCH_CONFIG), StandardCharsets.UTF_8),
                loaded.config());
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
        RunConfig c = ConfigChecks.trialConfig(loaded, kind, overrides).config();
        Model model = Model.newInstance(RunFiles.MODEL_NAME, devices[0]);
        try {
            Engine.getInstance().setRandomSeed((int) c.seed());
            Prepared.Trainable t = prepared.build(c, model, false);
            t.objective().close();
            model.load(modelDir, RunFiles.MODEL_NAME);
            List<EpochRecord> history = Checkpoints.readHistory(dir.resolve(BEST_HISTORY));
            return new Trained(c, new FitResult(history, history.get(history.size() - 1).bestEpoch(), false), model, t);
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException("cannot reload the best trial (" + top.number() + ") from " + modelDir + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Records trials trained elsewhere: the search takes their results in trial order instead of
     * training them, but trains {@code keep} (the best) itself, so that the run keeps its model as
     * a sequential search does.
     *
     * @param results the trials' results by number
     * @param keep the number of the trial to train here
     */
    void trainedElsewhere(Map<Integer, dev.embtrain.training.search.TrialResult> results, int keep) {
        this.trainedElsewhere = Map.copyOf(results);
        this.keep = keep;
    }

    /**
     * Returns the params of every trial a search will run, in order, without training: the
     * config's own values first (where they lie in the space), then the sampler's draws. Only a
     * sampler that ignores history (random) draws the same params whatever the trials score.
     *
     * @param loaded the config, with its search section
     * @param monitor what the search maximises
     * @return each trial's overrides ({@code key=value})
     * @throws Exception when the study fails
     */
    static List<List<String>> plan(ConfigLoader.Loaded loaded, Monitor monitor) throws Exception {
        SearchConfig s = loaded.config().search();
        Study study = new Study(s.searchSpace(), s.sampler().create(), s.pruner().create(), s.seed(),
                monitor.higherIsBetter());
        Map<String, Object> defaults = defaults(loaded, s);
        if (defaults != null) {
            study.enqueue(defaults);
        }
        List<List<String>> out = new ArrayList<>();
        study.optimize(s.trials(), trial -> {
            out.add(trial.overrides());
            return 0;
        }, null, null);
        return out;
    }

    /**
     * Returns the study: its trials so far and the best.
     *
     * @return the study
     */
    Study study() {
        return study;
    }

    /**
     * Runs the trials that remain.
     *
     * @return the best complete trial, open
     * @throws Exception when a trial fails, or every trial was pruned
     */
    Trained run() throws Exception {
        try {
            if (remaining <= 0) {
                return best;
            }
            study.optimize(remaining, trial -> {
                dev.embtrain.training.search.TrialResult elsewhere = trainedElsewhere == null ? null
                        : trainedElsewhere.get(trial.number());
                if (elsewhere != null && trial.number() != keep) {
                    elsewhere.reports().forEach(trial::report);
                    return elsewhere.value();
                }
                RunConfig c = ConfigChecks.trialConfig(loaded, kind, trial.overrides()).config();
                Pruning pruning = new Pruning(trial, monitor);
                ModelTrainer.clear(trialDir);
                Trained t = trainer.train(ModelTrainer.Fit.of(c, trialDir, List.of(pruning)));
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
                    ModelTrainer.clear(modelDir);
                    try (Stream<Path> files = Files.list(trialDir)) {
                        for (Path f : files.toList()) {
                            Files.copy(f, modelDir.resolve(f.getFileName()));
                        }
                    }
                    // The best trial's epochs, for a resumed search that keeps it.
                    MetricsCsv.write(dir.resolve(RunFiles.METRICS), metrics, t.fit().history());
                    Checkpoints.writeHistory(dir.resolve(BEST_HISTORY), t.fit().history());
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
    private static Map<String, Object> defaults(ConfigLoader.Loaded loaded, SearchConfig s) {
        Map<String, Object> tree = Configs.written(loaded.config());
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
