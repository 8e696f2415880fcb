package dev.embtrain.training.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.embtrain.training.config.EarlyStoppingConfig;
import dev.embtrain.training.data.Batches;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The epoch loop around a DJL {@link Trainer}: shuffled batches, forward, loss, backward, step;
 * then validation metrics, the best epoch kept, early stopping.
 *
 * <p>A custom loop rather than {@code EasyTrain.fit} because an embedding model's step is so
 * cheap that per-batch overhead decides the speed: DJL's default listeners read several scalars
 * back per batch and its dataset stacks rows one by one. Every {@link Batch} and manager here is
 * closed by try-with-resources, and the training loss is summed on the device and read once
 * per epoch.
 */
public final class Fit {

    /** Receives progress; all methods run on the training thread. */
    public interface Listener {
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
         * @param metrics the epoch's metrics
         * @param best whether it is the best epoch so far
         */
        default void onEpoch(EpochMetrics metrics, boolean best) {}
    }

    /** Saves the parameters of a new best epoch. */
    public interface BestSaver {
        /**
         * Saves the current parameters as those of {@code epoch}.
         *
         * @param epoch the epoch
         * @throws java.io.IOException when they cannot be written
         */
        void save(int epoch) throws java.io.IOException;
    }

    /**
     * What the loop needs besides the trainer and data.
     *
     * @param epochs the most epochs to run
     * @param batchSize training rows per step
     * @param seed seeds the shuffle of every epoch
     * @param metric the monitored metric
     * @param patience epochs without improvement before stopping; 0 never stops
     * @param minDelta the smallest decrease that counts
     * @param learningRate the schedule, to report the rate in the metrics
     * @param optimizer the trainer's optimizer, called directly on a single device
     */
    public record Options(
            int epochs, int batchSize, long seed, EarlyStoppingConfig.Metric metric, int patience,
            double minDelta, Tracker learningRate, Optimizer optimizer) {}

    /**
     * What the loop ended with.
     *
     * @param history one entry per epoch run
     * @param bestEpoch the epoch whose parameters were saved last
     * @param stoppedEarly whether patience ran out
     */
    public record Result(List<EpochMetrics> history, int bestEpoch, boolean stoppedEarly) {
        /**
         * Returns the best epoch's metrics.
         *
         * @return the metrics
         */
        public EpochMetrics best() {
            return history.get(bestEpoch - 1);
        }
    }

    private static final int EVAL_BATCH = 8192;

    private Fit() {}

    /**
     * Runs the loop.
     *
     * @param trainer an initialised trainer
     * @param train the training rows
     * @param valid the validation rows
     * @param options epochs, batch size, monitoring
     * @param saver saves a new best epoch's parameters
     * @param listener progress
     * @return the history and the best epoch
     * @throws java.io.IOException when saving fails
     */
    public static Result fit(Trainer trainer, Batches train, Batches valid, Options options, BestSaver saver,
            Listener listener) throws java.io.IOException {
        List<EpochMetrics> history = new ArrayList<>();
        int bestEpoch = 0;
        double best = Double.NaN;
        int batches = train.batchCount(options.batchSize());
        int step = 0;
        SplittableRandom seeds = new SplittableRandom(options.seed());
        Optimizer direct = trainer.getDevices().length == 1 ? options.optimizer() : null;
        List<Parameter> parameters = trainer.getModel().getBlock().getParameters().values().stream()
                .filter(Parameter::requiresGradient).toList();
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            long begin = System.nanoTime();
            double lossSum;
            try (NDManager epochManager = trainer.getManager().newSubManager();
                    Batches.Epoch batchesOfEpoch = train.epoch(options.batchSize(), seeds.split())) {
                NDArray lossTotal = epochManager.zeros(new ai.djl.ndarray.types.Shape());
                int b = 0;
                while (batchesOfEpoch.hasNext()) {
                    try (Batch batch = batchesOfEpoch.next()) {
                        trainStep(trainer, batch, lossTotal, direct, parameters);
                    }
                    step++;
                    listener.onBatch(epoch, ++b, batches);
                }
                lossSum = lossTotal.getFloat();
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            double[] errors = evaluate(trainer, valid);
            EpochMetrics m = new EpochMetrics(epoch, lossSum / batches, errors[0], errors[1], seconds,
                    train.rows() / seconds, options.learningRate().getNewValue(step));
            history.add(m);
            double value = m.value(options.metric());
            if (!Double.isFinite(value)) {
                throw new IllegalStateException("epoch " + epoch + ": " + options.metric().yamlName() + " is " + value
                        + "; training diverged (lower training.optimizer.learning_rate)");
            }
            boolean improved = options.metric().improves(value, best, options.minDelta());
            if (improved) {
                best = value;
                bestEpoch = epoch;
                saver.save(epoch);
            }
            listener.onEpoch(m, improved);
            if (options.patience() > 0 && epoch - bestEpoch >= options.patience()) {
                return new Result(history, bestEpoch, epoch < options.epochs());
            }
        }
        return new Result(history, bestEpoch, false);
    }

    private static void trainStep(Trainer trainer, Batch batch, NDArray lossTotal, Optimizer direct,
            List<Parameter> parameters) {
        // One device: DJL's split hands back the same arrays; several GPUs: one slice each.
        for (Batch split : batch.split(trainer.getDevices(), false)) {
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList preds = trainer.forward(split.getData(), split.getLabels());
                NDArray loss = trainer.getLoss().evaluate(split.getLabels(), preds);
                collector.backward(loss);
                lossTotal.addi(loss.stopGradient().toDevice(lossTotal.getDevice(), false));
            }
        }
        if (direct == null) {
            trainer.step();
            return;
        }
        // One device: update each parameter from its own gradient. DJL's parameter server would
        // first copy every gradient (grads[0].duplicate(), one pass over every table per step)
        // to reduce across devices, and leaves the gradient views it fetched open.
        for (Parameter p : parameters) {
            NDArray weight = p.getArray();
            try (NDArray grad = weight.getGradient()) {
                direct.update(p.getId(), weight, grad);
            }
        }
    }

    /**
     * Computes validation MSE and MAE with the model in inference mode.
     *
     * @param trainer the trainer
     * @param valid the validation rows
     * @return {@code {mse, mae}}
     */
    public static double[] evaluate(Trainer trainer, Batches valid) {
        try (NDManager scope = trainer.getManager().newSubManager();
                Batches.Epoch all = valid.epoch(EVAL_BATCH, null)) {
            NDArray sse = scope.zeros(new ai.djl.ndarray.types.Shape());
            NDArray sae = scope.zeros(new ai.djl.ndarray.types.Shape());
            while (all.hasNext()) {
                try (Batch batch = all.next()) {
                    NDArray pred = trainer.evaluate(batch.getData()).head();
                    NDArray diff = pred.sub(batch.getLabels().head().reshape(pred.getShape()));
                    sse.addi(diff.square().sum().toDevice(sse.getDevice(), false));
                    sae.addi(diff.abs().sum().toDevice(sae.getDevice(), false));
                }
            }
            return new double[] {sse.getFloat() / valid.rows(), sae.getFloat() / valid.rows()};
        }
    }
}
