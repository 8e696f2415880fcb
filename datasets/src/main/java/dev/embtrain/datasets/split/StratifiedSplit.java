package dev.embtrain.datasets.split;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Splits labelled rows into training, validation and test parts that keep each class's share,
 * as scikit-learn's {@code train_test_split(..., stratify=y)} does twice: the validation part
 * picks the model and its hyperparameters, the test part is touched once for the final report.
 *
 * <p>For each class c with n_c rows (classes in increasing label order), round(n_c · valid)
 * rows go to validation, round(n_c · test) to test (Math.round: halves go up), the rest to
 * training. Which rows go where is decided by a partial Fisher–Yates shuffle of the class's
 * rows driven by one {@code new SplittableRandom(seed)}, so the same labels, fractions and seed
 * give the same parts on every JVM.
 */
public final class StratifiedSplit {
    private StratifiedSplit() {}

    /**
     * The three parts, row indices in ascending order.
     *
     * @param train rows to train on
     * @param valid rows for early stopping and search
     * @param test rows for the final report
     */
    public record Parts(int[] train, int[] valid, int[] test) {
        /**
         * Returns the training rows followed by the validation rows: what a model is refitted on
         * once validation has chosen it.
         *
         * @return a new array
         */
        public int[] trainAndValid() {
            int[] rows = Arrays.copyOf(train, train.length + valid.length);
            System.arraycopy(valid, 0, rows, train.length, valid.length);
            return rows;
        }

        @Override
        public String toString() {
            return "Parts[train=" + train.length + ", valid=" + valid.length + ", test=" + test.length + "]";
        }
    }

    /**
     * Splits the rows.
     *
     * @param labels one label per row (any integers; 0/1 for binary tasks)
     * @param validFraction the share of each class sent to validation, in (0, 1)
     * @param testFraction the share of each class sent to test, in (0, 1)
     * @param seed the shuffle's seed
     * @return the parts
     * @throws IllegalArgumentException when a fraction is out of range, they add up to 1 or
     *     more, or a class would have no training row
     */
    public static Parts split(int[] labels, double validFraction, double testFraction, long seed) {
        if (!(validFraction > 0 && validFraction < 1) || !(testFraction > 0 && testFraction < 1)
                || !(validFraction + testFraction < 1)) {
            throw new IllegalArgumentException("validation and test fractions must be in (0, 1) and add up to less"
                    + " than 1, found " + validFraction + " and " + testFraction);
        }
        TreeMap<Integer, int[]> counts = new TreeMap<>();
        for (int label : labels) {
            counts.computeIfAbsent(label, k -> new int[1])[0]++;
        }
        byte[] part = new byte[labels.length]; // 0 train, 1 valid, 2 test
        SplittableRandom random = new SplittableRandom(seed);
        int[] sizes = new int[3];
        for (var e : counts.entrySet()) {
            int label = e.getKey();
            int n = e.getValue()[0];
            int[] rows = new int[n];
            int k = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == label) {
                    rows[k++] = i;
                }
            }
            int nValid = (int) Math.round(n * validFraction);
            int nTest = (int) Math.round(n * testFraction);
            if (n - nValid - nTest < 1) {
                throw new IllegalArgumentException("class " + label + " has " + n + " rows: too few to keep one for"
                        + " training after " + nValid + " for validation and " + nTest + " for test");
            }
            for (int i = 0; i < nValid + nTest; i++) {
                int j = i + random.nextInt(n - i);
                int swap = rows[i];
                rows[i] = rows[j];
                rows[j] = swap;
                part[rows[i]] = (byte) (i < nValid ? 1 : 2);
            }
            sizes[1] += nValid;
            sizes[2] += nTest;
        }
        sizes[0] = labels.length - sizes[1] - sizes[2];
        int[][] out = {new int[sizes[0]], new int[sizes[1]], new int[sizes[2]]};
        int[] filled = new int[3];
        for (int i = 0; i < labels.length; i++) {
            out[part[i]][filled[part[i]]++] = i;
        }
        return new Parts(out[0], out[1], out[2]);
    }
}
