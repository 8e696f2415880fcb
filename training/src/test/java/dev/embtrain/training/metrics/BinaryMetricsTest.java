package dev.embtrain.training.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class BinaryMetricsTest {
    @Test
    void aucWithTiesByHand() {
        // Negatives: 0.1, 0.4. Positives: 0.35, 0.8, 0.4. Every (positive, negative) pair:
        //   0.35 vs 0.1 -> 1     0.35 vs 0.4 -> 0
        //   0.8  vs 0.1 -> 1     0.8  vs 0.4 -> 1
        //   0.4  vs 0.1 -> 1     0.4  vs 0.4 -> 0.5 (tie)
        // 4.5 of n_pos * n_neg = 3 * 2 = 6 pairs: AUC = 0.75.
        // By ranks: sorted 0.1 (1), 0.35 (2), 0.4 0.4 (3.5 each), 0.8 (5); positives' ranks
        // 2 + 3.5 + 5 = 10.5; U = 10.5 - 3 * 4 / 2 = 4.5, the same.
        double[] scores = {0.1, 0.4, 0.35, 0.8, 0.4};
        int[] labels = {0, 0, 1, 1, 1};
        assertEquals(0.75, BinaryMetrics.auc(scores, labels), 0);
    }

    @Test
    void aucOfPerfectReversedAndTiedRankings() {
        int[] labels = {0, 1, 0, 1, 1};
        assertEquals(1.0, BinaryMetrics.auc(new double[] {0.1, 0.9, 0.2, 0.8, 0.7}, labels), 0);
        assertEquals(0.0, BinaryMetrics.auc(new double[] {0.9, 0.1, 0.8, 0.2, 0.3}, labels), 0);
        assertEquals(0.5, BinaryMetrics.auc(new double[] {0.4, 0.4, 0.4, 0.4, 0.4}, labels), 0);
        // Only the order counts: logits, infinities, and -0.0 tied with 0.0.
        assertEquals(1.0, BinaryMetrics.auc(new double[] {Double.NEGATIVE_INFINITY, 1e300, -5, Double.POSITIVE_INFINITY, 3},
                labels), 0);
        assertEquals(0.5, BinaryMetrics.auc(new double[] {-0.0, 0.0}, new int[] {1, 0}), 0);
        assertEquals(0.5, BinaryMetrics.auc(new double[] {0.0, -0.0}, new int[] {1, 0}), 0);
    }

    @Test
    void aucEqualsTheCountOfPairsOnRandomTiedScores() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 50; trial++) {
            int n = 2 + random.nextInt(300);
            double[] scores = new double[n];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(12) / 4.0; // few distinct values: many ties
                labels[i] = random.nextInt(2);
            }
            labels[0] = 0;
            labels[1] = 1;
            double pairs = 0;
            long count = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (labels[i] == 1 && labels[j] == 0) {
                        pairs += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                        count++;
                    }
                }
            }
            assertEquals(pairs / count, BinaryMetrics.auc(scores, labels), 1e-15, "trial " + trial);
        }
    }

    @Test
    void logLossByHand() {
        // scikit-learn's docstring example: log_loss(["spam", "ham", "ham", "spam"],
        // [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]) = 0.21616..., spam being class 1:
        // -(ln 0.9 + ln 0.9 + ln 0.8 + ln 0.65) / 4.
        double expected = -(Math.log(0.9) + Math.log(0.9) + Math.log(0.8) + Math.log(0.65)) / 4;
        assertEquals(0.21616, expected, 5e-6);
        assertEquals(expected, BinaryMetrics.logLoss(new double[] {0.9, 0.1, 0.2, 0.65}, new int[] {1, 0, 0, 1}), 1e-15);
        assertEquals(Math.log(2), BinaryMetrics.logLoss(new double[] {0.5, 0.5}, new int[] {1, 0}), 1e-15);

        // Clipped to [1e-15, 1 - 1e-15]: a certain mistake costs -ln(1e-15) = 34.5387763949...
        assertEquals(34.538776394910684, BinaryMetrics.logLoss(new double[] {0.0}, new int[] {1}), 1e-9);
        assertEquals(34.538776394910684, BinaryMetrics.logLoss(new double[] {1.0}, new int[] {0}), 1e-3);
        assertEquals(0.0, BinaryMetrics.logLoss(new double[] {1.0, 0.0}, new int[] {1, 0}), 2e-15);
    }

    @Test
    void logLossFromLogitsIsStableAndAgreesWithTheProbabilityForm() {
        double[] logits = {1000, 1000, -1000, -1000};
        assertEquals(1000.0, BinaryMetrics.logLossFromLogits(new double[] {1000}, new int[] {0}), 0);
        assertEquals(0.0, BinaryMetrics.logLossFromLogits(new double[] {1000}, new int[] {1}), 0);
        assertEquals(1000.0, BinaryMetrics.logLossFromLogits(new double[] {-1000}, new int[] {1}), 0);
        assertEquals(0.0, BinaryMetrics.logLossFromLogits(new double[] {-1000}, new int[] {0}), 0);
        assertEquals(500.0, BinaryMetrics.logLossFromLogits(logits, new int[] {1, 0, 0, 1}), 0);
        // The naive form overflows: sigmoid(-1000) underflows to 0 and -ln 0 is infinite.
        assertEquals(Double.POSITIVE_INFINITY, -Math.log(BinaryMetrics.sigmoid(-1000)));

        // Where the probability form is finite and unclipped, the two agree.
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(20);
            double[] z = new double[n];
            double[] p = new double[n];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                z[i] = random.nextDouble(-10, 10);
                p[i] = BinaryMetrics.sigmoid(z[i]);
                labels[i] = random.nextInt(2);
            }
            double fromLogits = BinaryMetrics.logLossFromLogits(z, labels);
            assertTrue(Double.isFinite(fromLogits));
            assertEquals(BinaryMetrics.logLoss(p, labels), fromLogits, 1e-9 * Math.max(1, fromLogits));
        }
        // softplus(0) = ln 2.
        assertEquals(Math.log(2), BinaryMetrics.logLossFromLogits(new double[] {0}, new int[] {1}), 1e-15);
        // Infinite logits: right is free, wrong is infinitely costly, never NaN.
        assertEquals(0.0, BinaryMetrics.logLossFromLogits(new double[] {Double.POSITIVE_INFINITY}, new int[] {1}));
        assertEquals(Double.POSITIVE_INFINITY,
                BinaryMetrics.logLossFromLogits(new double[] {Double.POSITIVE_INFINITY}, new int[] {0}));
    }

    @Test
    void sigmoidNeverOverflows() {
        assertEquals(0.5, BinaryMetrics.sigmoid(0), 0);
        assertEquals(1.0, BinaryMetrics.sigmoid(1000), 0);
        assertEquals(0.0, BinaryMetrics.sigmoid(-1000), 0);
        assertEquals(1.0, BinaryMetrics.sigmoid(Double.POSITIVE_INFINITY), 0);
        assertEquals(0.0, BinaryMetrics.sigmoid(Double.NEGATIVE_INFINITY), 0);
        assertTrue(Double.isNaN(BinaryMetrics.sigmoid(Double.NaN)));
        // For x < 0 the e^x / (1 + e^x) form keeps tiny values (1 - sigmoid(-x) would be 0).
        assertEquals(Math.exp(-40), BinaryMetrics.sigmoid(-40), 1e-30);
        assertEquals(1 / (1 + Math.exp(-2)), BinaryMetrics.sigmoid(2), 1e-16);
        assertEquals(1 / (1 + Math.exp(2)), BinaryMetrics.sigmoid(-2), 1e-17);
        // Symmetric, up to the rounding of 1 - sigmoid(2).
        assertEquals(1 - BinaryMetrics.sigmoid(2), BinaryMetrics.sigmoid(-2), 1e-15);
    }

    @Test
    void accuracyAtAThreshold() {
        double[] p = {0.2, 0.5, 0.7, 0.9};
        int[] labels = {0, 0, 1, 0};
        // 0.5: predictions 0 0 1 1 (0.5 is not above 0.5) -> 3 of 4 right.
        assertEquals(0.75, BinaryMetrics.accuracy(p, labels, 0.5), 0);
        // 0.8: predictions 0 0 0 1 -> 2 of 4.
        assertEquals(0.5, BinaryMetrics.accuracy(p, labels, 0.8), 0);
        // 0.0: everything above it is 1 -> only the one positive is right.
        assertEquals(0.25, BinaryMetrics.accuracy(p, labels, 0.0), 0);
        assertEquals(1.0, BinaryMetrics.accuracy(new double[] {0.0, 1.0}, new int[] {0, 1}, 0.0), 0);
        assertEquals(0.5, BinaryMetrics.accuracy(new double[] {0.0, 1.0}, new int[] {0, 1}, 1.0), 0);
    }

    private static String error(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void errorsNameWhatIsWrong() {
        assertEquals("AUC needs both classes, but labels has no positive (1) among its 3 entries",
                error(() -> BinaryMetrics.auc(new double[] {0.1, 0.2, 0.3}, new int[] {0, 0, 0})));
        assertEquals("AUC needs both classes, but labels has no negative (0) among its 2 entries",
                error(() -> BinaryMetrics.auc(new double[] {0.1, 0.2}, new int[] {1, 1})));
        assertEquals("AUC needs both classes, but labels has no positive (1) among its 0 entries",
                error(() -> BinaryMetrics.auc(new double[0], new int[0])));
        assertEquals("labels[1] must be 0 or 1, found 2",
                error(() -> BinaryMetrics.auc(new double[] {0.1, 0.2}, new int[] {1, 2})));
        assertEquals("labels[0] must be 0 or 1, found -1",
                error(() -> BinaryMetrics.logLoss(new double[] {0.1}, new int[] {-1})));
        assertEquals("scores[1] is NaN",
                error(() -> BinaryMetrics.auc(new double[] {0.1, Double.NaN}, new int[] {1, 0})));
        assertEquals("scores has 2 entries but labels has 3",
                error(() -> BinaryMetrics.auc(new double[] {0.1, 0.2}, new int[] {1, 0, 1})));
        assertEquals("scores is null", error(() -> BinaryMetrics.auc(null, new int[] {1})));
        assertEquals("labels is null", error(() -> BinaryMetrics.auc(new double[] {1}, null)));
        assertEquals("probabilities and labels are empty", error(() -> BinaryMetrics.logLoss(new double[0], new int[0])));
        assertEquals("probabilities[1] must be in [0, 1], found 1.5",
                error(() -> BinaryMetrics.logLoss(new double[] {0.5, 1.5}, new int[] {1, 0})));
        assertEquals("probabilities[0] must be in [0, 1], found NaN",
                error(() -> BinaryMetrics.accuracy(new double[] {Double.NaN}, new int[] {1}, 0.5)));
        assertEquals("threshold must be in [0, 1], found 1.2",
                error(() -> BinaryMetrics.accuracy(new double[] {0.5}, new int[] {1}, 1.2)));
        assertEquals("logits has 1 entries but labels has 2",
                error(() -> BinaryMetrics.logLossFromLogits(new double[] {0.5}, new int[] {1, 0})));
        assertEquals("logits and labels are empty", error(() -> BinaryMetrics.logLossFromLogits(new double[0], new int[0])));
        assertEquals("logits[0] is NaN",
                error(() -> BinaryMetrics.logLossFromLogits(new double[] {Double.NaN}, new int[] {0})));
    }
}
