package dev.embtrain.training.objectives;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.embtrain.training.engine.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Supervised's validation metrics on rows small enough to work out by hand. */
class SupervisedTest {

    @Test
    void regressionMetricsAreMseRmseAndMae() {
        // errors -1, 0, 3: squared 1 + 0 + 9 = 10, absolute 1 + 0 + 3 = 4, over 3 rows
        Map<String, Double> m = Supervised.metrics(Task.REGRESSION, new float[] {1, 2, 4}, new float[] {2, 2, 1});
        assertEquals(List.of("valid_mse", "valid_rmse", "valid_mae"), List.copyOf(m.keySet()));
        assertEquals(10.0 / 3, m.get("valid_mse"), 1e-12);
        assertEquals(Math.sqrt(10.0 / 3), m.get("valid_rmse"), 1e-12);
        assertEquals(4.0 / 3, m.get("valid_mae"), 1e-12);
    }

    @Test
    void binaryMetricsAreAucLogLossAndAccuracyOfTheLogits() {
        // positives score 2 and -3, negatives -1 and 0.5: of the 4 pairs, 2 are ordered right
        Map<String, Double> m = Supervised.metrics(Task.BINARY, new float[] {2, -1, 0.5f, -3},
                new float[] {1, 0, 0, 1});
        assertEquals(List.of("valid_auc", "valid_log_loss", "valid_accuracy"), List.copyOf(m.keySet()));
        assertEquals(0.5, m.get("valid_auc"), 1e-12);
        // -log σ(z) for a positive is log(1 + e^-z), -log(1 - σ(z)) for a negative is log(1 + e^z)
        double logLoss = (Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-1)) + Math.log1p(Math.exp(0.5))
                + Math.log1p(Math.exp(3))) / 4;
        assertEquals(logLoss, m.get("valid_log_loss"), 1e-9);
        assertEquals(1.1157135, m.get("valid_log_loss"), 1e-6);
        // σ(z) >= 0.5 exactly when z >= 0: 2 -> 1 right, -1 -> 0 right, 0.5 -> 1 wrong, -3 -> 0 wrong
        assertEquals(0.5, m.get("valid_accuracy"), 1e-12);
    }
}
