package dev.embtrain.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The regression head {@code lo + (hi - lo) * sigmoid(x)} that keeps predictions inside a
 * target range, as fastai's {@code sigmoid_range}.
 *
 * <p>The two constants are built with {@link NDManager#full} on the input's manager rather than
 * passed as Java {@code Number}s: DJL's PyTorch engine wraps a {@code Number} in a temporary
 * tensor over a direct buffer and frees it at once, while autograd keeps a reference for the
 * backward pass; about one fresh run in twenty then trains on garbage gradients.
 */
public final class SigmoidRange {

    private SigmoidRange() {}

    /**
     * Squashes {@code x} into {@code (lo, hi)}.
     *
     * @param x raw scores of any shape
     * @param lo lower end of the range
     * @param hi upper end of the range
     * @return {@code lo + (hi - lo) * sigmoid(x)}, same shape as {@code x}
     */
    public static NDArray apply(NDArray x, float lo, float hi) {
        NDManager manager = x.getManager();
        NDArray span = manager.full(new Shape(), hi - lo, x.getDataType(), x.getDevice());
        NDArray low = manager.full(new Shape(), lo, x.getDataType(), x.getDevice());
        return x.getNDArrayInternal().sigmoid().mul(span).add(low);
    }

    /**
     * Checks a range given by a user.
     *
     * @param lo lower end
     * @param hi upper end
     * @throws IllegalArgumentException naming both ends when {@code lo >= hi} or either is not finite
     */
    public static void validate(float lo, float hi) {
        if (!Float.isFinite(lo) || !Float.isFinite(hi) || !(lo < hi)) {
            throw new IllegalArgumentException(
                    "y_range must be two finite numbers [lo, hi] with lo < hi, found [" + lo + ", " + hi + "]");
        }
    }
}
