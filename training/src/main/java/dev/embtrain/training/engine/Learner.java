package dev.embtrain.training.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.optimizer.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one training loop: for every epoch, the objective's batches through forward, loss,
 * backward and the optimizer; then its validation metrics, the monitored value compared with
 * the best so far, and the listeners, any of which may stop the loop (Tribuo's
 * {@code AbstractSGDTrainer} shape: one loop, the varying parts as hooks).
 *
 * <p>A custom loop over DJL's {@link Trainer} rather than {@code EasyTrain.fit}: an embedding
 * model's step is so cheap that per-batch overhead decides the speed, and DJL's default
 * listeners read several scalars back every batch. Here the training loss is summed on the
 * device and read once per epoch, and every {@link Batch}, epoch and manager is closed by
 * try-with-resources. The best value is tracked once, here, and handed to the listeners in the
 * {@link EpochRecord} (fastai's {@code TrackerCallback}), so that keeping the best epoch, early
 * stopping and pruning agree on it.
 */
public final class Learner {

    /** Whether to print each fit's {@link StepProfile} when it ends ({@code -Dembtrain.profile=true}). */
    private static final boolean PROFILE = Boolean.getBoolean("embtrain.profile");

    private Learner() {}

    /**
     * Runs the loop.
     *
     * @param trainer an initialised trainer whose loss is the objective's
     * @param objective the batches, loss and validation
     * @param options epochs, monitor, optimizer
     * @param listeners called in order for every event
     * @return the history and the best epoch
     */
    public static FitResult fit(Trainer trainer, Objective objective, FitOptions options, List<Listener> listeners) {
        return fit(trainer, objective, options, listeners, List.of());
    }

    /**
     * Runs the loop from where a checkpoint left it: the resumed epochs are not trained again,
     * but their batches are drawn and dropped, so that every random stream of the objective
     * (shuffles, negatives, samplers) stands where it stood; the parameters and the optimizer's
     * state must have been restored by the caller.
     *
     * @param trainer an initialised trainer whose loss is the objective's
     * @param objective the batches, loss and validation
     * @param options epochs, monitor, optimizer
     * @param listeners called in order for every event
     * @param resumed the epochs a checkpoint holds, in order; empty for a fresh run
     * @return the history, resumed epochs included, and the best epoch
     */
    public static FitResult fit(Trainer trainer, Objective objective, FitOptions options, List<Listener> listeners,
            List<EpochRecord> resumed) {
        String monitored = options.monitor().name();
        if (!monitored.equals(Monitor.TRAIN_LOSS) && !objective.metrics().contains(monitored)) {
            throw new IllegalArgumentException("the monitored metric " + monitored + " is not measured; expected "
                    + Monitor.TRAIN_LOSS + " or one of " + objective.metrics());
        }
        List<EpochRecord> history = new ArrayList<>();
        int bestEpoch = 0;
        double best = Double.NaN;
        int step = 0;
        // One device: update each parameter from its own gradient. DJL's parameter server would
        // first copy every gradient (one pass over every table per step) to reduce across devices.
        Optimizer direct = trainer.getDevices().length == 1 ? options.optimizer() : null;
        RowSparse rowSparse = options.rowSparse();
        if (rowSparse != null && direct == null) {
            throw new IllegalArgumentException("row-sparse tables train on one device; found "
                    + trainer.getDevices().length);
        }
        List<Parameter> parameters = trainer.getModel().getBlock().getParameters().values().stream()
                .filter(Parameter::requiresGradient).toList();
        Host host = Host.of(objective, trainer, rowSparse, parameters);
        for (EpochRecord r : resumed) {
            history.add(r);
            bestEpoch = r.bestEpoch();
            if (r.improved()) {
                best = r.value(monitored);
            }
            try (NDManager epochManager = trainer.getManager().newSubManager();
                    Objective.Epoch replay = objective.epoch(epochManager, r.epoch())) {
                while (replay.hasNext()) {
                    replay.next().close();
                    step++;
                }
            }
        }
        listeners = ordered(listeners);
        listeners.forEach(l -> l.onTrainingBegin(options.epochs()));
        StepProfile profile = new StepProfile();
        Step current = new Step(parameters, rowSparse, trainer.getDevices().length == 1);
        boolean stopped = false;
        for (int epoch = resumed.size() + 1; epoch <= options.epochs() && !stopped; epoch++) {
            long begin = System.nanoTime();
            double lossSum;
            long samples = 0;
            int batches;
            int counted = 0;
            try (NDManager epochManager = trainer.getManager().newSubManager();
                    Objective.Epoch batchesOfEpoch = objective.epoch(epochManager, epoch)) {
                NDArray lossTotal = epochManager.zeros(new Shape());
                batches = batchesOfEpoch.batches();
                int b = 0;
                profile.start();
                while (batchesOfEpoch.hasNext()) {
                    b++;
                    current.begin(epochManager, epoch, b, batches, step + 1);
                    try (Batch batch = batchesOfEpoch.next()) {
                        profile.mark(StepProfile.Phase.BATCH);
                        samples += batch.getSize();
                        if (trainStep(trainer, batch, lossTotal, direct, parameters, rowSparse, host, current,
                                listeners, profile)) {
                            counted++;
                        }
                        profile.step();
                    } finally {
                        current.end();
                    }
                    step++;
                    for (Listener l : listeners) {
                        l.afterStep(current);
                    }
                    if (current.stopped() || (options.maxSteps() > 0 && step >= options.maxSteps())) {
                        stopped = true;
                        break;
                    }
                    profile.start();
                }
                lossSum = lossTotal.getFloat();
            }
            if (rowSparse != null) {
                rowSparse.sync();
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            Map<String, Double> valid = objective.validate(trainer);
            // The mean over the batches trained, whatever the epoch announced, less those skipped.
            double trainLoss = counted == 0 ? Double.NaN : lossSum / counted;
            double value = options.monitor().name().equals(Monitor.TRAIN_LOSS) ? trainLoss
                    : valid.getOrDefault(options.monitor().name(), Double.NaN);
            boolean improved = Double.isFinite(value) && options.monitor().improves(value, best, options.minDelta());
            if (improved) {
                best = value;
                bestEpoch = epoch;
            }
            EpochRecord record = new EpochRecord(epoch, trainLoss, valid, seconds, samples,
                    options.learningRate().getNewValue(step), improved, bestEpoch);
            history.add(record);
            for (Listener l : listeners) {
                if (l.onEpoch(record) == Listener.Decision.STOP) {
                    stopped = true;
                }
            }
        }
        if (PROFILE) {
            System.err.println(profile);
        }
        FitResult result = new FitResult(history, bestEpoch, stopped && history.size() < options.epochs());
        listeners.forEach(l -> l.onTrainingEnd(result));
        return result;
    }

    /** Sorts listeners by {@link Listener#order()}, keeping the given order among equals. */
    private static List<Listener> ordered(List<Listener> listeners) {
        List<Listener> sorted = new ArrayList<>(listeners);
        sorted.sort(java.util.Comparator.comparingInt(Listener::order));
        return sorted;
    }

    /**
     * Trains one batch: forward, loss, backward and update, with the step's events between them.
     *
     * @return whether the step was applied (its loss counts in the epoch's)
     */
    private static boolean trainStep(Trainer trainer, Batch batch, NDArray lossTotal, Optimizer direct,
            List<Parameter> parameters, RowSparse rowSparse, Host host, Step step, List<Listener> listeners,
            StepProfile profile) {
        for (Listener l : listeners) {
            l.beforeForward(step);
        }
        if (step.skipped()) {
            return false;
        }
        if (host != null) {
            return hostStep(trainer, batch, lossTotal, rowSparse, host, step, listeners, profile);
        }
        if (rowSparse != null) {
            return sparseStep(trainer, batch, lossTotal, direct, parameters, rowSparse, step, listeners, profile);
        }
        // One device: DJL's split hands back the same arrays; several GPUs: one slice each.
        List<NDArray> losses = new ArrayList<>();
        for (Batch split : batch.split(trainer.getDevices(), false)) {
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList preds = trainer.forward(split.getData(), split.getLabels());
                profile.mark(StepProfile.Phase.FORWARD);
                NDArray loss = trainer.getLoss().evaluate(split.getLabels(), preds);
                profile.mark(StepProfile.Phase.LOSS);
                afterLoss(step, loss, listeners);
                if (step.skipped()) {
                    return false;
                }
                collector.backward(loss);
                profile.mark(StepProfile.Phase.BACKWARD);
                losses.add(loss.stopGradient());
            }
            profile.mark(StepProfile.Phase.LOSS);
        }
        if (afterBackward(step, listeners)) {
            dropGradients(parameters, null);
            return false;
        }
        for (NDArray loss : losses) {
            lossTotal.addi(loss.toDevice(lossTotal.getDevice(), false));
        }
        if (direct == null) {
            trainer.step();
        } else {
            denseUpdate(direct, parameters, null);
        }
        profile.mark(StepProfile.Phase.DENSE_UPDATE);
        return true;
    }

    private static void afterLoss(Step step, NDArray loss, List<Listener> listeners) {
        step.loss(loss);
        for (Listener l : listeners) {
            l.afterLoss(step);
        }
    }

    /** Shows the listeners the step's gradients; returns whether one of them skipped the update. */
    private static boolean afterBackward(Step step, List<Listener> listeners) {
        step.phase(Step.Phase.AFTER_BACKWARD);
        for (Listener l : listeners) {
            l.afterBackward(step);
        }
        return step.skipped();
    }

    /**
     * Zeroes the gradients of a skipped step, but those the row-sparse tables hold (the optimizers
     * zero a gradient as they apply it; one not applied would add to the next step's).
     */
    private static void dropGradients(List<Parameter> parameters, RowSparse rowSparse) {
        for (Parameter p : parameters) {
            if (rowSparse != null && rowSparse.hosts(p)) {
                continue;
            }
            try (NDArray grad = p.getArray().getGradient()) {
                // Not muli(0): a skipped step's gradient may hold NaN or infinities.
                grad.set(new NDIndex("..."), 0f);
            }
        }
    }

    /** Updates every parameter from its own gradient, but those the row-sparse tables update. */
    private static void denseUpdate(Optimizer direct, List<Parameter> parameters, RowSparse rowSparse) {
        for (Parameter p : parameters) {
            if (rowSparse != null && rowSparse.hosts(p)) {
                continue;
            }
            NDArray weight = p.getArray();
            try (NDArray grad = weight.getGradient()) {
                direct.update(p.getId(), weight, grad);
            }
        }
    }

    /**
     * The objective's {@link HostStep} and the row-sparse tables it reads, when the loop uses one:
     * on the CPU, every trained parameter a row-sparse table, and not switched off with
     * {@code -Dembtrain.host_steps=false} (which runs the same step through autograd, to compare).
     */
    private record Host(HostStep step, HostRows rows) {
        static Host of(Objective objective, Trainer trainer, RowSparse rowSparse, List<Parameter> parameters) {
            if (rowSparse == null || parameters.isEmpty()
                    || !Boolean.parseBoolean(System.getProperty("embtrain.host_steps", "true"))) {
                return null;
            }
            HostStep step = objective.hostStep(trainer.getModel().getBlock());
            HostRows rows = step == null ? null : rowSparse.hostRows(parameters);
            return rows == null ? null : new Host(step, rows);
        }
    }

    /**
     * A step computed by the objective's {@link HostStep} over the host rows of the tables, which
     * then update those rows; the listeners see its loss and gradients as after autograd's.
     */
    private static boolean hostStep(Trainer trainer, Batch batch, NDArray lossTotal, RowSparse rowSparse, Host host,
            Step step, List<Listener> listeners, StepProfile profile) {
        rowSparse.begin(trainer.getManager());
        float value = host.step().run(batch.getData(), host.rows());
        NDArray loss = batch.getManager().create(value);
        profile.mark(StepProfile.Phase.HOST_STEP);
        afterLoss(step, loss, listeners);
        if (step.skipped() || afterBackward(step, listeners)) {
            rowSparse.discard();
            return false;
        }
        lossTotal.addi(loss);
        rowSparse.step(step.number());
        profile.mark(StepProfile.Phase.SPARSE_UPDATE);
        return true;
    }

    /**
     * A step whose tables train row by row: the forward pass reads them through the row-sparse
     * store, which updates the rows it handed out; the dense optimizer updates the rest.
     */
    private static boolean sparseStep(Trainer trainer, Batch batch, NDArray lossTotal, Optimizer direct,
            List<Parameter> parameters, RowSparse rowSparse, Step step, List<Listener> listeners,
            StepProfile profile) {
        ParameterStore store = rowSparse.begin(trainer.getManager());
        NDArray loss;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDList preds = trainer.getModel().getBlock().forward(store, batch.getData(), batch.getLabels(), null);
            profile.mark(StepProfile.Phase.FORWARD);
            loss = trainer.getLoss().evaluate(batch.getLabels(), preds);
            profile.mark(StepProfile.Phase.LOSS);
            afterLoss(step, loss, listeners);
            if (step.skipped()) {
                rowSparse.discard();
                return false;
            }
            collector.backward(loss);
            profile.mark(StepProfile.Phase.BACKWARD);
        }
        profile.mark(StepProfile.Phase.LOSS);
        if (afterBackward(step, listeners)) {
            dropGradients(parameters, rowSparse);
            rowSparse.discard();
            return false;
        }
        lossTotal.addi(loss.stopGradient().toDevice(lossTotal.getDevice(), false));
        denseUpdate(direct, parameters, rowSparse);
        profile.mark(StepProfile.Phase.DENSE_UPDATE);
        rowSparse.step(step.number());
        profile.mark(StepProfile.Phase.SPARSE_UPDATE);
        return true;
    }
}
