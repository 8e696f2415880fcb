package dev.embtrain.training.train;

import ai.djl.Device;
import dev.embtrain.training.config.ConfigBinder;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.Configs;
import dev.embtrain.training.config.OptimizerConfig;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.engine.Devices;
import dev.embtrain.training.engine.FitResult;
import dev.embtrain.training.engine.Listener;
import dev.embtrain.training.engine.Monitor;
import dev.embtrain.training.engine.TrainingInterrupted;
import dev.embtrain.training.engine.listeners.MetricsCsv;
import dev.embtrain.training.kinds.Prepared;
import dev.embtrain.training.kinds.RunKind;
import dev.embtrain.training.run.Checkpoints;
import dev.embtrain.training.run.Provenance;
import dev.embtrain.training.run.RunDirectory;
import dev.embtrain.training.run.RunFiles;
import dev.embtrain.training.search.FrozenTrial;
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

/**
 * {@code embtrain train} for every kind of run: config → kind (chosen once) → data → model and
 * objective → the one loop ({@link Learner}), optionally inside a search and followed by a
 * refit → the kind's exports → one provenance writer ({@code config.yaml} with its
 * {@code resolved:} section). The run directory appears only when everything succeeded.
 */
public final class Training {



    private final ConfigLoader.Loaded loaded;
    private final Path target;
    private final boolean overwrite;
    private final List<Listener> progress;
    private final Consumer<String> report;
    private boolean resume;
    private int stepLimit;
    private java.util.function.BooleanSupplier stop = () -> false;
    private Map<Integer, dev.embtrain.training.search.TrialResult> trainedElsewhere;
    private ai.djl.training.tracker.Tracker learningRate;
    private int keep = -1;

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
     * Trains with this learning rate at every step instead of the configured schedule's: the
     * rising rate of {@code embtrain lr-find}.
     *
     * @param rate the rate of each step
     * @return this
     */
    public Training withLearningRate(ai.djl.training.tracker.Tracker rate) {
        this.learningRate = rate;
        return this;
    }

    /**
     * Gives a search the results of trials trained elsewhere (Spark tasks): it records them in
     * trial order and trains only {@code keep}, the best, itself, for the run to keep.
     *
     * @param results the trials' results by number, every trial of the search
     * @param keep the best trial's number
     * @return this
     */
    public Training withTrialsTrainedElsewhere(Map<Integer, dev.embtrain.training.search.TrialResult> results,
            int keep) {
        this.trainedElsewhere = Map.copyOf(results);
        this.keep = keep;
        return this;
    }

    /**
     * Returns the params of every trial a config's search will run, in order, without training
     * (a random sampler's draws do not depend on the trials' values).
     *
     * @param loaded the config, with a search section
     * @return each trial's overrides ({@code key=value})
     * @throws Exception when the config is invalid
     */
    public static List<List<String>> searchPlan(ConfigLoader.Loaded loaded) throws Exception {
        RunKind kind = ConfigChecks.check(loaded);
        return SearchRunner.plan(loaded, ConfigChecks.monitor(loaded, kind));
    }

    /**
     * Returns a search trial's config as a plain run: the trial's values applied, the search
     * section left out, checked as the search checks it.
     *
     * @param loaded the config, with a search section
     * @param overrides the trial's overrides
     * @return the YAML of the trial's run
     */
    public static String trialYaml(ConfigLoader.Loaded loaded, List<String> overrides) {
        RunKind kind = ConfigChecks.check(loaded);
        Map<String, Object> tree = new java.util.LinkedHashMap<>(dev.embtrain.training.config.Configs.written(
                ConfigChecks.trialConfig(loaded, kind, overrides).config()));
        tree.remove("search");
        return dev.embtrain.training.config.ConfigBinder.dump(tree);
    }

