package dev.embtrain.training.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/**
 * Bayesian personalised ranking (Rendle et al., UAI 2009): for each positive score s⁺ and each
 * of the n scores s⁻ of items drawn for it, {@code −log σ(s⁺ − s⁻) = softplus(s⁻ − s⁺)}, averaged
 * over the n·B pairs. Written with PyTorch's softplus, exact where {@code log σ} would round to
 * −∞, and with no Java number among the operands (see DJL-NOTES on freed scalar buffers).
 *
 * <p>Predictions: {@code NDList{score float32 [(1 + n)·B]}}, the B positives first, then the
 * first drawn item of every positive, then the second, and so on. Labels are not read.
 */
public final class BprLoss extends Loss {

    private final int negatives;

    /**
     * Creates the loss under the name {@code bpr}.
     *
     * @param negatives n, items drawn per positive
     */
    public BprLoss(int negatives) {
        super("bpr");
        if (negatives < 1) {
            throw new IllegalArgumentException("negatives must be >= 1, found " + negatives);
        }
        this.negatives = negatives;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray scores = predictions.head().reshape(negatives + 1, -1);
        NDArray positive = scores.get("0:1");
        NDArray drawn = scores.get("1:");
        return Activation.softPlus(drawn.sub(positive)).mean();
    }
}
