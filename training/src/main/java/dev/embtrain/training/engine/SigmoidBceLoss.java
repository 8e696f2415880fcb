package dev.embtrain.training.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/**
 * Sigmoid cross-entropy from logits, {@code mean(softplus(x) − y·x)}, the loss of binary heads
 * (labels 0/1): the same value as {@code −y·log σ(x) − (1−y)·log(1−σ(x))}, without forming σ(x),
 * so it stays finite for large |x|.
 *
 * <p>Not DJL's {@code SigmoidBinaryCrossEntropyLoss}: it multiplies by Java {@code Number}s
 * ({@code weight}, {@code 1 - label}), whose buffers DJL's PyTorch engine frees before backward
 * reads them (intermittent NaN gradients). Every operand here is an NDArray, and softplus is
 * PyTorch's own, numerically stable one.
 */
public final class SigmoidBceLoss extends Loss {

    /** Creates the loss under the name {@code bce}. */
    public SigmoidBceLoss() {
        super("bce");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logit = predictions.head();
        NDArray label = labels.head().reshape(logit.getShape());
        return Activation.softPlus(logit).sub(label.mul(logit)).mean();
    }
}
