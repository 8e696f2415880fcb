package dev.embtrain.training.config;

import java.util.List;

/**
 * The optimizer.
 *
 * @param type adamw (decoupled weight decay), adam (L2 added to the gradient), sgd, or rowwise-adagrad
 * @param learningRate the peak learning rate
 * @param weightDecay the weight decay
 * @param betas Adam's beta1 and beta2
 * @param eps Adam's epsilon
 * @param momentum SGD's momentum
 * @param sparse whether embedding tables train row by row
 * @param lazy whether row-sparse Adam(W) leaves the rows a step skips as they are
 */
@Doc("The optimizer.")
public record OptimizerConfig(
        @Doc("adamw: Adam with decoupled weight decay (fastai's default); adam: weight decay added to the"
                        + " gradient; sgd: with momentum; rowwise-adagrad: one accumulator per table row"
                        + " (PyTorch-BigGraph, torchrec), element-wise Adagrad for dense layers; its tables"
                        + " always train row by row.")
                @Default("adamw") OptimizerType type,
        @Doc("Peak learning rate (the one-cycle schedule's maximum).") @Default("5.0e-3") double learningRate,
        @Doc("Weight decay; decoupled for adamw (w -= lr * wd * w each step).") @Default("0.1")
                double weightDecay,
        @Doc("Adam's beta1, beta2; fastai's [0.9, 0.99] beat PyTorch's 0.999 on MovieLens."
                        + " With one-cycle and cycle_momentum, beta1 follows the schedule's moms.")
                @Default("[0.9, 0.99]") List<Double> betas,
        @Doc("Adam's epsilon, added to sqrt of the debiased second moment (fastai's 1e-5).")
                @Default("1.0e-5") double eps,
        @Doc("Momentum for sgd.") @Default("0.9") double momentum,
        @Doc("Embedding tables trained row by row: a step reads and updates only the rows its batch"
                        + " names. auto: tables of at least " + OptimizerConfig.SPARSE_AUTO_ROWS
                        + " rows, and every table of item2vec with per-pair negatives on the CPU (its step then"
                        + " runs as a host kernel); true: every table; false: none. Not with sgd.")
                @Default("auto") Sparse sparse,
        @Doc("For row-sparse tables under adam and adamw. false: a row a step skips gets, when next"
                        + " touched (and before validation and checkpoints), what dense Adam(W) would have"
                        + " done to it on the skipped steps (moments decayed, decoupled decay, the"
                        + " momentum's steps), so training matches dense; true:"
                        + " lazy, as PyTorch's SparseAdam: skipped rows keep their weights and moments, and"
                        + " decay shrinks a row only on steps that touch it.")
                @Default("false") boolean lazy) {

    /** Rows from which {@code sparse: auto} trains a table row by row. */
    public static final long SPARSE_AUTO_ROWS = 100_000;

    /** Validates the section. */
    public OptimizerConfig {
        Check.positive("learning_rate", learningRate);
        Check.nonNegative("weight_decay", weightDecay);
        Check.size("betas", betas, 2);
        for (double b : betas) {
            if (!(b >= 0 && b < 1)) {
                throw new ConfigValueException("betas", "each must be in [0, 1), found " + betas);
            }
        }
        Check.positive("eps", eps);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new ConfigValueException("momentum", "must be in [0, 1), found " + momentum);
        }
        betas = List.copyOf(betas);
        if (type == OptimizerType.SGD && sparse == Sparse.TRUE) {
            throw new ConfigValueException("sparse", "sgd has no row-sparse update; use adam, adamw or"
                    + " rowwise-adagrad, or sparse: false");
        }
        if (type == OptimizerType.ROWWISE_ADAGRAD && sparse == Sparse.FALSE) {
            throw new ConfigValueException("sparse", "rowwise-adagrad trains its tables row by row; use true or"
                    + " auto, or another optimizer");
        }
    }

    /**
     * Returns the rows from which a table trains row by row.
     *
     * @return 0 for every table, {@link Long#MAX_VALUE} for none
     */
    public long sparseFromRows() {
        if (type == OptimizerType.SGD || sparse == Sparse.FALSE) {
            return Long.MAX_VALUE;
        }
        return sparse == Sparse.TRUE || type == OptimizerType.ROWWISE_ADAGRAD ? 0 : SPARSE_AUTO_ROWS;
    }

    /** The optimizers. */
    public enum OptimizerType {
        /** Adam with decoupled weight decay. */
        ADAMW,
        /** Adam with L2 weight decay. */
        ADAM,
        /** Stochastic gradient descent with momentum. */
        SGD,
        /** Row-wise Adagrad for tables, element-wise Adagrad for the rest. */
        ROWWISE_ADAGRAD
    }

    /** Which tables train row by row. */
    public enum Sparse {
        /** Tables of at least {@link #SPARSE_AUTO_ROWS} rows. */
        AUTO,
        /** Every embedding table. */
        TRUE,
        /** None. */
        FALSE
    }
}
