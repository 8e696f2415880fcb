package dev.embtrain.datasets.split;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Makes the train/validation {@link Split}s that configs name ({@code random}, {@code leave-last-out}). */
public final class Splits {
    private Splits() {}

    /**
     * Sends a random {@code round(n · validFraction)} of the {@code n} rows to validation and
     * the rest to training, as fastai's {@code RandomSplitter} does.
     *
     * <p>The validation rows are the first positions of a Fisher–Yates shuffle driven by
     * {@code new SplittableRandom(seed)} (only those positions are shuffled: the rest of the
     * permutation cannot change which rows are chosen). Same {@code n}, fraction and seed give
     * the same split on every JVM.
     *
     * @throws IllegalArgumentException when {@code n < 0}, the fraction is not strictly between
     *     0 and 1, or it would leave either part empty
     */
    public static Split random(int n, double validFraction, long seed) {
        if (!(validFraction > 0 && validFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), found " + validFraction);
        }
        if (n < 0) {
            throw new IllegalArgumentException("number of rows must be >= 0, found " + n);
        }
        int validCount = (int) Math.round(n * validFraction);
        if (n > 0 && (validCount == 0 || validCount == n)) {
            throw new IllegalArgumentException("validation fraction " + validFraction + " of " + n + " rows leaves the "
                    + (validCount == 0 ? "validation" : "training") + " part empty");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] isValid = new boolean[n];
        for (int i = 0; i < validCount; i++) {
            int j = i + random.nextInt(n - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
            isValid[order[i]] = true;
        }
        return fromMask(isValid, validCount);
    }

    /**
     * Returns one fold of k-fold cross-validation: the rows are shuffled once by {@code seed}
     * and cut into k parts as equal as can be (the first {@code n mod k} one row longer); fold
     * {@code f} validates on part f and trains on the rest, so the k folds validate every row
     * exactly once.
     *
     * @param n the number of rows
     * @param k the number of folds, at least 2
     * @param fold which fold, 1 to k
     * @param seed the shuffle's seed, the same for every fold
     * @return the split
     * @throws IllegalArgumentException when k &lt; 2, fold is outside 1..k, or a part would be
     *     empty (n &lt; k)
     */
    public static Split kFold(int n, int k, int fold, long seed) {
        if (k < 2) {
            throw new IllegalArgumentException("k must be at least 2, found " + k);
        }
        if (fold < 1 || fold > k) {
            throw new IllegalArgumentException("fold must be 1 to " + k + ", found " + fold);
        }
        if (n < k) {
            throw new IllegalArgumentException(k + " folds of " + n + " rows leave a fold empty");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int start = (fold - 1) * (n / k) + Math.min(fold - 1, n % k);
        int size = n / k + (fold - 1 < n % k ? 1 : 0);
        boolean[] isValid = new boolean[n];
        for (int i = start; i < start + size; i++) {
            isValid[order[i]] = true;
        }
        return fromMask(isValid, size);
    }

    /**
     * Sends each user's latest rating to validation when the user has at least two ratings;
     * everything else trains. This is the usual leave-one-out protocol for sequential
     * recommenders: every validated user has history in the training part.
     *
     * <p>Ties between equal timestamps go to the row later in the file.
     *
     * @throws IllegalArgumentException when the arrays differ in length or a user is null
     */
    public static Split leaveLastOut(String[] users, long[] timestamps) {
        if (users.length != timestamps.length) {
            throw new IllegalArgumentException(
                    "users and timestamps differ in length: " + users.length + " and " + timestamps.length);
        }
        int n = users.length;
        // Per user: {number of ratings, row of the latest rating}.
        Map<String, int[]> latest = new HashMap<>();
        for (int row = 0; row < n; row++) {
            String user = users[row];
            if (user == null) {
                throw new IllegalArgumentException("user of row " + row + " is null");
            }
            int[] state = latest.get(user);
            if (state == null) {
                latest.put(user, new int[] {1, row});
            } else {
                state[0]++;
                if (timestamps[row] >= timestamps[state[1]]) {
                    state[1] = row;
                }
            }
        }
        boolean[] isValid = new boolean[n];
        int validCount = 0;
        for (int[] state : latest.values()) {
            if (state[0] >= 2) {
                isValid[state[1]] = true;
                validCount++;
            }
        }
        return fromMask(isValid, validCount);
    }

    /** Both parts in ascending row order, by one pass over the mask rather than a sort. */
    private static Split fromMask(boolean[] isValid, int validCount) {
        int[] valid = new int[validCount];
        int[] train = new int[isValid.length - validCount];
        int v = 0;
        int t = 0;
        for (int row = 0; row < isValid.length; row++) {
            if (isValid[row]) {
                valid[v++] = row;
            } else {
                train[t++] = row;
            }
        }
        return new Split(train, valid);
    }
}
