package dev.embtrain.training.metrics;

import java.util.Arrays;

/**
 * Metrics of a binary task (click or not, positive or sampled negative) computed from the
 * model's scores rather than hard labels, on plain arrays so they can be checked against
 * scikit-learn by hand.
 *
 * <p>Labels are 0 or 1. Every method rejects arrays of different lengths, empty arrays, NaN
 * inputs and other labels with an {@link IllegalArgumentException} naming the index and
 * value, so a bug upstream is never averaged away.
 */
public final class BinaryMetrics {
    /**
     * Where probabilities are clipped for {@link #logLoss}: scikit-learn's {@code eps=1e-15},
     * its default up to 1.2 (later versions clip at the float type's machine epsilon instead).
     */
    public static final double EPS = 1e-15;

    private BinaryMetrics() {}

    /**
     * The area under the ROC curve: the probability that a random positive scores higher than
     * a random negative, a tie counting one half (the Mann–Whitney U statistic over
     * n_pos · n_neg, which equals the rank formula with average ranks for ties and
     * scikit-learn's {@code roc_auc_score}). Only the order of the scores matters: they may be
     * logits, probabilities or any other scores, infinities included. O(n log n).
     *
     * @throws IllegalArgumentException when the lengths differ, a score is NaN, a label is not
     *     0 or 1, or either class is missing (AUC is undefined then)
     */
    public static double auc(double[] scores, int[] labels) {
        checkLengths("scores", scores, labels);
        int positives = 0;
        for (int i = 0; i < labels.length; i++) {
            checkLabel(labels, i);
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("scores[" + i + "] is NaN");
            }
            positives += labels[i];
        }
        int negatives = labels.length - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("AUC needs both classes, but labels has no "
                    + (positives == 0 ? "positive (1)" : "negative (0)") + " among its " + labels.length + " entries");
        }
        double[] pos = new double[positives];
        double[] neg = new double[negatives];
        int p = 0;
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            // + 0.0 turns -0.0 into 0.0: Arrays.sort orders -0.0 before 0.0, but they are one score.
            if (labels[i] == 1) {
                pos[p++] = scores[i] + 0.0;
            } else {
                neg[n++] = scores[i] + 0.0;
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        // Walk both sorted lists once: for each run of equal positive scores, count the
        // negatives below it (a full pair each) and equal to it (half a pair each). Twice the
        // U statistic is an integer at most 2 · n_pos · n_neg ≤ 2^61, so a long holds it exactly.
        long twiceU = 0;
        int below = 0;
        int i = 0;
        while (i < positives) {
            double s = pos[i];
            int run = 0;
            while (i < positives && pos[i] == s) {
                run++;
                i++;
            }
            while (below < negatives && neg[below] < s) {
                below++;
            }
            int equal = 0;
            while (below + equal < negatives && neg[below + equal] == s) {
                equal++;
            }
            twiceU += (long) run * (2L * below + equal);
        }
        return twiceU / (2.0 * positives * negatives);
    }

    /**
     * The mean negative log-likelihood −mean(y ln p + (1 − y) ln(1 − p)), natural log, with
     * each p clipped to [{@link #EPS}, 1 − EPS] as scikit-learn's {@code log_loss} did, so one
     * confident mistake costs at most −ln(1e-15) ≈ 34.54 rather than infinity. For a model
     * that outputs logits, {@link #logLossFromLogits} is exact where this form saturates.
     *
     * @throws IllegalArgumentException when the lengths differ, the arrays are empty, a label
     *     is not 0 or 1, or a probability is outside [0, 1] or NaN
     */
    public static double logLoss(double[] probabilities, int[] labels) {
        checkProbabilities(probabilities, labels);
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            double p = Math.min(1 - EPS, Math.max(EPS, probabilities[i]));
            sum -= labels[i] == 1 ? Math.log(p) : Math.log1p(-p);
        }
        return sum / labels.length;
    }

    /**
     * The log loss of logits z (p = sigmoid(z)) in its stable softplus form: a positive costs
     * softplus(−z) = ln(1 + e^−z), a negative softplus(z), each evaluated as
     * max(x, 0) + ln(1 + e^−|x|), which never overflows (|z| = 1000 costs 1000 or 0) and
     * is not clipped (as PyTorch's {@code binary_cross_entropy_with_logits}).
     *
     * @throws IllegalArgumentException when the lengths differ, the arrays are empty, a label
     *     is not 0 or 1, or a logit is NaN
     */
    public static double logLossFromLogits(double[] logits, int[] labels) {
        checkNonEmpty("logits", logits, labels);
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            checkLabel(labels, i);
            if (Double.isNaN(logits[i])) {
                throw new IllegalArgumentException("logits[" + i + "] is NaN");
            }
            sum += softplus(labels[i] == 1 ? -logits[i] : logits[i]);
        }
        return sum / labels.length;
    }

    /**
     * The fraction of rows whose prediction (1 when p &gt; threshold, else 0; strictly
     * greater, as Keras's {@code binary_accuracy} and torchmetrics) equals the label.
     *
     * @throws IllegalArgumentException when the lengths differ, the arrays are empty, a label
     *     is not 0 or 1, a probability is outside [0, 1] or NaN, or the threshold is outside
     *     [0, 1]
     */
    public static double accuracy(double[] probabilities, int[] labels, double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], found " + threshold);
        }
        checkProbabilities(probabilities, labels);
        long correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int predicted = probabilities[i] > threshold ? 1 : 0;
            if (predicted == labels[i]) {
                correct++;
            }
        }
        return (double) correct / labels.length;
    }

    /**
     * The logistic function 1 / (1 + e^−x), evaluated so that it never overflows: for x &lt; 0
     * as e^x / (1 + e^x). Exactly 0.5 at 0, 0 and 1 at the infinities, NaN for NaN.
     */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** ln(1 + e^x) without overflow. */
    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    private static void checkProbabilities(double[] probabilities, int[] labels) {
        checkNonEmpty("probabilities", probabilities, labels);
        for (int i = 0; i < labels.length; i++) {
            checkLabel(labels, i);
            double p = probabilities[i];
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probabilities[" + i + "] must be in [0, 1], found " + p);
            }
        }
    }

    private static void checkNonEmpty(String name, double[] values, int[] labels) {
        checkLengths(name, values, labels);
        if (labels.length == 0) {
            throw new IllegalArgumentException(name + " and labels are empty");
        }
    }

    private static void checkLengths(String name, double[] values, int[] labels) {
        if (values == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (labels == null) {
            throw new IllegalArgumentException("labels is null");
        }
        if (values.length != labels.length) {
            throw new IllegalArgumentException(
                    name + " has " + values.length + " entries but labels has " + labels.length);
        }
    }

    private static void checkLabel(int[] labels, int i) {
        if (labels[i] != 0 && labels[i] != 1) {
            throw new IllegalArgumentException("labels[" + i + "] must be 0 or 1, found " + labels[i]);
        }
    }
}
