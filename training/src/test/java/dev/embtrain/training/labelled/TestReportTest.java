package dev.embtrain.training.labelled;

import dev.embtrain.training.kinds.LabelledScorer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test report's figures against values worked out by hand (and by scikit-learn's definitions). */
class TestReportTest {

    @Test
    void averagePrecisionByHandWithTies() {
        // Scores 0.9 (1), 0.8 (0), 0.8 (1), 0.3 (0), 0.1 (1); three positives.
        // Thresholds from the top: {0.9}: P 1/1, R 1/3; {0.8 tie}: P 2/3, R 2/3; {0.3}: R unchanged;
        // {0.1}: P 3/5, R 1. AP = 1/3·1 + 1/3·2/3 + 0 + 1/3·3/5 = 0.75555...
        double ap = TestReport.averagePrecision(new double[] {0.9, 0.8, 0.8, 0.3, 0.1}, new int[] {1, 0, 1, 0, 1});
        assertEquals(1.0 / 3 + 2.0 / 9 + 1.0 / 5, ap, 1e-15);
    }

    @Test
    void rocAucCountsTiesAsHalfAPair() {
        // Positives score 3 and 2, negatives 2, 1, 2. The 3 beats all three negatives (3 pairs);
        // the 2 ties two negatives (2 × ½) and beats the 1 (1 pair): 5 of 6 pairs.
        Map<String, Double> m = TestReport.metrics(new double[] {3, 2, 2, 1, 2}, new int[] {1, 1, 0, 0, 0}, 0.5);
        assertEquals(5.0 / 6, m.get("test_auc"), 1e-15);
    }

    @Test
    void ridsWithCommasOrQuotesAreQuotedInScoreFiles() {
        assertEquals("u1", LabelledScorer.csvField("u1"));
        assertEquals("\"a,b\"", LabelledScorer.csvField("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", LabelledScorer.csvField("say \"hi\""));
    }

    @Test
    void metricsAtTheThresholdByHand() {
        // logits 2, 1, 0, -1, -2 → p .881, .731, .5, .269, .119; labels 1, 0, 1, 0, 0.
        // At p > 0.5: predicted 1, 1, 0, 0, 0 → tp 1, fp 1, fn 1, tn 2.
        double[] z = {2, 1, 0, -1, -2};
        int[] y = {1, 0, 1, 0, 0};
        Map<String, Double> m = TestReport.metrics(z, y, 0.5);
        // AUC: positives at 2 and 0; pairs won: 2 beats all 3 negatives, 0 beats -1 and -2 → 5 of 6.
        assertEquals(5.0 / 6, m.get("test_auc"), 1e-15);
        assertEquals(0.6, m.get("test_accuracy"), 1e-15);
        assertEquals(0.5, m.get("test_precision"), 1e-15);
        assertEquals(0.5, m.get("test_recall"), 1e-15);
        assertEquals(0.5, m.get("test_f1"), 1e-15);
        // AP: {2}: P 1, R 1/2; {1}: P 1/2; {0}: P 2/3, R 1 → 1/2 + 1/2·2/3 = 5/6.
        assertEquals(5.0 / 6, m.get("test_pr_auc"), 1e-15);
        assertArrayEquals(new long[] {2, 1, 1, 1}, TestReport.confusion(
                new double[] {0.881, 0.731, 0.5, 0.269, 0.119}, y, 0.5));
    }

    @Test
    void classificationReportAsScikitLearnPrintsIt() {
        double[] p = {0.9, 0.7, 0.4, 0.3, 0.2};
        int[] y = {1, 0, 1, 0, 0};
        // tp 1 (0.9), fp 1 (0.7), fn 1 (0.4), tn 2.
        // Class 0: precision 2/3, recall 2/3, f1 2/3, support 3. Class 1: 1/2, 1/2, 1/2, support 2.
        assertEquals("""
                class,precision,recall,f1,support
                0,0.666667,0.666667,0.666667,3
                1,0.500000,0.500000,0.500000,2
                accuracy,,,0.600000,5
                macro avg,0.583333,0.583333,0.583333,5
                weighted avg,0.600000,0.600000,0.600000,5
                """, TestReport.classificationReportCsv(p, y, 0.5));
    }

    @Test
    void balancedWeightsAsScikitLearn() {
        // n = 8, 2 ones and 6 zeros: w0 = 8 / 12, w1 = 8 / 4.
        assertArrayEquals(new float[] {8f / 12, 2f},
                WeightedSigmoidBceLoss.balanced(new int[] {0, 0, 1, 0, 0, 1, 0, 0}));
    }
}
