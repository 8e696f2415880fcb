package dev.embtrain.training.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

class ScheduledAdamTest {

    /** fastai's Adam with decoupled weight decay, written out as its source does it, in doubles. */
    private static final class Reference {
        final double[] w;
        final double[] m;
        final double[] v;
        int step;

        Reference(double... w) {
            this.w = w.clone();
            this.m = new double[w.length];
            this.v = new double[w.length];
        }

        void update(double[] g, double lr, double wd, double mom, double sqrMom, double eps, boolean decoupled) {
            step++;
            for (int i = 0; i < w.length; i++) {
                double grad = g[i];
                if (decoupled) {
                    w[i] *= 1 - lr * wd; // weight_decay
                } else {
                    grad += wd * w[i]; // l2_reg
                }
                m[i] = mom * m[i] + (1 - mom) * grad; // average_grad(dampening=True)
                v[i] = sqrMom * v[i] + (1 - sqrMom) * grad * grad; // average_sqr_grad
                double debias1 = 1 - Math.pow(mom, step);
                double debias2 = 1 - Math.pow(sqrMom, step);
                w[i] -= lr / debias1 * m[i] / (Math.sqrt(v[i] / debias2) + eps); // adam_step
            }
        }

        float[] weights() {
            float[] f = new float[w.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) w[i];
            }
            return f;
        }
    }

    private static void check(boolean decoupled, boolean fused) {
        float[] beta1 = {0.9f, 0.8f, 0.85f};
        float[][] grads = {{0.5f, 0.5f, -3f}, {-1f, 0f, 2f}, {0.25f, -0.75f, 0f}};
        ScheduledAdam adam = ScheduledAdam.builder()
                .setLearningRateTracker(Tracker.fixed(0.1f))
                .optBeta1(n -> beta1[n - 1])
                .optBeta2(0.99f)
                .optEpsilon(1e-5f)
                .optWeightDecays(0.1f)
                .optDecoupledWeightDecay(decoupled)
                .optFused(fused)
                .build();
        Reference ref = new Reference(1, -2, 0.5);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(new float[] {1, -2, 0.5f});
            for (int s = 0; s < grads.length; s++) {
                adam.update("w", w, manager.create(grads[s]));
                ref.update(toDouble(grads[s]), 0.1, 0.1, beta1[s], 0.99, 1e-5, decoupled);
                assertArrayEquals(ref.weights(), w.toFloatArray(), 2e-6f, "after step " + (s + 1));
            }
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void matchesFastaiAdamWWithScheduledBeta1() {
        check(true, true);
        check(true, false);
    }

    @Test
    void matchesFastaiAdamWithL2() {
        check(false, true);
        check(false, false);
    }

    /**
     * On a parameter's own gradient, as training calls it: the fused loop writes through to the
     * tensors (weights equal the native op's after every step) and leaves the gradient zeroed,
     * as the native op does, so the next backward pass does not accumulate onto it.
     */
    @Test
    void fusedLoopUpdatesInPlaceLikeTheNativeOp() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray[] w = new NDArray[2];
            ScheduledAdam[] adam = new ScheduledAdam[2];
            for (int k = 0; k < 2; k++) {
                w[k] = manager.arange(12f).reshape(4, 3).div(10f).sub(0.5f);
                w[k].setRequiresGradient(true);
                adam[k] = ScheduledAdam.builder()
                        .setLearningRateTracker(Tracker.fixed(0.05f))
                        .optWeightDecays(0.1f)
                        .optFused(k == 0)
                        .build();
            }
            NDArray x = manager.create(new float[] {1f, -2f, 0.5f});
            for (int step = 1; step <= 4; step++) {
                for (int k = 0; k < 2; k++) {
                    try (ai.djl.training.GradientCollector collector =
                            ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                        // Rows 0 and 2 only: the other rows' gradients are exact zeros, as an
                        // embedding table's are for the rows a batch did not look up.
                        NDArray rows = w[k].get("0:3:2");
                        collector.backward(rows.mul(x).square().sum());
                    }
                    try (NDArray g = w[k].getGradient()) {
                        adam[k].update("w", w[k], g);
                    }
                    try (NDArray g = w[k].getGradient()) {
                        assertArrayEquals(new float[12], g.toFloatArray(), "gradient after step " + step);
                    }
                }
                assertArrayEquals(w[1].toFloatArray(), w[0].toFloatArray(), 1e-6f, "after step " + step);
            }
            org.junit.jupiter.api.Assertions.assertTrue(adam[0].fused("w"), "the fused loop ran");
            org.junit.jupiter.api.Assertions.assertFalse(adam[1].fused("w"), "the native op ran");
        }
    }

    /** A table large enough to be split across two threads updates exactly as the native op does. */
    @Test
    void aLargeTableSplitAcrossThreadsMatchesTheNativeOp() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(400, 400); // 160,000 values
            manager.getEngine().setRandomSeed(3);
            NDArray start = manager.randomNormal(shape);
            NDArray[] grads = {manager.randomNormal(shape), manager.randomNormal(shape)};
            float[][] result = new float[2][];
            for (int k = 0; k < 2; k++) {
                ScheduledAdam adam = ScheduledAdam.builder().setLearningRateTracker(Tracker.fixed(0.01f))
                        .optWeightDecays(0.1f).optFused(k == 0).build();
                NDArray w = start.duplicate();
                for (NDArray g : grads) {
                    adam.update("w", w, g.duplicate());
                }
                result[k] = w.toFloatArray();
                org.junit.jupiter.api.Assertions.assertEquals(k == 0, adam.fused("w"));
            }
            assertArrayEquals(result[1], result[0], 1e-6f);
        }
    }

    /** Moments below 1e-30 are flushed to zero every 64th update, before they can turn subnormal. */
    @Test
    void tinyMomentsAreFlushedOnEverySixtyFourthUpdate() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ScheduledAdam adam = ScheduledAdam.builder().setLearningRateTracker(Tracker.fixed(0.01f)).build();
            NDArray w = manager.create(new float[] {0.5f, 0.5f});
            // One gradient, then zeros (the loop zeroes the gradient after each update):
            // v[1] = 0.01 · 1e-34 = 1e-36 (below the threshold); m[1] = 0.1 · 1e-17 = 1e-18 (above).
            NDArray g = manager.create(new float[] {1f, 1e-17f});
            for (int t = 1; t <= 63; t++) {
                adam.update("w", w, g);
            }
            float[] v = adam.moment("w", true);
            org.junit.jupiter.api.Assertions.assertTrue(v[1] > 0 && v[1] < 1e-36f, "before the flush: " + v[1]);
            adam.update("w", w, g);
            v = adam.moment("w", true);
            float[] m = adam.moment("w", false);
            org.junit.jupiter.api.Assertions.assertEquals(0f, v[1], "flushed on update 64");
            org.junit.jupiter.api.Assertions.assertTrue(v[0] > 1e-3f, "a normal moment stays: " + v[0]);
            // 1e-18 · 0.9^63 = 1.3e-21, far above the threshold: kept
            org.junit.jupiter.api.Assertions.assertEquals(1e-18 * Math.pow(0.9, 63), m[1], 1e-24);
        }
    }
}
