package dev.embtrain.training.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StepProfileTest {

    @Test
    void chargesEachIntervalToThePhaseThatEndedItAndAveragesOverSteps() throws Exception {
        StepProfile profile = new StepProfile();
        assertEquals(0, profile.millisPerStep(StepProfile.Phase.FORWARD));
        for (int i = 0; i < 2; i++) {
            profile.start();
            Thread.sleep(20);
            profile.mark(StepProfile.Phase.FORWARD);
            profile.mark(StepProfile.Phase.LOSS);
            profile.step();
        }
        assertEquals(2, profile.steps());
        // Each step slept 20 ms inside forward; the loss right after it took next to nothing.
        assertTrue(profile.millisPerStep(StepProfile.Phase.FORWARD) >= 20, profile.toString());
        assertTrue(profile.millisPerStep(StepProfile.Phase.LOSS) < 5, profile.toString());
        assertEquals(0, profile.millisPerStep(StepProfile.Phase.BACKWARD));
        assertTrue(profile.toString().startsWith("step profile over 2 steps, ms a step: batch 0.000, forward "),
                profile.toString());
        assertTrue(profile.toString().contains(", backward 0.000, dense update 0.000, sparse update 0.000, host step 0.000, total "),
                profile.toString());
    }
}
