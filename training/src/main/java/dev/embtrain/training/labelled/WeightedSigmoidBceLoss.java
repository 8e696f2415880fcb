package dev.embtrain.training.labelled;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/**
 * Sigmoid cross-entropy from logits with a weight per class,
 * {@code mean(w(y) · (softplus(x) − y·x))} with {@code w(y) = w0 + (w1 − w0)·y}: scikit-learn's
 * {@code class_weight} for a binary head. With w0 = w1 = 1 it is
 * {@link dev.embtrain.training.engine.SigmoidBceLoss}.
 *
 * <p>The weights enter as NDArrays made with {@code manager.full}, never as Java numbers:
 * DJL's PyTorch engine frees a Number's temporary buffer before backward reads it.
 */
public final class WeightedSigmoidBceLoss extends Loss {
    private final float negative;
    private final float positive;

    /**
     * Creates the loss.
     *
     * @param negative w0, the weight of a row labelled 0
     * @param positive w1, the weight of a row labelled 1
     */
    public WeightedSigmoidBceLoss(float negative, float positive) {
        super("weighted_bce");
        if (!(negative > 0 && positive > 0) || !Float.isFinite(negative) || !Float.isFinite(positive)) {
            throw new IllegalArgumentException("class weights must be finite and > 0, found " + negative + " and "
                    + positive);
        }
        this.negative = negative;
        this.positive = positive;
    }

    /**
     * Returns scikit-learn's balanced weights for a training split: n / (2 n_c).
     *
     * @param labels the training labels, 0 or 1
     * @return {@code {w0, w1}}
     * @throws IllegalArgumentException when a class is missing
     */
    public static float[] balanced(int[] labels) {
        long ones = 0;
        for (int l : labels) {
            ones += l;
        }
        long zeros = labels.length - ones;
        if (ones == 0 || zeros == 0) {
            throw new IllegalArgumentException("balanced class weights need both classes, found " + zeros + " zeros and "
                    + ones + " ones");
        }
        return new float[] {(float) (labels.length / (2.0 * zeros)), (float) (labels.length / (2.0 * ones))};
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logit = predictions.head();
        NDArray label = labels.head().reshape(logit.getShape());
        NDManager m = logit.getManager();
        NDArray w0 = m.full(new Shape(), negative, logit.getDataType(), logit.getDevice());
        NDArray slope = m.full(new Shape(), positive - negative, logit.getDataType(), logit.getDevice());
        NDArray weight = label.mul(slope).add(w0);
        return Activation.softPlus(logit).sub(label.mul(logit)).mul(weight).mean();
    }
}
