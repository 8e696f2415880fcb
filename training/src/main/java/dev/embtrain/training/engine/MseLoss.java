package dev.embtrain.training.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Mean squared error, {@code mean((prediction - label)²)}, the loss of rating models.
 *
 * <p>Not DJL's {@code L2Loss}: that one is half the squared error and multiplies by a Java
 * {@code Number}, which DJL's PyTorch engine frees before autograd's backward pass reads it
 * (intermittent NaN gradients). Here every operand is an NDArray.
 */
public final class MseLoss extends Loss {

    /** Creates the loss under the name {@code mse}. */
    public MseLoss() {
        super("mse");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray pred = predictions.head();
        NDArray label = labels.head().reshape(pred.getShape());
        return pred.sub(label).square().mean();
    }
}
