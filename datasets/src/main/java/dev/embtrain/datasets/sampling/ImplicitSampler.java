package dev.embtrain.datasets.sampling;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws negative examples for implicit-feedback training the way Feat2Vec does: corrupt one
 * field of a positive row, the field picked by its size in the model and the replacement by
 * how common it is in the training rows.
 *
 * <p>Feat2Vec's implicit sampling ("Feat2Vec: Dense Vector Representation for Data with
 * Arbitrary Features", 2017; published as Armona, González-Brenes and Edezhath, "Beyond Word
 * Embeddings: Dense Representations for Multi-Modal Data", FLAIRS-32, 2019). Each positive
 * row (rows[r][f] = the vocabulary index of field f, 0 = unknown) yields {@code k}
 * negatives, each a copy of the row with one field's value replaced:
 *
 * <ol>
 *   <li>field f is picked with probability ∝ params_f^α1, where params_f is the number of
 *       parameters the model spends on the field (a vocabulary size × (factors + 1), say), so
 *       big fields get corrected more often without drowning the small ones (α1 &lt; 1);
 *   <li>its new value v (1 ≤ v &lt; size_f; the unknown index 0 is never drawn) is drawn with
 *       probability ∝ (count_v + bias)^α2, count_v being how often v occurs in field f of the
 *       training rows: word2vec's unigram^0.75 rule, with {@code bias} &gt; 0 so that values
 *       never seen in training are drawn too;
 *   <li>with {@code avoidPositive} (the default) a value equal to the row's own is rejected
 *       and drawn again, so that every negative differs from its positive.
 * </ol>
 *
 * <p>Both draws use Walker's alias method (Vose's construction), so a draw costs O(1) however
 * large the vocabulary: one table over the fields, one per field over its values. Rejection
 * costs 1 / (1 − p) draws on average for a value of probability p; should a value hold nearly
 * all of its field's mass, after {@value #MAX_REJECTIONS} rejections the draw falls back to a
 * scan of that field's weights with the value left out, which gives the same distribution
 * (each route draws from the target conditioned on differing from the value), so the worst
 * case stays bounded. Shape legend: F = fields, k = negatives per positive.
 *
 * <p>Use it to train a model on positives only (clicks, views, co-occurrences), the negatives
 * labelled 0. An instance holds its own {@link SplittableRandom}, so the same seed and the
 * same calls give the same negatives; it is therefore not thread-safe.
 */
public final class ImplicitSampler {
    /** Rejections of the row's own value before the exact fallback scan (see class doc). */
    static final int MAX_REJECTIONS = 32;

    private final int[] sizes;
    private final double[] fieldProbabilities;
    private final AliasTable fieldTable;
    /** Per field, the weight (count_v + bias)^α2 of each index; index 0 holds 0. */
    private final double[][] valueWeights;
    private final double[] valueWeightSums;
    /** Per field, an alias table over the indices 1..size-1 (table slot i is index i + 1). */
    private final AliasTable[] valueTables;
    private final int negatives;
    private final boolean avoidPositive;
    private final SplittableRandom random;

