package dev.embtrain.training.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.embtrain.models.EmbeddingTable;
import dev.embtrain.models.HasEmbeddingTables;
import dev.embtrain.training.config.ConfigBinder;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.Configs;
import dev.embtrain.training.config.OptimizerConfig;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.config.ScheduleConfig;
import dev.embtrain.training.config.TrainingConfig;
import dev.embtrain.training.engine.FitOptions;
import dev.embtrain.training.engine.FitResult;
import dev.embtrain.training.engine.Learner;
import dev.embtrain.training.engine.Listener;
import dev.embtrain.training.engine.Monitor;
import dev.embtrain.training.engine.listeners.BestEpoch;
import dev.embtrain.training.engine.listeners.Checkpoint;
import dev.embtrain.training.engine.listeners.Divergence;
import dev.embtrain.training.engine.listeners.EarlyStopping;
import dev.embtrain.training.engine.listeners.GradientClipping;
import dev.embtrain.training.engine.listeners.Interruption;
import dev.embtrain.training.kinds.Prepared;
import dev.embtrain.training.optim.MemoryPlan;
import dev.embtrain.training.optim.OptimizerSpec;
import dev.embtrain.training.optim.Optimizers;
import dev.embtrain.training.optim.RowOptimizer;
import dev.embtrain.training.optim.RowSparseTables;
import dev.embtrain.training.optim.SavesState;
import dev.embtrain.training.run.Checkpoints;
import dev.embtrain.training.run.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Trains one model of a run (the kept model, a search's trial, or the refit) on data a kind
 * prepared: builds the model and its optimizers, restores a checkpoint, assembles the listeners
 * every fit has, runs the one loop and reloads the kept epoch's parameters.
 */
final class ModelTrainer {

    /** What the divergence check tells the user to change. */
    private static final String DIVERGED_HINT = "lower training.optimizer.learning_rate";

    private final ConfigLoader.Loaded loaded;
    private final Prepared prepared;
    private final Device[] devices;
    private final Monitor monitor;
    private final Consumer<String> report;
    private final BooleanSupplier stop;
    private final int stepLimit;
    private Tracker learningRate;

    /**
     * One fit.
     *
     * @param config the config to train
     * @param modelDir where the kept epoch's parameters go
     * @param listeners further listeners (metrics.csv, progress, pruning)
     * @param say whether to report the model and its memory
     * @param refitEpochs 0, or the epochs of a refit: exactly that many epochs of the configured
     *     schedule (the rate follows a full run's curve, cut there), on training + validation rows,
     *     keeping the last epoch
     * @param resumeFrom a checkpoint to continue from, or null
     * @param checkpointIn the staging directory to write a checkpoint into after every epoch, or null
     */
    record Fit(RunConfig config, Path modelDir, List<Listener> listeners, boolean say, int refitEpochs,
            Checkpoints.Saved resumeFrom, Path checkpointIn) {

        /** A plain fit: a search's trial. */
        static Fit of(RunConfig config, Path modelDir, List<Listener> listeners) {
            return new Fit(config, modelDir, listeners, false, 0, null, null);
        }
    }

    ModelTrainer(ConfigLoader.Loaded loaded, Prepared prepared, Device[] devices, Monitor monitor,
            Consumer<String> report, BooleanSupplier stop, int stepLimit) {
        this.loaded = loaded;
        this.prepared = prepared;
        this.devices = devices;
        this.monitor = monitor;
        this.report = report;
        this.stop = stop;
        this.stepLimit = stepLimit;
    }

    /**
     * Replaces the configured schedule's learning rate (a learning-rate range test's ramp).
     *
     * @param rate the rate of each step
     * @return this
     */
    ModelTrainer withLearningRate(Tracker rate) {
        this.learningRate = rate;
        return this;
    }

    /**
     * Trains one model.
     *
     * @param fit what to train and how
     * @return the model with its kept epoch's parameters, open
     * @throws IOException when the parameters cannot be written or read back
     */
    Trained train(Fit fit) throws IOException {
        RunConfig config = fit.config();
        Path modelDir = fit.modelDir();
        int stopAfter = fit.refitEpochs();
        Checkpoints.Saved saved = fit.resumeFrom();
        TrainingConfig training = config.training();
        Model model = Model.newInstance(RunFiles.MODEL_NAME, devices[0]);
        try {
            Engine.getInstance().setRandomSeed((int) config.seed());
            Prepared.Trainable t = prepared.build(config, model, stopAfter > 0);
            // Tables have their shapes from construction, so which train row by row is known now.
            // Those runs train on one device (DJL's multi-device split is unreliable: DJL-NOTES).
            long sparseFrom = training.optimizer().sparseFromRows();
            if (training.optimizer().sparse() == OptimizerConfig.Sparse.AUTO && sparseFrom != Long.MAX_VALUE
                    && !devices[0].isGpu() && t.objective().hostStep(model.getBlock()) != null) {
                // The objective computes the step itself over row-sparse rows (item2vec with a draw
                // of negatives per example): on the CPU its fastest path, whatever the tables' sizes.
                sparseFrom = 0;
            }
            List<EmbeddingTable> sparseTables = sparseTables(model, sparseFrom);
            Device[] use = t.oneDevice() || !sparseTables.isEmpty() ? new Device[] {devices[0]} : devices;
            FitResult result;
            try {
                int totalSteps = t.objective().batchesPerEpoch() * training.epochs();
                OptimizerSpec spec = optimizerSpec(training);
                Tracker lr = learningRate != null ? learningRate : Optimizers.learningRate(spec, totalSteps);
                Optimizer optimizer = Optimizers.optimizer(spec, lr, totalSteps);
                DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(t.objective().loss())
                        .optOptimizer(optimizer).optDevices(use);
                RowOptimizer rowOptimizer = sparseTables.isEmpty() ? null
                        : Optimizers.rowOptimizer(spec, lr, totalSteps);
                MemoryPlan memory = MemoryPlan.of(model.getBlock().getParameters().values(), spec.rule(),
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
                    if (fit.say()) {
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
                    List<Listener> listeners = listeners(fit, model, states, optimizer instanceof SavesState);
                    FitOptions options = new FitOptions(stopAfter > 0 ? stopAfter : training.epochs(), monitor,
                            training.earlyStopping().minDelta(), lr, optimizer, sparse, stepLimit);
                    result = Learner.fit(trainer, t.objective(), options, listeners,
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
            return new Trained(config, result, model, t);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Reads a {@code training} section's optimizer and schedule into plain numbers.
     *
     * @param training the section
     * @return the spec {@link Optimizers} builds from
     */
    static OptimizerSpec optimizerSpec(TrainingConfig training) {
        OptimizerConfig o = training.optimizer();
        ScheduleConfig s = training.schedule();
        return new OptimizerSpec(OptimizerSpec.Rule.valueOf(o.type().name()), o.learningRate(), o.weightDecay(),
                o.betas(), o.eps(), o.momentum(), OptimizerSpec.Schedule.valueOf(s.type().name()), s.divFactor(),
                s.finalDivFactor(), s.pctStart(), s.cycleMomentum(), s.moms(), o.lazy());
    }

    /** The listeners of every fit, in the loop's order, with the fit's own in the middle. */
    private List<Listener> listeners(Fit fit, Model model, List<SavesState> states, boolean checkpointable) {
        TrainingConfig training = fit.config().training();
        int stopAfter = fit.refitEpochs();
        Checkpoints.Saved saved = fit.resumeFrom();
        Path modelDir = fit.modelDir();
        List<Listener> listeners = new ArrayList<>();
        listeners.add(new Interruption(stop));
        listeners.add(new Divergence(monitor.name(), DIVERGED_HINT));
        if (training.clipGradNorm() > 0) {
            listeners.add(new GradientClipping(training.clipGradNorm()));
        }
        if (stopAfter == 0) {
            listeners.add(new BestEpoch(epoch -> RunFiles.saveBest(model, modelDir, epoch)));
        }
        listeners.addAll(fit.listeners());
        if (fit.checkpointIn() != null && checkpointable) {
            String yaml = ConfigBinder.dump(Configs.written(fit.config()));
            listeners.add(new Checkpoint((history, steps) -> Checkpoints.write(fit.checkpointIn(), model,
                    states, history, steps, yaml), saved == null ? List.of() : saved.history(),
                    saved == null ? 0 : saved.steps()));
        }
        listeners.add(new EarlyStopping(stopAfter > 0 ? 0 : training.earlyStopping().patience()));
        return listeners;
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
     * Trains the chosen config again, from scratch, on training + validation rows for the chosen
     * number of epochs, into {@code modelDir}.
     */
    Trained refit(Trained chosen, Path modelDir, Map<String, Object> resolved, List<Listener> listeners)
            throws IOException {
        int epochs = chosen.fit().bestEpoch();
        clear(modelDir);
        Trained t = train(new Fit(chosen.config(), modelDir, listeners, false, epochs, null, null));
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

    static void clear(Path dir) throws IOException {
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
    }

}