    /**
     * Runs the job.
     *
     * @return the outcome
     * @throws Exception when reading, training or writing fails
     */
    public Outcome run() throws Exception {
        RunConfig config = loaded.config();
        RunKind kind = ConfigChecks.check(loaded);
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
        Monitor monitor = ConfigChecks.monitor(loaded, kind);
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
            Resumes.resumable(target, config);
        }
        try (RunDirectory run = resume ? RunDirectory.resume(target) : RunDirectory.begin(target, overwrite)) {
            try {
                return run(run, config, kind, new ModelTrainer(loaded, prepared, devices, monitor, report, stop,
                        stepLimit).withLearningRate(learningRate), prepared, devices, monitor);
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
        return target.toAbsolutePath().resolveSibling(target.getFileName() + "." + RunFiles.TRIALS);
    }

    /** Trains (or searches), refits, finishes and commits, inside the run's staging directory. */
    private Outcome run(RunDirectory run, RunConfig config, RunKind kind, ModelTrainer trainer, Prepared prepared,
            Device[] devices, Monitor monitor) throws Exception {
        Path dir = run.dir();
        Path modelDir = Files.createDirectories(dir.resolve(RunFiles.MODEL_DIR));
        List<String> metrics = kind.metrics(config);
        Trained kept;
        SearchRunner search = null;
        Checkpoints.Saved saved = resume && config.search() == null ? Resumes.resumable(dir, config) : null;
        if (config.search() == null) {
            try (MetricsCsv csv = new MetricsCsv(dir.resolve(RunFiles.METRICS), metrics)) {
                if (saved != null) {
                    saved.history().forEach(csv::onEpoch);
                    report.accept(String.format(Locale.ROOT, "resume   from the checkpoint of epoch %d of %d",
                            saved.history().size(), config.training().epochs()));
                }
                List<Listener> listeners = new ArrayList<>(List.of(csv));
                listeners.addAll(progress);
                kept = trainer.train(new ModelTrainer.Fit(config, modelDir, listeners, true, 0, saved, dir));
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
            search = new SearchRunner(loaded, kind, trainer, prepared, devices, monitor, dir, modelDir, metrics,
                    trialsFile(), resume, report);
            if (trainedElsewhere != null) {
                search.trainedElsewhere(trainedElsewhere, keep);
            }
            try {
                kept = search.run();
            } catch (TrainingInterrupted e) {
                throw new TrainingInterrupted(e.epoch(), "interrupted during trial " + search.study().trials().size()
                        + "; " + trialsFile() + " keeps the " + search.study().trials().size() + " trials that"
                        + " finished: continue with embtrain train CONFIG --resume");
            }
            MetricsCsv.write(dir.resolve(RunFiles.METRICS), metrics, kept.fit().history());
            Files.move(trialsFile(), dir.resolve(RunFiles.TRIALS));
            Files.deleteIfExists(dir.resolve(SearchRunner.SEARCH_CONFIG));
            Files.deleteIfExists(dir.resolve(SearchRunner.BEST_HISTORY));
            Map<String, Object> best = Configs.written(kept.config());
            Files.writeString(dir.resolve(RunFiles.BEST), "# the best trial (" + search.study().best().number()
                    + ") of the search in " + RunFiles.CONFIG + "; train it with embtrain train " + RunFiles.BEST + "\n"
                    + ConfigBinder.dump(best), StandardCharsets.UTF_8);
        }
        Trained scored = kept;
        try {
            Map<String, Object> resolved = new LinkedHashMap<>();
            if (prepared.refits(kept.config())) {
                // After a search the console showed trials, not epochs: the refit's rows would stand alone.
                scored = trainer.refit(kept, modelDir, resolved, search == null ? progress : List.of());
            }
            List<String> summary = new ArrayList<>();
            prepared.finish(new Prepared.Finished(kept.config(), kept.fit(), scored.model(), scored.trainable(),
                    dir, resolved, summary::add, devices));
            Provenance.writeConfig(dir, config, kind, monitor, resolved, kept.fit(),
                    search == null ? null : search.study(), devices);
            if (config.export().serving()) {
                kind.exportServing(dir, dir.resolve(RunFiles.SERVING_DIR), false);
            }
            run.commit();
            return new Outcome(target, kind, monitor, kept.fit(), List.copyOf(summary),
                    search == null ? null : search.study().best(), search == null ? List.of() : search.study().trials());
        } finally {
            kept.close();
            if (scored != kept) {
                scored.close();
            }
        }
    }
}