    private ImplicitSampler(Builder b) {
        int fieldCount = b.sizes.length;
        this.sizes = b.sizes.clone();
        this.negatives = b.negatives;
        this.avoidPositive = b.avoidPositive;
        this.random = new SplittableRandom(b.seed);

        long[][] counts = new long[fieldCount][];
        for (int f = 0; f < fieldCount; f++) {
            counts[f] = new long[sizes[f]];
        }
        for (int[] row : b.rows) {
            for (int f = 0; f < fieldCount; f++) {
                counts[f][row[f]]++;
            }
        }

        double[] fieldWeights = new double[fieldCount];
        double fieldWeightSum = 0;
        for (int f = 0; f < fieldCount; f++) {
            fieldWeights[f] = Math.pow((double) b.params[f], b.alpha1);
            fieldWeightSum += fieldWeights[f];
        }
        if (!Double.isFinite(fieldWeightSum)) {
            throw new IllegalArgumentException("field weights params^alpha1 overflow with alpha1 = " + b.alpha1
                    + " (parameters " + Arrays.toString(b.params) + ")");
        }
        this.fieldProbabilities = normalize(fieldWeights);
        this.fieldTable = new AliasTable(fieldWeights);

        this.valueWeights = new double[fieldCount][];
        this.valueWeightSums = new double[fieldCount];
        this.valueTables = new AliasTable[fieldCount];
        for (int f = 0; f < fieldCount; f++) {
            double[] w = new double[sizes[f]];
            int drawable = 0;
            int lastDrawable = 0;
            double sum = 0;
            for (int v = 1; v < w.length; v++) {
                double base = counts[f][v] + b.countBias;
                // A value never seen, with no bias, gets 0^α2 = 0 and is never drawn; but
                // Math.pow(0, 0) is 1, so α2 = 0 draws every value alike, seen or not.
                w[v] = Math.pow(base, b.alpha2);
                if (w[v] > 0) {
                    drawable++;
                    lastDrawable = v;
                }
                sum += w[v];
            }
            if (!Double.isFinite(sum)) {
                throw new IllegalArgumentException("value weights (count + bias)^alpha2 of field " + f
                        + " overflow with alpha2 = " + b.alpha2);
            }
            if (drawable == 0) {
                throw new IllegalArgumentException("field " + f + " has no value that can be drawn: none of its "
                        + (sizes[f] - 1) + " values occurs in the rows and the count bias is 0");
            }
            if (avoidPositive && drawable == 1) {
                throw new IllegalArgumentException("field " + f + " has only one value that can be drawn (" + lastDrawable
                        + "), so avoidPositive could never replace it with another; drop the field, give unseen values"
                        + " a count bias > 0, or set avoidPositive false");
            }
            valueWeights[f] = w;
            valueWeightSums[f] = sum;
            valueTables[f] = new AliasTable(Arrays.copyOfRange(w, 1, w.length));
        }
    }

    /** A builder: {@code set*} values are required, {@code opt*} values have defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of fields F of every row. */
    public int fields() {
        return sizes.length;
    }

    /** The number of negatives k made for each positive. */
    public int negativesPerPositive() {
        return negatives;
    }

    /**
     * Makes the negatives of one positive row.
     *
     * @param row the positive, F vocabulary indices (0 = unknown); it is not modified
     * @return k new rows of F indices, each {@code row} with exactly one field's value
     *     replaced (with avoidPositive, by a different value)
     * @throws IllegalArgumentException when the row has the wrong number of fields or an
     *     index outside its field's vocabulary
     */
    public int[][] negatives(int[] row) {
        checkRow(row, "row", sizes);
        int[][] out = new int[negatives][];
        for (int i = 0; i < negatives; i++) {
            int[] negative = row.clone();
            int f = fieldTable.sample(random);
            negative[f] = drawValue(f, row[f]);
            out[i] = negative;
        }
        return out;
    }

    private int drawValue(int f, int original) {
        int v = valueTables[f].sample(random) + 1;
        if (!avoidPositive || v != original) {
            return v;
        }
        for (int attempt = 1; attempt < MAX_REJECTIONS; attempt++) {
            v = valueTables[f].sample(random) + 1;
            if (v != original) {
                return v;
            }
        }
        return drawExcluding(f, original);
    }

    /**
     * An exact draw from field f's value distribution conditioned on differing from
     * {@code excluded}. The remaining mass is summed afresh rather than taken as total − w_excluded,
     * which would cancel catastrophically in the very case this serves (w_excluded ≈ total).
     */
    private int drawExcluding(int f, int excluded) {
        double[] w = valueWeights[f];
        double rest = 0;
        for (int v = 1; v < w.length; v++) {
            if (v != excluded) {
                rest += w[v];
            }
        }
        double target = random.nextDouble() * rest;
        int last = 0;
        for (int v = 1; v < w.length; v++) {
            if (v == excluded || w[v] == 0) {
                continue;
            }
            last = v;
            target -= w[v];
            if (target < 0) {
                return v;
            }
        }
        // Rounding left target a hair above the sum: the last value with weight owns that sliver.
        return last;
    }

