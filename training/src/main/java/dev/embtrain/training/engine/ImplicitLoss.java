package dev.embtrain.training.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/**
 * The loss of implicit training: logistic loss of positives (label 1) against sampled negatives
 * (label 0), on the score shifted by a per-row offset, {@code mean(softplus(z) − label·z)} with
 * {@code z = score − offset}.
 *
 * <p>With offset 0 it is word2vec's negative-sampling loss. With offset {@code log(k·q(x))},
 * q(x) being the probability that the noise sampler draws row x, it is noise-contrastive
 * estimation as feat2vec trains it: its model outputs {@code exp(s) / (exp(s) + k·q(x))}, which
 * is {@code sigmoid(s − log(k·q(x)))}, under binary cross-entropy. Written with softplus, which
 * is exact for large |z| where {@code log(sigmoid(z))} would round to −∞; every operand is an
 * NDArray, none a Java number (see DJL-NOTES: a freed scalar buffer corrupts the backward pass).
 *
 * <p>Labels: {@code NDList{label float32 [n], offset float32 [n]}}; predictions:
 * {@code NDList{score float32 [n]}}.
 */
public final class ImplicitLoss extends Loss {

    /** Creates the loss under the name {@code implicit}. */
    public ImplicitLoss() {
        super("implicit");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray score = predictions.head();
        NDArray label = labels.get(0).reshape(score.getShape());
        NDArray offset = labels.get(1).reshape(score.getShape());
        NDArray z = score.sub(offset);
        return Activation.softPlus(z).sub(label.mul(z)).mean();
    }
}
