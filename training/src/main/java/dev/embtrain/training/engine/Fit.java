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
import dev.embtrain.training.metrics.BinaryMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
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

    /**
     * Returns a listener that writes each epoch's row to {@code metrics.csv} (flushed, so a
     * crash leaves the epochs done) and passes every call on.
     *
     * @param metrics the open CSV, header written
     * @param next the listener to pass calls on to
     * @return the listener
     */
    public static Listener writingCsv(java.io.BufferedWriter metrics, Listener next) {
        return new Listener() {
            @Override
            public void onBatch(int epoch, int batch, int count) {
                next.onBatch(epoch, batch, count);
            }

            @Override
            public void onEpoch(EpochMetrics m, boolean best) {
                try {
                    metrics.write(m.csvRow());
                    metrics.newLine();
                    metrics.flush();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                next.onEpoch(m, best);
            }
        };
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
     * @param task regression or binary: which validation metrics are computed
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
            Task task, int epochs, int batchSize, long seed, EarlyStoppingConfig.Metric metric, int patience,
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
            EpochMetrics m = new EpochMetrics(epoch, lossSum / batches, options.task(),
                    evaluate(trainer, valid, options.task()), seconds, train.rows() / seconds,
                    options.learningRate().getNewValue(step));
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
     * Computes the task's validation metrics with the model in inference mode: MSE, RMSE and MAE
     * of the predictions; or AUC of the logits (only their order matters), log loss of
     * σ(logit) and accuracy at σ(logit) &gt;= 0.5 against 0/1 labels.
     *
     * @param trainer the trainer
     * @param valid the validation rows
     * @param task the task
     * @return the metrics by name, as {@link Task#metrics()}
     */
    public static Map<String, Double> evaluate(Trainer trainer, Batches valid, Task task) {
        float[][] scored = scores(trainer, valid);
        float[] pred = scored[0];
        float[] labels = scored[1];
        Map<String, Double> out = new LinkedHashMap<>();
        if (task == Task.REGRESSION) {
            double sse = 0;
            double sae = 0;
            for (int i = 0; i < pred.length; i++) {
                double d = (double) pred[i] - labels[i];
                sse += d * d;
                sae += Math.abs(d);
            }
            out.put("valid_mse", sse / pred.length);
            out.put("valid_rmse", Math.sqrt(sse / pred.length));
            out.put("valid_mae", sae / pred.length);
            return out;
        }
        double[] logits = new double[pred.length];
        double[] probabilities = new double[pred.length];
        int[] y = new int[pred.length];
        for (int i = 0; i < pred.length; i++) {
            logits[i] = pred[i];
            probabilities[i] = BinaryMetrics.sigmoid(pred[i]);
            y[i] = labels[i] >= 0.5f ? 1 : 0;
        }
        out.put("valid_auc", BinaryMetrics.auc(logits, y));
        out.put("valid_log_loss", BinaryMetrics.logLossFromLogits(logits, y));
        out.put("valid_accuracy", BinaryMetrics.accuracy(probabilities, y, 0.5));
        return out;
    }

    /**
     * Scores every validation row in inference mode.
     *
     * @param trainer the trainer
     * @param valid the rows, in order
     * @return {@code {predictions, labels}}
     */
    public static float[][] scores(Trainer trainer, Batches valid) {
        float[] pred = new float[valid.rows()];
        float[] labels = new float[valid.rows()];
        int at = 0;
        try (Batches.Epoch all = valid.epoch(EVAL_BATCH, null)) {
            while (all.hasNext()) {
                try (Batch batch = all.next()) {
                    float[] p = trainer.evaluate(batch.getData()).head().toFloatArray();
                    float[] l = batch.getLabels().head().toFloatArray();
                    System.arraycopy(p, 0, pred, at, p.length);
                    System.arraycopy(l, 0, labels, at, l.length);
                    at += p.length;
                }
            }
        }
        return new float[][] {pred, labels};
    }
}