    /**
     * The probability that a negative has field f replaced: params_f^α1 / Σ_g params_g^α1.
     * Rejection (avoidPositive) does not change it.
     */
    public double fieldProbability(int f) {
        checkField(f);
        return fieldProbabilities[f];
    }

    /**
     * The probability that a replacement of field f draws value v: (count_v + bias)^α2 over
     * the sum for all values 1..size-1; 0 for v = 0. With avoidPositive a negative's value
     * follows this distribution conditioned on differing from the positive's.
     */
    public double valueProbability(int f, int v) {
        checkField(f);
        if (v < 0 || v >= sizes[f]) {
            throw new IllegalArgumentException(
                    "value " + v + " is out of range for field " + f + " (vocabulary size " + sizes[f] + ")");
        }
        return valueWeights[f][v] / valueWeightSums[f];
    }

    private void checkField(int f) {
        if (f < 0 || f >= sizes.length) {
            throw new IllegalArgumentException("field " + f + " is out of range: the sampler has " + sizes.length + " fields");
        }
    }

    private static void checkRow(int[] row, String name, int[] sizes) {
        if (row == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (row.length != sizes.length) {
            throw new IllegalArgumentException(name + " has " + row.length + " fields, expected " + sizes.length);
        }
        for (int f = 0; f < row.length; f++) {
            if (row[f] < 0 || row[f] >= sizes[f]) {
                throw new IllegalArgumentException(name + "[" + f + "] = " + row[f] + " is out of range for field " + f
                        + " (vocabulary size " + sizes[f] + ")");
            }
        }
    }

    private static double[] normalize(double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        double[] p = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            p[i] = weights[i] / sum;
        }
        return p;
    }

    /**
     * Walker's alias table, built by Vose's method ("A linear algorithm for generating random
     * numbers with a given distribution", 1991): O(n) to build, O(1) per draw, exact up to
     * rounding of the weights.
     */
    static final class AliasTable {
        private final double[] threshold;
        private final int[] alias;

        /** @param weights non-negative, finite, with a positive sum */
        AliasTable(double[] weights) {
            int n = weights.length;
            double sum = 0;
            for (double w : weights) {
                sum += w;
            }
            threshold = new double[n];
            alias = new int[n];
            double[] scaled = new double[n];
            int[] small = new int[n];
            int[] large = new int[n];
            int smallCount = 0;
            int largeCount = 0;
            for (int i = 0; i < n; i++) {
                scaled[i] = weights[i] * n / sum;
                if (scaled[i] < 1) {
                    small[smallCount++] = i;
                } else {
                    large[largeCount++] = i;
                }
            }
            while (smallCount > 0 && largeCount > 0) {
                int s = small[--smallCount];
                int l = large[--largeCount];
                threshold[s] = scaled[s];
                alias[s] = l;
                scaled[l] = (scaled[l] + scaled[s]) - 1;
                if (scaled[l] < 1) {
                    small[smallCount++] = l;
                } else {
                    large[largeCount++] = l;
                }
            }
            // What is left is 1 up to rounding (Vose's fix for numerical stability).
            while (largeCount > 0) {
                int l = large[--largeCount];
                threshold[l] = 1;
                alias[l] = l;
            }
            // A zero weight cannot be left here (the remaining scaled weights sum to the number
            // of remaining slots, up to rounding); if one were, it must stay undrawable.
            while (smallCount > 0) {
                int s = small[--smallCount];
                threshold[s] = weights[s] > 0 ? 1 : 0;
                alias[s] = weights[s] > 0 ? s : firstPositive(weights);
            }
        }

        private static int firstPositive(double[] weights) {
            for (int i = 0; i < weights.length; i++) {
                if (weights[i] > 0) {
                    return i;
                }
            }
            throw new IllegalArgumentException("an alias table needs a positive weight");
        }

        int sample(SplittableRandom random) {
            int i = random.nextInt(threshold.length);
            return random.nextDouble() < threshold[i] ? i : alias[i];
        }
    }

