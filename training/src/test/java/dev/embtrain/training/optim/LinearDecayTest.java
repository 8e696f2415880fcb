package dev.embtrain.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LinearDecayTest {

    @Test
    void goesStraightFromStartToEndAndStays() {
        LinearDecay lr = new LinearDecay(1.0f, 0.1f, 10);
        assertEquals(1.0f, lr.getNewValue(1), 1e-7);
        assertEquals(0.7f, lr.getNewValue(4), 1e-6); // 1 - 0.9 * 3/9
        assertEquals(0.1f, lr.getNewValue(10), 1e-7);
        assertEquals(0.1f, lr.getNewValue(25), 1e-7);
        assertEquals(1.0f, lr.getNewValue(0), 1e-7);
    }

    @Test
    void oneStepRunsAtTheStart() {
        LinearDecay lr = new LinearDecay(0.5f, 0.01f, 1);
        assertEquals(0.5f, lr.getNewValue(1));
        assertEquals(0.01f, lr.getNewValue(2));
        assertEquals("totalSteps must be > 0, found 0",
                assertThrows(IllegalArgumentException.class, () -> new LinearDecay(1, 0, 0)).getMessage());
    }
}
