package dev.embtrain.training.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class SigmoidBceLossTest {

    @Test
    void equalsTheCrossEntropyOfTheSigmoidComputedByHand() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {0f, 2f, -1f, 30f});
            logits.setRequiresGradient(true);
            NDArray labels = manager.create(new float[] {1f, 0f, 1f, 1f});
            float loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray l = new SigmoidBceLoss().evaluate(new NDList(labels), new NDList(logits));
                loss = l.getFloat();
                collector.backward(l);
            }
            // -ln σ(0) = ln 2 = 0.693147; -ln(1 - σ(2)) = ln(1 + e^2) = 2.126928;
            // -ln σ(-1) = ln(1 + e) = 1.313262; -ln σ(30) = ln(1 + e^-30) ≈ 9.4e-14: mean 1.033334
            assertEquals((0.693147 + 2.126928 + 1.313262 + 0) / 4, loss, 1e-5);
            // d/dx = (σ(x) - y) / n: (0.5 - 1)/4, (0.880797 - 0)/4, (0.268941 - 1)/4, ≈ 0
            assertArrayEquals(new float[] {-0.125f, 0.220199f, -0.182765f, 0f}, logits.getGradient().toFloatArray(),
                    1e-5f);
        }
    }
}
