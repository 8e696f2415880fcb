package dev.embtrain.training.objectives;

import dev.embtrain.training.engine.Monitor;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import dev.embtrain.training.data.Batches;
import dev.embtrain.training.engine.Objective;
import dev.embtrain.training.engine.Task;
import dev.embtrain.training.metrics.BinaryMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Supervised rows with a label each: ratings (regression: MSE; validation MSE, RMSE, MAE) or
 * 0/1 labels (binary: sigmoid cross-entropy on a logit; validation AUC, log loss, accuracy).
 * Serves every rating model, with or without side features, and the labelled-embeddings
 * classifiers. Each epoch shuffles the training rows with the next split of the seed's stream.
 */
public final class Supervised implements Objective {

    private static final int EVAL_BATCH = 8192;

    private final Batches train;
    private final Batches valid;
    private final Task task;
    private final Loss loss;
    private final int batchSize;
    private final Shape[] inputShapes;
    private final SplittableRandom seeds;

    /**
     * Creates the objective; it owns (and closes) both splits.
     *
     * @param train the training rows
     * @param valid the validation rows
     * @param task regression or binary
     * @param loss the loss of a batch
     * @param batchSize rows per step
     * @param inputShapes what {@code Trainer.initialize} takes
     * @param seed seeds every epoch's shuffle
     */
    public Supervised(Batches train, Batches valid, Task task, Loss loss, int batchSize, Shape[] inputShapes,
            long seed) {
        this.train = train;
        this.valid = valid;
        this.task = task;
        this.loss = loss;
        this.batchSize = batchSize;
        this.inputShapes = inputShapes.clone();
        this.seeds = new SplittableRandom(seed);
    }

    @Override
    public Shape[] inputShapes() {
        return inputShapes.clone();
    }

    @Override
    public int batchesPerEpoch() {
        return train.batchCount(batchSize);
    }

    /** Regression's validation metrics, the monitored one by default first. */
    private static final List<Monitor> REGRESSION = List.of(new Monitor("valid_mse", false),
            new Monitor("valid_rmse", false), new Monitor("valid_mae", false));
    /** A binary label's validation metrics, the monitored one by default first. */
    private static final List<Monitor> BINARY = List.of(new Monitor("valid_auc", true),
            new Monitor("valid_log_loss", false), new Monitor("valid_accuracy", true));

    /**
     * Returns the validation metrics an epoch of a task reports, in column order, the one
     * {@code early_stopping.metric: auto} monitors first: where every metric's name and
     * direction are declared.
     *
     * @param task the task
     * @return the metrics
     */
    public static List<Monitor> metrics(Task task) {
        return task == Task.REGRESSION ? REGRESSION : BINARY;
    }

    @Override
    public List<String> metrics() {
        return Metrics.names(metrics(task));
    }

    @Override
    public Epoch epoch(NDManager manager, int epoch) {
        Batches.Epoch rows = train.epoch(batchSize, seeds.split());
        int batches = train.batchCount(batchSize);
        return new Epoch() {
            @Override
            public int batches() {
                return batches;
            }

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Batch next() {
                return rows.next();
            }

            @Override
            public void close() {
                rows.close();
            }
        };
    }

    @Override
    public Loss loss() {
        return loss;
    }

    @Override
    public Map<String, Double> validate(Trainer trainer) {
        float[][] scored = scores(trainer, valid);
        return metrics(task, scored[0], scored[1]);
    }

    /**
     * Computes a task's validation metrics: MSE, RMSE and MAE of the predictions; or AUC of
     * the logits (only their order matters), log loss of σ(logit) and accuracy at
     * σ(logit) &gt;= 0.5 against 0/1 labels.
     *
     * @param task the task
     * @param pred predictions (ratings or logits)
     * @param labels the labels
     * @return {@link Task#metrics()} by name
     */
    public static Map<String, Double> metrics(Task task, float[] pred, float[] labels) {
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
     * Scores every row in inference mode.
     *
     * @param trainer the trainer
     * @param rows the rows, in order
     * @return {@code {predictions, labels}}
     */
    public static float[][] scores(Trainer trainer, Batches rows) {
        float[] pred = new float[rows.rows()];
        float[] labels = new float[rows.rows()];
        int at = 0;
        try (Batches.Epoch all = rows.epoch(EVAL_BATCH, null)) {
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

    @Override
    public void close() {
        train.close();
        valid.close();
    }
}
