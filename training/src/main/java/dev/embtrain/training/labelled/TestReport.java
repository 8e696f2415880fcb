package dev.embtrain.training.labelled;

import dev.embtrain.training.metrics.BinaryMetrics;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The test split's report, computed once from the model's scores: ROC AUC (from the scores,
 * ties counting one half), PR AUC as scikit-learn's {@code average_precision_score}, log loss,
 * and at a probability threshold (predict 1 when p &gt; threshold) accuracy, precision, recall
 * and F1, plus scikit-learn's {@code classification_report} as CSV.
 */
public final class TestReport {
    private TestReport() {}

    /**
     * Average precision: Σ_k (R_k − R_{k−1}) · P_k over the distinct scores taken as
     * thresholds from the highest down (all rows tied at a score enter together), as
     * scikit-learn's {@code average_precision_score}.
     *
     * @param scores any scores, higher meaning more likely 1
     * @param labels 0 or 1
     * @return the average precision
     * @throws IllegalArgumentException when there is no positive or the lengths differ
     */
    public static double averagePrecision(double[] scores, int[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("scores and labels differ in length: " + scores.length + " and "
                    + labels.length);
        }
        long positives = Arrays.stream(labels).filter(l -> l == 1).count();
        if (positives == 0) {
            throw new IllegalArgumentException("average precision needs a positive label");
        }
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        double ap = 0;
        long tp = 0;
        long seen = 0;
        double lastRecall = 0;
        int i = 0;
        while (i < order.length) {
            double s = scores[order[i]];
            while (i < order.length && scores[order[i]] == s) {
                tp += labels[order[i]];
                seen++;
                i++;
            }
            double recall = (double) tp / positives;
            ap += (recall - lastRecall) * ((double) tp / seen);
            lastRecall = recall;
        }
        return ap;
    }

    /**
     * Computes the report's figures.
     *
     * @param logits the model's logits
     * @param labels 0 or 1
     * @param threshold predict 1 when sigmoid(logit) &gt; threshold
     * @return metric name to value, {@code test_auc} first
     */
    public static Map<String, Double> metrics(double[] logits, int[] labels, double threshold) {
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = BinaryMetrics.sigmoid(logits[i]);
        }
        long[] c = confusion(p, labels, threshold);
        long tn = c[0];
        long fp = c[1];
        long fn = c[2];
        long tp = c[3];
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("test_auc", BinaryMetrics.auc(logits, labels));
        m.put("test_pr_auc", averagePrecision(logits, labels));
        m.put("test_log_loss", BinaryMetrics.logLossFromLogits(logits, labels));
        m.put("test_accuracy", (double) (tp + tn) / labels.length);
        m.put("test_precision", ratio(tp, tp + fp));
        m.put("test_recall", ratio(tp, tp + fn));
        m.put("test_f1", f1(tp, fp, fn));
        return m;
    }

    /**
     * Counts {@code {tn, fp, fn, tp}} at a threshold.
     *
     * @param probabilities p per row
     * @param labels 0 or 1
     * @param threshold predict 1 when p &gt; threshold
     * @return the four counts
     */
    public static long[] confusion(double[] probabilities, int[] labels, double threshold) {
        long[] c = new long[4];
        for (int i = 0; i < labels.length; i++) {
            int predicted = probabilities[i] > threshold ? 1 : 0;
            c[labels[i] * 2 + predicted]++;
        }
        return c;
    }

    /**
     * scikit-learn's {@code classification_report} as CSV: {@code class,precision,recall,f1,support}
     * for 0, 1, then {@code accuracy} (its value under f1), {@code macro avg}, {@code weighted avg}.
     * A ratio with a zero denominator is 0, as scikit-learn's {@code zero_division=0}.
     *
     * @param probabilities p per row
     * @param labels 0 or 1
     * @param threshold predict 1 when p &gt; threshold
     * @return the CSV text, lines ending in \n
     */
    public static String classificationReportCsv(double[] probabilities, int[] labels, double threshold) {
        long[] c = confusion(probabilities, labels, threshold);
        long tn = c[0];
        long fp = c[1];
        long fn = c[2];
        long tp = c[3];
        // Class 0's "true positives" are the true negatives.
        double[] precision = {ratio(tn, tn + fn), ratio(tp, tp + fp)};
        double[] recall = {ratio(tn, tn + fp), ratio(tp, tp + fn)};
        double[] f1 = {f1(tn, fn, fp), f1(tp, fp, fn)};
        long[] support = {tn + fp, tp + fn};
        long n = labels.length;
        StringBuilder sb = new StringBuilder("class,precision,recall,f1,support\n");
        for (int k = 0; k < 2; k++) {
            sb.append(k).append(',').append(fmt(precision[k])).append(',').append(fmt(recall[k])).append(',')
                    .append(fmt(f1[k])).append(',').append(support[k]).append('\n');
        }
        sb.append("accuracy,,,").append(fmt((double) (tp + tn) / n)).append(',').append(n).append('\n');
        sb.append("macro avg,").append(fmt((precision[0] + precision[1]) / 2)).append(',')
                .append(fmt((recall[0] + recall[1]) / 2)).append(',').append(fmt((f1[0] + f1[1]) / 2)).append(',')
                .append(n).append('\n');
        sb.append("weighted avg,").append(fmt(weighted(precision, support, n))).append(',')
                .append(fmt(weighted(recall, support, n))).append(',').append(fmt(weighted(f1, support, n)))
                .append(',').append(n).append('\n');
        return sb.toString();
    }

    private static double weighted(double[] v, long[] support, long n) {
        return (v[0] * support[0] + v[1] * support[1]) / n;
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    private static double f1(long tp, long fp, long fn) {
        return 2 * tp + fp + fn == 0 ? 0 : 2.0 * tp / (2 * tp + fp + fn);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
