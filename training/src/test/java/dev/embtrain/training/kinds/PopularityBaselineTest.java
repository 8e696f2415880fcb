package dev.embtrain.training.kinds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class PopularityBaselineTest {

    @Test
    void scoresEachValidationRowByItsItemsTrainingRateAndCount() {
        // ids [user, item]; item 1: 2 of 3 positive; item 2: 0 of 1; item 3 never in training.
        long[] train = {1, 1, 2, 1, 3, 1, 1, 2};
        float[] trainLabels = {1, 1, 0, 0};
        // Validation: (item 1, +), (item 2, -), (item 3 -> overall rate 0.5, count 0, +), (item 2, +)
        long[] valid = {5, 1, 5, 2, 5, 3, 6, 2};
        float[] validLabels = {1, 0, 1, 1};
        double[] auc = PopularityBaseline.auc(train, trainLabels, valid, validLabels, 1, 2, 4);
        // By rate, scores 2/3, 0, 0.5, 0: positives {2/3, 0.5, 0} vs the negative 0: pairs won 1 + 1 + 0.5 = 2.5 of 3.
        // By count, scores 3, 1, 0, 1: positives {3, 0, 1} vs the negative 1: 1 + 0 + 0.5 = 1.5 of 3.
        assertArrayEquals(new double[] {2.5 / 3, 1.5 / 3}, auc, 1e-12);
    }
}
