package dev.embtrain.training.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

class CandidateLossTest {

    private static double softplus(double x) {
        return Math.log1p(Math.exp(x));
    }

    private static final float[] SCORES = {1f, -2f, 0.5f, -0.5f, 3f, 0f};

    @Test
    void negativeSamplingIsSoftplusOfMinusPositiveAndOfNegativesPerRowThenTheMean() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray scores = m.create(SCORES, new Shape(2, 3));
            double row1 = softplus(-1) + softplus(-2) + softplus(0.5);
            double row2 = softplus(0.5) + softplus(3) + softplus(0);
            float loss = new CandidateLoss(false)
                    .evaluate(new NDList(), new NDList(scores)).getFloat();
            assertEquals((row1 + row2) / 2, loss, 1e-6);
        }
    }

    @Test
    void sampledSoftmaxIsThePositivesCrossEntropy() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray scores = m.create(SCORES, new Shape(2, 3));
            double row1 = -Math.log(Math.exp(1) / (Math.exp(1) + Math.exp(-2) + Math.exp(0.5)));
            double row2 = -Math.log(Math.exp(-0.5) / (Math.exp(-0.5) + Math.exp(3) + Math.exp(0)));
            float loss = new CandidateLoss(true)
                    .evaluate(new NDList(), new NDList(scores)).getFloat();
            assertEquals((row1 + row2) / 2, loss, 1e-5);
        }
    }

    @Test
    void negativeSamplingGradientIsSigmoidMinusLabelOverTheBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray scores = m.create(SCORES, new Shape(2, 3));
            scores.setRequiresGradient(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDArray loss = new CandidateLoss(false)
                        .evaluate(new NDList(), new NDList(scores));
                System.gc(); // the signs must not be a freed Java scalar (DJL-NOTES)
                c.backward(loss);
            }
            float[] expected = new float[6];
            for (int i = 0; i < 6; i++) {
                double sigmoid = 1 / (1 + Math.exp(-SCORES[i]));
                expected[i] = (float) ((sigmoid - (i % 3 == 0 ? 1 : 0)) / 2);
            }
            assertArrayEquals(expected, scores.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void aSharedPoolWeighsEachPooledScoreAndEqualsThePerExampleLossAtUnitWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray positive = m.create(new float[] {1f, -0.5f});
            NDArray pooled = m.create(new float[] {-2f, 0.5f, 3f, 0f}, new Shape(2, 2));
            NDArray weights = m.create(new float[] {1f, 0.5f, 0f, 2f}, new Shape(2, 2));
            CandidateLoss loss = new CandidateLoss(false);
            double row1 = softplus(-1) + softplus(-2) + 0.5 * softplus(0.5);
            double row2 = softplus(0.5) + 2 * softplus(0);
            assertEquals((row1 + row2) / 2,
                    loss.evaluate(new NDList(weights), new NDList(positive, pooled)).getFloat(), 1e-6);
            // weights of 1: the per-example loss on [positive, pooled...] rows
            NDArray ones = m.ones(new Shape(2, 2));
            NDArray rows = m.create(new float[] {1f, -2f, 0.5f, -0.5f, 3f, 0f}, new Shape(2, 3));
            assertEquals(loss.evaluate(new NDList(), new NDList(rows)).getFloat(),
                    loss.evaluate(new NDList(ones), new NDList(positive, pooled)).getFloat(), 1e-6);
        }
    }
}
