package dev.embtrain.datasets.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SkipGramTest {
    private static final int[] SESSION = {1, 2, 3, 4};

    private static List<List<Integer>> asLists(List<int[]> pairs) {
        List<List<Integer>> out = new ArrayList<>();
        for (int[] p : pairs) {
            out.add(List.of(p[0], p[1]));
        }
        return out;
    }

    @Test
    void countsLeaveIndexZeroOut() {
        long[] counts = SkipGram.counts(new int[][] {{1, 2, 2, 0}, {3, 2, 0}, {}}, 5);
        assertArrayEquals(new long[] {0, 1, 3, 1, 0}, counts);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SkipGram.counts(new int[][] {{1}, {2, 5}}, 5));
        assertEquals("sessions[1][1] = 5 is out of range for vocabulary size 5", e.getMessage());
    }

    @Test
    void fixedWindowOnePairs() {
        List<List<Integer>> expected = List.of(
                List.of(1, 2),
                List.of(2, 1), List.of(2, 3),
                List.of(3, 2), List.of(3, 4),
                List.of(4, 3));
        assertEquals(expected, asLists(SkipGram.pairs(SESSION, 1, null)));
    }

    @Test
    void fixedWindowTwoPairs() {
        List<List<Integer>> expected = List.of(
                List.of(1, 2), List.of(1, 3),
                List.of(2, 1), List.of(2, 3), List.of(2, 4),
                List.of(3, 1), List.of(3, 2), List.of(3, 4),
                List.of(4, 2), List.of(4, 3));
        assertEquals(expected, asLists(SkipGram.pairs(SESSION, 2, null)));
    }

    @Test
    void unknownItemsAreDroppedBeforeWindowing() {
        // gensim removes out-of-vocabulary words first, so 1 and 2 become neighbours.
        assertEquals(List.of(List.of(1, 2), List.of(2, 1)), asLists(SkipGram.pairs(new int[] {0, 1, 0, 0, 2}, 1, null)));
        assertEquals(List.of(), SkipGram.pairs(new int[] {0, 7, 0}, 3, null));
    }

    @Test
    void shrunkWindowsAverageTheExpectedPairCount() {
        // Each position's effective window r is uniform in 1..w and clipped to the session.
        // [1,2,3,4], w = 2 (r in {1,2}, E[r] = 1.5):
        //   i=0: right min(r,3) = r -> 1.5;  i=1: left 1 + right r -> 2.5;
        //   i=2: left r + right 1 -> 2.5;    i=3: left r -> 1.5;            total 8.
        // w = 3 (r in {1,2,3}, E[r] = 2, E[min(r,2)] = 5/3):
        //   i=0: 2; i=1: 1 + 5/3; i=2: 5/3 + 1; i=3: 2;                     total 28/3.
        // w = 1 never shrinks: 6 pairs every time.
        double[][] cases = {{1, 6}, {2, 8}, {3, 28.0 / 3}};
        for (double[] c : cases) {
            int window = (int) c[0];
            SplittableRandom rng = new SplittableRandom(7);
            int draws = 40_000;
            long total = 0;
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (int d = 0; d < draws; d++) {
                int n = SkipGram.pairs(SESSION, window, rng).size();
                total += n;
                min = Math.min(min, n);
                max = Math.max(max, n);
            }
            // The count per draw lies in [6, 12]; its standard deviation is < 3, so the
            // standard error of the mean is < 0.015.
            assertEquals(c[1], (double) total / draws, 0.06, "window " + window);
            assertEquals(6, min, "window " + window + ": every window at 1 gives the fixed-window-1 pairs");
            assertEquals(List.of(6, 10, 12).get(window - 1), max, "window " + window);
        }
    }

    @Test
    void shrunkPairsAreASubsetOfTheFixedWindowsInOrder() {
        SplittableRandom rng = new SplittableRandom(3);
        List<List<Integer>> full = asLists(SkipGram.pairs(SESSION, 3, null));
        for (int d = 0; d < 100; d++) {
            List<List<Integer>> shrunk = asLists(SkipGram.pairs(SESSION, 3, rng));
            int at = 0;
            for (List<Integer> p : shrunk) {
                while (at < full.size() && !full.get(at).equals(p)) {
                    at++;
                }
                assertTrue(at < full.size(), "pair " + p + " out of order or not in the fixed window");
                at++;
            }
        }
    }

    @Test
    void cbowExamplesWithFixedWindows() {
        List<SkipGram.Cbow> expected = List.of(
                new SkipGram.Cbow(1, new int[] {2, 3}),
                new SkipGram.Cbow(2, new int[] {1, 3, 4}),
                new SkipGram.Cbow(3, new int[] {1, 2, 4}),
                new SkipGram.Cbow(4, new int[] {2, 3}));
        assertEquals(expected, SkipGram.cbow(SESSION, 2, null));
        // A lone item has no context: word2vec.c skips it.
        assertEquals(List.of(), SkipGram.cbow(new int[] {5}, 2, null));
        assertEquals(List.of(), SkipGram.cbow(new int[] {5, 0}, 2, new SplittableRandom(1)));
    }

    @Test
    void cbowDrawsTheSameWindowsAsPairs() {
        List<int[]> pairs = SkipGram.pairs(SESSION, 3, new SplittableRandom(11));
        List<SkipGram.Cbow> cbow = SkipGram.cbow(SESSION, 3, new SplittableRandom(11));
        List<List<Integer>> fromCbow = new ArrayList<>();
        for (SkipGram.Cbow c : cbow) {
            for (int context : c.context()) {
                fromCbow.add(List.of(c.target(), context));
            }
        }
        assertEquals(asLists(pairs), fromCbow);
    }

    @Test
    void keepProbabilityByHand() {
        // count 1000, total 100000, sample 1e-3: s·T = 100, f/(s·T) = 10,
        // (sqrt(10) + 1) · 100/1000 = (3.16227766017 + 1) · 0.1 = 0.416227766017.
        assertEquals(0.416227766017, SkipGram.keepProbability(1000, 100_000, 1e-3), 1e-12);
        // count 10000: f/(s·T) = 100, (10 + 1) · 100/10000 = 0.11.
        assertEquals(0.11, SkipGram.keepProbability(10_000, 100_000, 1e-3), 1e-15);
        // count 200: f/(s·T) = 2, (sqrt(2) + 1) / 2 = 1.207 -> capped at 1; rarer items too.
        assertEquals(1.0, SkipGram.keepProbability(200, 100_000, 1e-3));
        assertEquals(1.0, SkipGram.keepProbability(1, 100_000, 1e-3));
        assertEquals(1.0, SkipGram.keepProbability(0, 100_000, 1e-3));
        // sample = 0 disables subsampling.
        assertEquals(1.0, SkipGram.keepProbability(99_000, 100_000, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SkipGram.keepProbability(10, 100, 1.5));
        assertEquals("sample must be in [0, 1), found 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SkipGram.keepProbability(101, 100, 1e-3));
        assertEquals("count must be in [0, total = 100], found 101", e.getMessage());
    }

    @Test
    void keepProbabilitiesUseTheTotalOfTheVocabulary() {
        long[] counts = {0, 10_000, 1000, 88_999, 1};
        double[] keep = SkipGram.keepProbabilities(counts, 1e-3);
        assertEquals(0.0, keep[0]);
        assertEquals(0.11, keep[1], 1e-15);
        assertEquals(0.416227766017, keep[2], 1e-12);
        assertEquals(1.0, keep[4]);
    }

    @Test
    void subsampleIsDeterministicForASeedAndDropsUnknowns() {
        double[] keep = {0.0, 1.0, 0.5, 0.1};
        int[] session = new int[200];
        for (int i = 0; i < session.length; i++) {
            session[i] = i % 4;
        }
        int[] a = SkipGram.subsample(session, keep, new SplittableRandom(5));
        int[] b = SkipGram.subsample(session, keep, new SplittableRandom(5));
        assertArrayEquals(a, b);
        assertNotEquals(List.of(a), List.of(SkipGram.subsample(session, keep, new SplittableRandom(6))));
        int[] byItem = new int[4];
        for (int item : a) {
            byItem[item]++;
        }
        assertEquals(0, byItem[0]);
        assertEquals(50, byItem[1]);
        assertTrue(byItem[2] > 10 && byItem[2] < 40, "kept " + byItem[2] + " of 50 at p = 0.5");
        assertTrue(byItem[3] < 20, "kept " + byItem[3] + " of 50 at p = 0.1");
        // With nothing to subsample no random number is drawn.
        SplittableRandom rng = new SplittableRandom(9);
        assertArrayEquals(new int[] {1, 1}, SkipGram.subsample(new int[] {1, 0, 1}, keep, rng));
        assertEquals(new SplittableRandom(9).nextLong(), rng.nextLong());
    }

    @Test
    void subsampleKeepsAtTheRightRate() {
        double[] keep = {0.0, 0.3};
        int[] session = new int[100_000];
        java.util.Arrays.fill(session, 1);
        int kept = SkipGram.subsample(session, keep, new SplittableRandom(1)).length;
        // sd = sqrt(1e5 · 0.3 · 0.7) = 145; 5 sd.
        assertEquals(30_000, kept, 725);
    }

    @Test
    void noiseDistributionByHand() {
        long[] counts = {0, 1, 16, 81};
        // 1^0.75 = 1, 16^0.75 = 8, 81^0.75 = 27: sum 36.
        assertArrayEquals(new double[] {0, 1.0 / 36, 8.0 / 36, 27.0 / 36}, SkipGram.noiseDistribution(counts, 0.75), 1e-15);
        // Exponent 0: uniform over the items seen.
        assertArrayEquals(new double[] {0, 1.0 / 3, 1.0 / 3, 1.0 / 3}, SkipGram.noiseDistribution(counts, 0), 1e-15);
        // Exponent -0.5: 1, 1/4, 1/9 = 36/36, 9/36, 4/36: sum 49/36.
        assertArrayEquals(new double[] {0, 36.0 / 49, 9.0 / 49, 4.0 / 49}, SkipGram.noiseDistribution(counts, -0.5), 1e-15);
        // Index 0's count is ignored, unseen items get 0 at any exponent.
        assertArrayEquals(new double[] {0, 0, 1}, SkipGram.noiseDistribution(new long[] {50, 0, 3}, -1), 0);
        assertArrayEquals(new double[] {0, 0, 1}, SkipGram.noiseDistribution(new long[] {50, 0, 3}, 0), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SkipGram.noiseDistribution(new long[] {5, 0}, 0.75));
        assertEquals("counts has no index >= 1 with a count > 0, so nothing can be drawn", e.getMessage());
    }

    @Test
    void samplerFrequenciesMatchTheDistribution() {
        long[] counts = {0, 1, 16, 81, 0};
        for (double exponent : new double[] {0.75, 0, -0.5}) {
            SkipGram.NoiseSampler sampler = new SkipGram.NoiseSampler(counts, exponent, 42);
            double[] p = SkipGram.noiseDistribution(counts, exponent);
            int draws = 200_000;
            long[] seen = new long[counts.length];
            for (int d = 0; d < draws; d++) {
                seen[sampler.next()]++;
            }
            assertEquals(0, seen[0]);
            assertEquals(0, seen[4]);
            for (int w = 1; w <= 3; w++) {
                // 5 standard deviations of a binomial frequency (at most 0.0056).
                double sd = Math.sqrt(p[w] * (1 - p[w]) / draws);
                assertEquals(p[w], (double) seen[w] / draws, 5 * sd, "exponent " + exponent + ", item " + w);
                assertEquals(p[w], sampler.probability(w), 0);
            }
        }
    }

    @Test
    void samplerNeverReturnsTheAvoidedItemAndIsSeeded() {
        long[] counts = {0, 1, 16, 81};
        SkipGram.NoiseSampler sampler = new SkipGram.NoiseSampler(counts, 0.75, 1);
        long[] seen = new long[4];
        for (int d = 0; d < 20_000; d++) {
            for (int w : sampler.next(5, 3)) {
                seen[w]++;
            }
        }
        assertEquals(0, seen[3]);
        assertEquals(0, seen[0]);
        // Conditioned on w != 3: 1/9 and 8/9.
        assertEquals(1.0 / 9, seen[1] / 100_000.0, 0.005);
        assertArrayEquals(new SkipGram.NoiseSampler(counts, 0.75, 8).next(50, 2),
                new SkipGram.NoiseSampler(counts, 0.75, 8).next(50, 2));
        // An item that holds nearly all the mass falls back to the exact scan, still never itself.
        SkipGram.NoiseSampler skewed = new SkipGram.NoiseSampler(new long[] {0, 1, 1_000_000_000_000L}, 1, 3);
        for (int w : skewed.next(100, 2)) {
            assertEquals(1, w);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SkipGram.NoiseSampler(new long[] {0, 0, 7}, 0.75, 1).next(1, 2));
        assertEquals("cannot draw a negative other than 2: it is the only item with a count > 0", e.getMessage());
    }

    @Test
    void candidatesArePositiveThenItsNegativesPerRow() {
        long[] counts = {0, 1, 16, 81, 4};
        long[] c = SkipGram.candidates(new long[] {2, 4}, 2, new SkipGram.NoiseSampler(counts, 0.75, 17));
        assertEquals(6, c.length);
        assertEquals(2, c[0]);
        assertEquals(4, c[3]);
        for (int i : new int[] {1, 2}) {
            assertTrue(c[i] >= 1 && c[i] <= 4 && c[i] != 2, "negative " + c[i] + " of positive 2");
        }
        for (int i : new int[] {4, 5}) {
            assertTrue(c[i] >= 1 && c[i] <= 4 && c[i] != 4, "negative " + c[i] + " of positive 4");
        }
        // The negatives are the sampler's draws in row order.
        SkipGram.NoiseSampler same = new SkipGram.NoiseSampler(counts, 0.75, 17);
        int[] first = same.next(2, 2);
        int[] second = same.next(2, 4);
        assertArrayEquals(new long[] {2, first[0], first[1], 4, second[0], second[1]}, c);
        assertArrayEquals(new long[] {2, 4}, SkipGram.candidates(new long[] {2, 4}, 0, null));
    }

    @Test
    void poolWeightsSpreadTheNegativesOverThePoolItemsThatDifferFromThePositive() {
        long[] pool = {3, 4, 3, 6};
        // positive 3 is in the pool twice: k = 2 over the 2 others; positive 5 is not: 2 over all 4
        assertArrayEquals(new float[] {0, 1, 0, 1, 0.5f, 0.5f, 0.5f, 0.5f},
                SkipGram.poolWeights(new long[] {3, 5}, pool, 2), 0f);
        // a positive that fills the pool gets no negatives
        assertArrayEquals(new float[] {0, 0}, SkipGram.poolWeights(new long[] {7}, new long[] {7, 7}, 5), 0f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SkipGram.poolWeights(new long[] {1}, new long[0], 5));
        assertEquals("positives and a non-empty pool are required", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SkipGram.poolWeights(new long[] {1}, pool, 0));
        assertEquals("negatives must be >= 1, found 0", e.getMessage());
    }

    @Test
    void errorsNameTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SkipGram.pairs(SESSION, 0, null));
        assertEquals("window must be >= 1, found 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SkipGram.candidates(new long[0], -1, null));
        assertEquals("negatives must be >= 0, found -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SkipGram.candidates(new long[0], 2, null));
        assertEquals("noise is null but 2 negatives were asked for", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SkipGram.subsample(new int[] {1, 4}, new double[] {0, 1}, new SplittableRandom(1)));
        assertEquals("session[1] = 4 is out of range: keep has 2 entries", e.getMessage());
    }
}