    /** Builds an {@link ImplicitSampler}; {@link #build()} checks every value. */
    public static final class Builder {
        private int[][] rows;
        private int[] sizes;
        private long[] params;
        private double alpha1 = 0.25;
        private double alpha2 = 0.75;
        private double countBias = 1.0;
        private int negatives = 5;
        private boolean avoidPositive = true;
        private long seed = 42;

        private Builder() {}

        /** The positive training rows, rows[r][f] = the vocabulary index of field f; counts come from them. */
        public Builder setRows(int[][] rows) {
            this.rows = rows;
            return this;
        }

        /** Each field's vocabulary size, index 0 (unknown) included, so values are 0..size-1. */
        public Builder setVocabularySizes(int[] sizes) {
            this.sizes = sizes;
            return this;
        }

        /** Each field's number of parameters in the model, e.g. vocabulary size × (factors + 1). */
        public Builder setFieldParameters(long[] params) {
            this.params = params;
            return this;
        }

        /** The exponent α1 on field parameter counts; default 0.25 (0 picks fields uniformly). */
        public Builder optAlpha1(double alpha1) {
            this.alpha1 = alpha1;
            return this;
        }

        /** The exponent α2 on smoothed value counts; default 0.75 (word2vec's). */
        public Builder optAlpha2(double alpha2) {
            this.alpha2 = alpha2;
            return this;
        }

        /** The constant added to every value count before the exponent; default 1. */
        public Builder optCountBias(double countBias) {
            this.countBias = countBias;
            return this;
        }

        /** Negatives k per positive; default 5. */
        public Builder optNegatives(int negatives) {
            this.negatives = negatives;
            return this;
        }

        /** Redraw a value equal to the positive's; default true. */
        public Builder optAvoidPositive(boolean avoidPositive) {
            this.avoidPositive = avoidPositive;
            return this;
        }

        /** Seed of the sampler's random numbers; default 42. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Checks every value and builds the sampler (O(rows × F + Σ sizes)).
         *
         * @throws IllegalArgumentException naming the field, row and value at fault
         */
        public ImplicitSampler build() {
            if (rows == null) {
                throw new IllegalArgumentException("rows must be set (setRows)");
            }
            if (sizes == null) {
                throw new IllegalArgumentException("vocabulary sizes must be set (setVocabularySizes)");
            }
            if (params == null) {
                throw new IllegalArgumentException("field parameters must be set (setFieldParameters)");
            }
            if (sizes.length == 0) {
                throw new IllegalArgumentException("vocabulary sizes must name at least one field, found none");
            }
            if (params.length != sizes.length) {
                throw new IllegalArgumentException("field parameters has " + params.length + " entries for "
                        + sizes.length + " fields (vocabulary sizes has " + sizes.length + ")");
            }
            for (int f = 0; f < sizes.length; f++) {
                if (sizes[f] < 2) {
                    throw new IllegalArgumentException(
                            "vocabulary size of field " + f + " must be >= 2 (unknown + one value), found " + sizes[f]);
                }
                if (params[f] <= 0) {
                    throw new IllegalArgumentException("parameters of field " + f + " must be > 0, found " + params[f]);
                }
            }
            checkExponent("alpha1", alpha1);
            checkExponent("alpha2", alpha2);
            if (!(countBias >= 0) || !Double.isFinite(countBias)) {
                throw new IllegalArgumentException("count bias must be finite and >= 0, found " + countBias);
            }
            if (negatives <= 0) {
                throw new IllegalArgumentException("negatives must be > 0, found " + negatives);
            }
            if (rows.length == 0) {
                throw new IllegalArgumentException("rows must not be empty: value counts come from them");
            }
            for (int r = 0; r < rows.length; r++) {
                checkRow(rows[r], "rows[" + r + "]", sizes);
            }
            return new ImplicitSampler(this);
        }

        private static void checkExponent(String name, double value) {
            if (!(value >= 0) || !Double.isFinite(value)) {
                throw new IllegalArgumentException(name + " must be finite and >= 0, found " + value);
            }
        }
    }
}
