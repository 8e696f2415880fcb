package dev.embtrain.training.engine.listeners;

import ai.djl.ndarray.NDArray;
import dev.embtrain.training.engine.Listener;
import dev.embtrain.training.engine.Step;
import java.util.List;

/**
 * Clips the gradients by their global norm before every update, as PyTorch's
 * {@code clip_grad_norm_} and fastai's {@code GradientClip} do: with {@code n} the L2 norm of
 * every gradient of the step taken together, each is multiplied by
 * {@code min(1, maxNorm / (n + 1e-6))}. The factor is computed on the device and applied there,
 * so a step waits for nothing. A row-sparse table contributes the rows the batch looked up, the
 * only rows with a gradient, so the norm is the same as if the table trained densely.
 */
public final class GradientClipping implements Listener {

    /** Added to the norm before dividing, as PyTorch does. */
    static final float EPSILON = 1e-6f;

    private final float maxNorm;

    /**
     * Creates the listener.
     *
     * @param maxNorm the largest global norm an update may have, positive
     */
    public GradientClipping(double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("the largest gradient norm must be positive and finite, found "
                    + maxNorm);
        }
        this.maxNorm = (float) maxNorm;
    }

    /** {@inheritDoc} */
    @Override
    public void afterBackward(Step step) {
        List<NDArray> gradients = step.gradients();
        if (gradients.isEmpty()) {
            return;
        }
        NDArray squares = null;
        for (NDArray g : gradients) {
            NDArray s = g.square().sum();
            squares = squares == null ? s : squares.addi(s);
        }
        NDArray factor = squares.sqrt().addi(EPSILON).pow(-1).muli(maxNorm).minimum(1f);
        for (NDArray g : gradients) {
            g.muli(factor.toDevice(g.getDevice(), false));
        }
    }
}
