package dev.embtrain.datasets.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ImplicitSamplerTest {
    /** The upper 0.999 quantile of chi-square for 1..10 degrees of freedom (standard tables). */
    private static final double[] CHI2_999 = {
        10.828, 13.816, 16.266, 18.467, 20.515, 22.458, 24.322, 26.124, 27.877, 29.588
    };
    /** The standard normal's 0.999 quantile. */
    private static final double Z_999 = 3.090232306167813;

    /**
     * The 0.999 critical value of chi-square with {@code df} degrees of freedom: from the table
     * up to 10, else by Wilson and Hilferty's cube-root approximation (1931), χ²_p(k) ≈
     * k (1 − 2/(9k) + z_p √(2/(9k)))³, which is within 0.6% at k = 10 (see
     * {@link #wilsonHilfertyMatchesTheTable}) and closer as k grows.
     */
    static double chiSquareCritical999(int df) {
        if (df >= 1 && df <= CHI2_999.length) {
            return CHI2_999[df - 1];
        }
        return wilsonHilferty(df, Z_999);
    }

    private static double wilsonHilferty(int df, double z) {
        double a = 2.0 / (9.0 * df);
        double c = 1 - a + z * Math.sqrt(a);
        return df * c * c * c;
    }

    /** Pearson's statistic Σ (O − E)² / E over the cells with E > 0; cells with E = 0 must be empty. */
    private static double chiSquare(long[] observed, double[] probabilities, long total) {
        double statistic = 0;
        for (int i = 0; i < observed.length; i++) {
            double expected = probabilities[i] * total;
            if (expected == 0) {
                assertEquals(0, observed[i], "cell " + i + " has probability 0 but was drawn");
                continue;
            }
            double d = observed[i] - expected;
            statistic += d * d / expected;
        }
        return statistic;
    }

    private static int cellsWithMass(double[] probabilities) {
        return (int) Arrays.stream(probabilities).filter(p -> p > 0).count();
    }

    /** Rows with skewed, Zipf-like value counts; value 0 (unknown) occurs too. */
    private static int[][] skewedRows(int n, int[] sizes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] rows = new int[n][sizes.length];
        for (int r = 0; r < n; r++) {
            for (int f = 0; f < sizes.length; f++) {
                // u^3 piles the mass on small indices; the top few indices stay unseen.
                double u = random.nextDouble();
                rows[r][f] = (int) (u * u * u * (sizes[f] - 2));
            }
        }
        return rows;
    }

    @Test
    void wilsonHilfertyMatchesTheTable() {
        assertEquals(29.588, wilsonHilferty(10, Z_999), 0.006 * 29.588);
        assertEquals(26.124, wilsonHilferty(8, Z_999), 0.008 * 26.124);
    }

    @Test
    void tinyExampleByHand() {
        // Field 0 counts: value 1 x3, value 2 x1. Field 1 counts: value 1 x3, value 2 x1, value 3 x0.
        int[][] rows = {{1, 1}, {1, 1}, {2, 1}, {1, 2}};
        ImplicitSampler sampler = ImplicitSampler.builder()
                .setRows(rows)
                .setVocabularySizes(new int[] {3, 4})
                .setFieldParameters(new long[] {10, 30})
                .optAlpha1(0.5)
                .optAlpha2(0.5)
                .optCountBias(1.0)
                .build();

        // sqrt(10) / (sqrt(10) + sqrt(30)) = 1 / (1 + sqrt(3)) = 0.36602540...
        assertEquals(Math.sqrt(10) / (Math.sqrt(10) + Math.sqrt(30)), sampler.fieldProbability(0), 1e-15);
        assertEquals(1 / (1 + Math.sqrt(3)), sampler.fieldProbability(0), 1e-15);
        assertEquals(Math.sqrt(3) / (1 + Math.sqrt(3)), sampler.fieldProbability(1), 1e-15);

        // Field 1 weights (count + 1)^0.5: value 1 sqrt(4) = 2, value 2 sqrt(2), value 3 sqrt(1) = 1.
        double sum = 2 + Math.sqrt(2) + 1;
        assertEquals(0.0, sampler.valueProbability(1, 0));
        assertEquals(2 / sum, sampler.valueProbability(1, 1), 1e-15);
        assertEquals(Math.sqrt(2) / sum, sampler.valueProbability(1, 2), 1e-15);
        assertEquals(1 / sum, sampler.valueProbability(1, 3), 1e-15);
        // Field 0 weights: value 1 sqrt(4) = 2, value 2 sqrt(2).
        assertEquals(2 / (2 + Math.sqrt(2)), sampler.valueProbability(0, 1), 1e-15);

        assertEquals(2, sampler.fields());
        assertEquals(5, sampler.negativesPerPositive());
    }

    @Test
    void defaultsAreFeat2VecsExponentsAndBias() {
        int[][] rows = {{1}, {1}, {1}, {2}};
        ImplicitSampler sampler = ImplicitSampler.builder()
                .setRows(rows)
                .setVocabularySizes(new int[] {4})
                .setFieldParameters(new long[] {7})
                .build();
        // (3 + 1)^0.75, (1 + 1)^0.75, (0 + 1)^0.75
        double a = Math.pow(4, 0.75);
        double b = Math.pow(2, 0.75);
        double sum = a + b + 1;
        assertEquals(a / sum, sampler.valueProbability(0, 1), 1e-15);
        assertEquals(b / sum, sampler.valueProbability(0, 2), 1e-15);
        assertEquals(1 / sum, sampler.valueProbability(0, 3), 1e-15);
        assertEquals(1.0, sampler.fieldProbability(0));
        assertEquals(5, sampler.negatives(new int[] {1}).length);
    }

    @Test
    void fieldFrequenciesMatchFieldProbability() {
        int[] sizes = {5, 20, 60, 9};
        long[] params = {5 * 3, 20 * 3, 60 * 3, 9 * 3_000};
        int[][] rows = skewedRows(2_000, sizes, 1);
        ImplicitSampler sampler = ImplicitSampler.builder()
                .setRows(rows)
                .setVocabularySizes(sizes)
                .setFieldParameters(params)
                .optSeed(11)
                .build();

        long[] observed = new long[sizes.length];
        long total = 0;
        for (int i = 0; i < 40_000; i++) {
            int[] positive = rows[i % rows.length];
            for (int[] negative : sampler.negatives(positive)) {
                // avoidPositive (the default) makes the replaced field the one that differs.
                int changed = -1;
                for (int f = 0; f < sizes.length; f++) {
                    if (negative[f] != positive[f]) {
                        assertEquals(-1, changed, "more than one field changed");
                        changed = f;
                    }
                }
                assertTrue(changed >= 0, "no field changed");
                observed[changed]++;
                total++;
            }
        }
        assertEquals(200_000, total);

        double[] p = new double[sizes.length];
        double pSum = 0;
        for (int f = 0; f < sizes.length; f++) {
            p[f] = sampler.fieldProbability(f);
            pSum += p[f];
            assertEquals(Math.pow(params[f], 0.25), p[f] * Arrays.stream(params).mapToDouble(x -> Math.pow(x, 0.25)).sum(), 1e-12);
        }
        assertEquals(1.0, pSum, 1e-12);
        double statistic = chiSquare(observed, p, total);
        int df = sizes.length - 1;
        assertTrue(statistic < chiSquareCritical999(df),
                "chi-square " + statistic + " >= " + chiSquareCritical999(df) + " for " + Arrays.toString(observed));
    }

    @Test
    void valueFrequenciesMatchValueProbability() {
        int[] sizes = {4, 41};
        int[][] rows = skewedRows(3_000, sizes, 2);
        ImplicitSampler sampler = ImplicitSampler.builder()
                .setRows(rows)
                .setVocabularySizes(sizes)
                .setFieldParameters(new long[] {4, 41_000})
                .optAvoidPositive(false)
                .optSeed(12)
                .build();
        // Values 39 and 40 never occur in the rows (skewedRows stops at size - 2); the count
        // bias still gives them mass.
        assertTrue(sampler.valueProbability(1, 40) > 0);

        // Without avoidPositive a draw may repeat the positive's value, so a negative does not
        // always show which field was replaced. The positives below carry the unknown index 0
        // in field 1 (an id not seen in training), which is never drawn: a negative's field 1
        // is non-zero exactly when field 1 was replaced, and then it is a draw from
        // valueProbability(1, .).
        int field = 1;
        long[] observed = new long[sizes[field]];
        long replaced = 0;
        long total = 0;
        for (int i = 0; i < 40_000; i++) {
            int[] positive = rows[i % rows.length].clone();
            positive[field] = 0;
            for (int[] negative : sampler.negatives(positive)) {
                total++;
                if (negative[field] != 0) {
                    observed[negative[field]]++;
                    replaced++;
                }
            }
        }
        assertEquals(200_000, total);

        double q = sampler.fieldProbability(field);
        double fieldStatistic = chiSquare(new long[] {total - replaced, replaced}, new double[] {1 - q, q}, total);
        assertTrue(fieldStatistic < chiSquareCritical999(1), "field 1 replaced " + replaced + " of " + total);

        double[] p = new double[sizes[field]];
        for (int v = 0; v < p.length; v++) {
            p[v] = sampler.valueProbability(field, v);
        }
        double statistic = chiSquare(observed, p, replaced);
        int df = cellsWithMass(p) - 1;
        assertEquals(39, df);
        assertTrue(statistic < chiSquareCritical999(df),
                "chi-square " + statistic + " >= " + chiSquareCritical999(df) + " (df " + df + ")");
    }

    @Test
    void valueFrequenciesOfOneFieldAlone() {
        // One field, so every negative is a draw from valueProbability (avoidPositive false).
        int[] sizes = {51};
        int[][] rows = skewedRows(5_000, sizes, 3);
        ImplicitSampler sampler = ImplicitSampler.builder()
                .setRows(rows)
                .setVocabularySizes(sizes)
                .setFieldParameters(new long[] {51})
                .optAvoidPositive(false)
                .optNegatives(10)
                .optSeed(13)
                .build();
        long[] observed = new long[sizes[0]];
        long total = 0;
        for (int i = 0; i < 20_000; i++) {
            for (int[] negative : sampler.negatives(rows[i % rows.length])) {
                observed[negative[0]]++;
                total++;
            }
        }
        assertEquals(200_000, total);
        assertEquals(0, observed[0], "index 0 (unknown) is never drawn");
        double[] p = new double[sizes[0]];
        double pSum = 0;
        for (int v = 0; v < p.length; v++) {
            p[v] = sampler.valueProbability(0, v);
            pSum += p[v];
        }
        assertEquals(1.0, pSum, 1e-12);
        int df = cellsWithMass(p) - 1;
        assertEquals(49, df);
        double statistic = chiSquare(observed, p, total);
        assertTrue(statistic < chiSquareCritical999(df),
                "chi-square " + statistic + " >= " + chiSquareCritical999(df) + " (df " + df + ")");
    }

    @Test
    void avoidPositiveNeverReturnsTheOriginal() {
        int[] sizes = {3, 4, 30};
        int[][] rows = skewedRows(500, sizes, 4);
        ImplicitSampler sampler = ImplicitSampler.builder()
                .setRows(rows)
                .setVocabularySizes(sizes)
                .setFieldParameters(new long[] {300, 400, 30})
                .optSeed(5)
                .build();
        for (int i = 0; i < 20_000; i++) {
            int[] positive = rows[i % rows.length];
            int[] before = positive.clone();
            for (int[] negative : sampler.negatives(positive)) {
                int changed = 0;
                for (int f = 0; f < sizes.length; f++) {
                    if (negative[f] != positive[f]) {
                        changed++;
                        assertNotEquals(0, negative[f], "index 0 is never drawn");
                    }
                }
                assertEquals(1, changed, "exactly one field differs: " + Arrays.toString(negative));
            }
            assertArrayEquals(before, positive, "the positive row is not modified");
        }
    }

    @Test
    void avoidPositiveStaysExactAndBoundedWhenOneValueHoldsNearlyAllTheMass() {
        // Value 1 holds 1 - 1e-15 of the mass: rejection alone would take ~1e15 draws.
        int[][] rows = new int[1_000][];
        Arrays.fill(rows, new int[] {1});
        ImplicitSampler sampler = ImplicitSampler.builder()
                .setRows(rows)
                .setVocabularySizes(new int[] {4})
                .setFieldParameters(new long[] {4})
                .optCountBias(1e-12)
                .optAlpha2(1.0)
                .optNegatives(1_000)
                .build();
        assertTrue(sampler.valueProbability(0, 1) > 1 - 1e-14);
        long[] seen = new long[4];
        for (int[] negative : sampler.negatives(new int[] {1})) {
            seen[negative[0]]++;
        }
        assertEquals(0, seen[0]);
        assertEquals(0, seen[1]);
        // Values 2 and 3 have equal weight, so the conditional draw splits about evenly.
        assertEquals(1_000, seen[2] + seen[3]);
        assertTrue(seen[2] > 400 && seen[3] > 400, Arrays.toString(seen));
    }

    @Test
    void zeroWeightValuesAreNeverDrawn() {
        // Count bias 0: values 3 and 4 never occur, so they have no mass.
        int[][] rows = {{1}, {1}, {2}};
        ImplicitSampler sampler = ImplicitSampler.builder()
                .setRows(rows)
                .setVocabularySizes(new int[] {5})
                .setFieldParameters(new long[] {5})
                .optCountBias(0)
                .optAvoidPositive(false)
                .optNegatives(10_000)
                .build();
        assertEquals(0.0, sampler.valueProbability(0, 3));
        for (int[] negative : sampler.negatives(new int[] {0})) {
            assertTrue(negative[0] == 1 || negative[0] == 2, Arrays.toString(negative));
        }
    }

    @Test
    void aliasTableNeverDrawsAZeroWeight() {
        ImplicitSampler.AliasTable table = new ImplicitSampler.AliasTable(new double[] {0, 3, 0, 1, 0});
        SplittableRandom random = new SplittableRandom(1);
        long[] seen = new long[5];
        for (int i = 0; i < 100_000; i++) {
            seen[table.sample(random)]++;
        }
        assertEquals(0, seen[0] + seen[2] + seen[4]);
        assertEquals(0.75, seen[1] / 100_000.0, 0.01);
    }

    @Test
    void theSameSeedGivesTheSameNegatives() {
        int[] sizes = {10, 20};
        int[][] rows = skewedRows(100, sizes, 6);
        Supplier<ImplicitSampler> make = () -> ImplicitSampler.builder()
                .setRows(rows)
                .setVocabularySizes(sizes)
                .setFieldParameters(new long[] {10, 20})
                .optSeed(99)
                .build();
        ImplicitSampler a = make.get();
        ImplicitSampler b = make.get();
        ImplicitSampler other = ImplicitSampler.builder()
                .setRows(rows)
                .setVocabularySizes(sizes)
                .setFieldParameters(new long[] {10, 20})
                .optSeed(100)
                .build();
        List<int[]> fromA = new ArrayList<>();
        List<int[]> fromB = new ArrayList<>();
        List<int[]> fromOther = new ArrayList<>();
        for (int[] row : rows) {
            fromA.addAll(Arrays.asList(a.negatives(row)));
            fromB.addAll(Arrays.asList(b.negatives(row)));
            fromOther.addAll(Arrays.asList(other.negatives(row)));
        }
        assertArrayEquals(fromA.toArray(new int[0][]), fromB.toArray(new int[0][]));
        assertFalse(Arrays.deepEquals(fromA.toArray(new int[0][]), fromOther.toArray(new int[0][])));
    }

    private static ImplicitSampler.Builder valid() {
        return ImplicitSampler.builder()
                .setRows(new int[][] {{1, 2}, {2, 1}})
                .setVocabularySizes(new int[] {3, 4})
                .setFieldParameters(new long[] {30, 40});
    }

    private static String buildError(ImplicitSampler.Builder builder) {
        return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
    }

    @Test
    void buildErrorsNameTheFieldAndValue() {
        assertEquals("rows must be set (setRows)",
                buildError(ImplicitSampler.builder().setVocabularySizes(new int[] {3}).setFieldParameters(new long[] {3})));
        assertEquals("vocabulary sizes must be set (setVocabularySizes)",
                buildError(ImplicitSampler.builder().setRows(new int[][] {{1}}).setFieldParameters(new long[] {3})));
        assertEquals("field parameters must be set (setFieldParameters)",
                buildError(ImplicitSampler.builder().setRows(new int[][] {{1}}).setVocabularySizes(new int[] {3})));
        assertEquals("vocabulary sizes must name at least one field, found none",
                buildError(valid().setVocabularySizes(new int[0])));
        assertEquals("field parameters has 3 entries for 2 fields (vocabulary sizes has 2)",
                buildError(valid().setFieldParameters(new long[] {1, 2, 3})));
        assertEquals("vocabulary size of field 1 must be >= 2 (unknown + one value), found 1",
                buildError(valid().setVocabularySizes(new int[] {3, 1})));
        assertEquals("parameters of field 0 must be > 0, found 0",
                buildError(valid().setFieldParameters(new long[] {0, 40})));
        assertEquals("alpha1 must be finite and >= 0, found -0.5", buildError(valid().optAlpha1(-0.5)));
        assertEquals("alpha2 must be finite and >= 0, found NaN", buildError(valid().optAlpha2(Double.NaN)));
        assertEquals("count bias must be finite and >= 0, found Infinity",
                buildError(valid().optCountBias(Double.POSITIVE_INFINITY)));
        assertEquals("negatives must be > 0, found 0", buildError(valid().optNegatives(0)));
        assertEquals("rows must not be empty: value counts come from them", buildError(valid().setRows(new int[0][])));
        assertEquals("rows[1] is null", buildError(valid().setRows(new int[][] {{1, 1}, null})));
        assertEquals("rows[0] has 3 fields, expected 2", buildError(valid().setRows(new int[][] {{1, 1, 1}})));
        assertEquals("rows[1][1] = 4 is out of range for field 1 (vocabulary size 4)",
                buildError(valid().setRows(new int[][] {{1, 1}, {2, 4}})));
        assertEquals("rows[0][0] = -1 is out of range for field 0 (vocabulary size 3)",
                buildError(valid().setRows(new int[][] {{-1, 1}})));
        assertEquals("field 1 has no value that can be drawn: none of its 3 values occurs in the rows and the count bias is 0",
                buildError(valid().setRows(new int[][] {{1, 0}, {2, 0}}).optCountBias(0)));
        assertEquals("field 0 has only one value that can be drawn (1), so avoidPositive could never replace it with"
                        + " another; drop the field, give unseen values a count bias > 0, or set avoidPositive false",
                buildError(valid().setVocabularySizes(new int[] {2, 4}).setRows(new int[][] {{1, 2}})));
        assertEquals("field weights params^alpha1 overflow with alpha1 = 1000.0 (parameters [30, 40])",
                buildError(valid().optAlpha1(1000)));
        assertEquals("value weights (count + bias)^alpha2 of field 0 overflow with alpha2 = 2000.0",
                buildError(valid().optAlpha2(2000)));

        // Without avoidPositive a field with one drawable value is fine: it just repeats it.
        ImplicitSampler one = valid().setVocabularySizes(new int[] {2, 4}).setRows(new int[][] {{1, 2}})
                .optAvoidPositive(false).build();
        assertEquals(1.0, one.valueProbability(0, 1));
    }

    @Test
    void useErrorsNameTheFieldAndValue() {
        ImplicitSampler sampler = valid().build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sampler.negatives(new int[] {1}));
        assertEquals("row has 1 fields, expected 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sampler.negatives(new int[] {3, 1}));
        assertEquals("row[0] = 3 is out of range for field 0 (vocabulary size 3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sampler.negatives(null));
        assertEquals("row is null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sampler.fieldProbability(2));
        assertEquals("field 2 is out of range: the sampler has 2 fields", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sampler.valueProbability(-1, 1));
        assertEquals("field -1 is out of range: the sampler has 2 fields", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sampler.valueProbability(1, 4));
        assertEquals("value 4 is out of range for field 1 (vocabulary size 4)", e.getMessage());
    }
}
