package dev.embtrain.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OneCycleTest {

    // fastai: fit_one_cycle(lr_max=5e-3): 2e-4 -> 5e-3 over 25% of the steps -> 5e-8.
    private final OneCycle lr = OneCycle.learningRate(5e-3f, 25, 1e5, 100, 0.25);

    @Test
    void startsPeaksAndEndsWhereFastaiDoes() {
        assertEquals(2e-4f, lr.getNewValue(1), 1e-9f); // DJL's first update is 1, fastai's position 0
        assertEquals(5e-3f, lr.getNewValue(26), 1e-9f); // position 0.25
        assertEquals(5e-8f, lr.getNewValue(101), 1e-12f); // position 1
    }

    @Test
    void followsTheCosineBetween() {
        // position 0.12 = 0.48 of the warm-up: 2e-4 + (1 + cos(0.52 pi)) / 2 * 4.8e-3
        assertEquals(0.0024493f, lr.getNewValue(13), 1e-7f);
        // 200 steps, update 126 = position 0.625, half of the annealing: (5e-3 + 5e-8) / 2
        assertEquals(0.002500025f, OneCycle.learningRate(5e-3f, 25, 1e5, 200, 0.25).getNewValue(126), 1e-9f);
    }

    @Test
    void momentumRunsTheOtherWay() {
        OneCycle mom = new OneCycle(0.95f, 0.85f, 0.95f, 100, 0.25);
        assertEquals(0.95f, mom.getNewValue(1), 1e-7f);
        assertEquals(0.85f, mom.getNewValue(26), 1e-7f);
        assertEquals(0.95f, mom.getNewValue(101), 1e-7f);
    }

    @Test
    void refusesBadArguments() {
        assertEquals("pctStart must be in (0, 1), found 1.0",
                assertThrows(IllegalArgumentException.class, () -> new OneCycle(1, 2, 3, 10, 1.0)).getMessage());
        assertEquals("totalSteps must be > 0, found 0",
                assertThrows(IllegalArgumentException.class, () -> new OneCycle(1, 2, 3, 0, 0.5)).getMessage());
    }
}
