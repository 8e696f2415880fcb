package dev.embtrain.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The progress bar's line: progress, rate, running loss and the time left, by hand. */
class ConsoleProgressTest {

    @Test
    void theBarShowsRateLossAndTimeLeftInTheEpochAndTheRun() {
        // Batch 250 of 1,000 after 2.5 s: 100 it/s; 750 batches left, 7.5 s, rounds to 0:08;
        // two more epochs of 1,000 at that rate: 27.5 s, 0:28.
        assertEquals("epoch 1/3 [#######.......................] 250/1000 100 it/s loss 0.8123 ETA 0:08 (run 0:28)",
                ConsoleProgress.line(1, 3, 250, 1000, 2.5, 0.81234));
        // The last epoch names no run time; without a loss read, none is shown.
        assertEquals("epoch 3/3 [###############...............] 500/1000 1,000 it/s ETA 0:01",
                ConsoleProgress.line(3, 3, 500, 1000, 0.5, Double.NaN));
        // The first batch has no rate yet.
        assertEquals("epoch 1/1 [..............................] 1/1000", ConsoleProgress.line(1, 1, 1, 1000, 0.01, 1));
        assertEquals("1:01:01", ConsoleProgress.clock(3661));
        assertEquals("0:59", ConsoleProgress.clock(59.4));
    }
}
