package dev.embtrain.datasets.sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns sessions of item indices into word2vec training examples (skip-gram pairs, CBOW
 * targets with their contexts, negatives), exactly as word2vec and gensim's {@code Word2Vec}
 * define them, for item2vec: word2vec on purchase sessions (Barkan and Koenigstein,
 * "Item2Vec: Neural Item Embedding for Collaborative Filtering", 2016).
 *
 * <p>The references are Mikolov's {@code word2vec.c}
 * (https://github.com/tmikolov/word2vec/blob/master/word2vec.c, {@code TrainModelThread} and
 * {@code InitUnigramTable}) and gensim 4's {@code Word2Vec}
 * (https://radimrehurek.com/gensim/models/word2vec.html; {@code prepare_vocab},
 * {@code make_cum_table} in {@code word2vec.py}, the loops in {@code word2vec_inner.pyx}).
 * Each method names the parameter it reproduces.
 *
 * <p>A session is an {@code int[]} of vocabulary indices in the order the items were bought;
 * index 0 is the unknown item, which is never emitted. gensim's {@code min_count} is not
 * applied here: build the vocabulary with it (items seen fewer times map to 0), and every
 * method below drops the 0s first, as gensim drops out-of-vocabulary words from a sentence
 * before it draws windows, so a window reaches past them. Shape legend for {@link Batch}:
 * B = pairs in the batch, k = negatives per pair.
 *
 * <p>Use it to feed an embedding model trained by negative sampling: per epoch,
 * {@link #subsample} each session, take its {@link #pairs} (or {@link #cbow} examples),
 * shuffle, and cut them into {@link #batch}es. Every method is a pure function of its
 * arguments and the random stream it is handed, so a seed fixes the examples.
 */
public final class SkipGram {
    /** Rejections of the positive before {@link NoiseSampler} falls back to an exact scan. */
    static final int MAX_REJECTIONS = 32;

    private SkipGram() {}

    /**
     * How often each vocabulary index occurs in the sessions: the word counts that
     * subsampling and the noise distribution are computed from. {@code counts[0]} is always 0:
     * the unknown item is dropped from training and from the total, as gensim drops words
     * below {@code min_count} (its {@code retain_total} leaves them out).
     *
     * @return vocabularySize counts
     * @throws IllegalArgumentException naming the session and position of an index outside
     *     [0, vocabularySize)
     */
    public static long[] counts(int[][] sessions, int vocabularySize) {
        if (sessions == null) {
            throw new IllegalArgumentException("sessions is null");
        }
        if (vocabularySize < 1) {
            throw new IllegalArgumentException("vocabulary size must be >= 1 (index 0 is unknown), found " + vocabularySize);
        }
        long[] counts = new long[vocabularySize];
        for (int s = 0; s < sessions.length; s++) {
            int[] session = sessions[s];
            if (session == null) {
                throw new IllegalArgumentException("sessions[" + s + "] is null");
            }
            for (int i = 0; i < session.length; i++) {
                int item = session[i];
                if (item < 0 || item >= vocabularySize) {
                    throw new IllegalArgumentException("sessions[" + s + "][" + i + "] = " + item
                            + " is out of range for vocabulary size " + vocabularySize);
                }
                counts[item]++;
            }
        }
        counts[0] = 0;
        return counts;
    }

    /**
     * The probability that one occurrence of an item survives frequent-item subsampling,
     * gensim's formula for its {@code sample} parameter (word2vec.c's {@code -sample}, the
     * same expression in {@code TrainModelThread}):
     * {@code p_keep = (sqrt(f / (s·T)) + 1) · (s·T) / f}, capped at 1, f being the item's
     * count, T the total count of all items kept in the vocabulary and s = {@code sample}.
     * It drops below 1 only for items more frequent than about 2.618 · s · T (the golden ratio
     * squared); {@code sample = 0} disables subsampling (always 1). gensim also reads a
     * {@code sample} &gt;= 1 as an absolute count; that reading is not offered here.
     *
     * @param count f, the item's count (&gt;= 0; 0 gives 1, the item never occurs anyway)
     * @param total T, the sum of all counts (&gt;= count, and &gt; 0 when sample &gt; 0)
     * @param sample s, in [0, 1); gensim's default is 1e-3, 1e-5 is common for large corpora
     */
    public static double keepProbability(long count, long total, double sample) {
        checkSample(sample);
        if (count < 0 || count > total) {
            throw new IllegalArgumentException("count must be in [0, total = " + total + "], found " + count);
        }
        if (sample == 0 || count == 0) {
            return 1.0;
        }
        double threshold = sample * total;
        double p = (Math.sqrt(count / threshold) + 1) * (threshold / count);
        return Math.min(1.0, p);
    }

    /**
     * {@link #keepProbability} for every index, T being the sum of {@code counts}; index 0
     * gets 0, so {@link #subsample} drops it. The array {@link #subsample} takes.
     */
    public static double[] keepProbabilities(long[] counts, double sample) {
        checkSample(sample);
        long total = total(counts);
        double[] keep = new double[counts.length];
        for (int w = 1; w < counts.length; w++) {
            keep[w] = keepProbability(counts[w], total, sample);
        }
        return keep;
    }

    /**
     * One subsampled copy of a session: each occurrence of item w is kept with probability
     * {@code keep[w]}, independently, and 0s are dropped (gensim draws afresh for every
     * occurrence, every epoch). A random number is drawn only for an item with
     * {@code keep[w] < 1}, so with subsampling off the stream is left untouched.
     *
     * @param keep per index, in [0, 1] (see {@link #keepProbabilities})
     * @throws IllegalArgumentException when an index has no keep probability
     */
    public static int[] subsample(int[] session, double[] keep, SplittableRandom rng) {
        if (session == null) {
            throw new IllegalArgumentException("session is null");
        }
        if (keep == null) {
            throw new IllegalArgumentException("keep is null");
        }
        if (rng == null) {
            throw new IllegalArgumentException("rng is null");
        }
        int[] out = new int[session.length];
        int n = 0;
        for (int i = 0; i < session.length; i++) {
            int item = session[i];
            if (item < 0 || item >= keep.length) {
                throw new IllegalArgumentException("session[" + i + "] = " + item
                        + " is out of range: keep has " + keep.length + " entries");
            }
            if (item == 0) {
                continue;
            }
            double p = keep[item];
            if (p >= 1 || rng.nextDouble() < p) {
                out[n++] = item;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * The skip-gram (center, context) pairs of a session, in word2vec's order: for each
     * position i left to right, the contexts at i−w .. i+w except i, left to right, clipped
     * to the session. With an {@code rng}, w is drawn afresh for each position as
     * {@code window − b} with b uniform in [0, window − 1], so w is uniform in 1..window and
     * near items are paired more often (word2vec.c's {@code b = next_random % window};
     * gensim's {@code shrink_windows=True}, its default); with {@code null} every position
     * uses the full window ({@code shrink_windows=False}). The 0s are dropped first.
     *
     * <p>gensim and word2vec.c feed the context's input vector to predict the center
     * (the input row is the context's, the output row the center's); with a symmetric window
     * each pair also occurs the other way round, so the set of examples is the same up to the
     * random windows. A model trained on these pairs takes the center as input.
     *
     * @param window the maximum distance (gensim's {@code window}, default 5), &gt;= 1
     * @param rngOrNullForFixedWindow draws the shrunk windows; null for fixed windows
     * @return pairs {@code {center, context}}
     */
    public static List<int[]> pairs(int[] session, int window, SplittableRandom rngOrNullForFixedWindow) {
        int[] items = dropUnknown(session);
        checkWindow(window);
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < items.length; i++) {
            int w = effectiveWindow(window, rngOrNullForFixedWindow);
            int from = Math.max(0, i - w);
            int to = Math.min(items.length - 1, i + w);
            for (int j = from; j <= to; j++) {
                if (j != i) {
                    pairs.add(new int[] {items[i], items[j]});
                }
            }
        }
        return pairs;
    }

    /**
     * The CBOW examples of a session: for each position i, the item there and the items
     * within its window (drawn as for {@link #pairs}, shrunk when {@code rng} is not null), left
     * to right. A position whose window holds no other item (a session of one item) yields
     * no example, as word2vec.c skips it ({@code if (cw)}); the model averages the context
     * vectors (gensim's {@code cbow_mean=1}, its default) or sums them. The 0s are dropped first.
     */
    public static List<Cbow> cbow(int[] session, int window, SplittableRandom rng) {
        int[] items = dropUnknown(session);
        checkWindow(window);
        List<Cbow> examples = new ArrayList<>();
        for (int i = 0; i < items.length; i++) {
            int w = effectiveWindow(window, rng);
            int from = Math.max(0, i - w);
            int to = Math.min(items.length - 1, i + w);
            if (to - from == 0) {
                continue;
            }
            int[] context = new int[to - from];
            int c = 0;
            for (int j = from; j <= to; j++) {
                if (j != i) {
                    context[c++] = items[j];
                }
            }
            examples.add(new Cbow(items[i], context));
        }
        return examples;
    }

    /**
     * The noise distribution of negative sampling: P(w) ∝ count(w)^exponent over the indices
     * w &gt;= 1 with count &gt; 0, and 0 for the others (index 0 included). This is gensim's
     * {@code ns_exponent} (default 0.75, word2vec.c's fixed {@code power}; gensim's
     * {@code make_cum_table}): 1 samples by frequency, 0 uniformly over the items seen, and a
     * negative exponent favours rare items (Caselles-Dupré et al., "Word2vec applied to
     * recommendation: hyperparameters matter", 2018, tune it for item2vec).
     *
     * @return exact probabilities, one per index, summing to 1
     * @throws IllegalArgumentException when no index &gt;= 1 has a positive count, the exponent
     *     is not finite, or the weights overflow
     */
    public static double[] noiseDistribution(long[] counts, double exponent) {
        if (counts == null) {
            throw new IllegalArgumentException("counts is null");
        }
        if (!Double.isFinite(exponent)) {
            throw new IllegalArgumentException("exponent must be finite, found " + exponent);
        }
        double[] weights = new double[counts.length];
        double sum = 0;
        for (int w = 1; w < counts.length; w++) {
            if (counts[w] < 0) {
                throw new IllegalArgumentException("counts[" + w + "] must be >= 0, found " + counts[w]);
            }
            // Explicitly 0 for unseen items: Math.pow(0, 0) is 1 and Math.pow(0, -0.5) infinite.
            if (counts[w] > 0) {
                weights[w] = Math.pow((double) counts[w], exponent);
                sum += weights[w];
            }
        }
        if (sum == 0) {
            throw new IllegalArgumentException("counts has no index >= 1 with a count > 0, so nothing can be drawn");
        }
        if (!Double.isFinite(sum)) {
            throw new IllegalArgumentException("noise weights count^exponent overflow with exponent = " + exponent);
        }
        for (int w = 1; w < weights.length; w++) {
            weights[w] /= sum;
        }
        return weights;
    }

    /**
     * Draws each example's negatives for a model scored by negative sampling: row b of the
     * result ([B, 1 + k] row-major) is {@code positives[b]} then k negatives drawn from
     * {@code noise}, none equal to that positive. word2vec.c and gensim instead skip a negative
     * that hits the positive (one negative fewer for that pair); redrawing keeps every row k
     * wide, and draws the negatives from the noise distribution conditioned on differing from
     * the positive. Indices are longs, the type of an embedding lookup.
     *
     * @param positives [B], the positive (skip-gram context or CBOW target) of each example
     * @param negatives k (gensim's {@code negative}, default 5), &gt;= 0
     * @param noise draws the negatives, in row order; may be null only when k = 0
     * @return [B, 1 + k] candidates, the positive first
     */
    public static long[] candidates(long[] positives, int negatives, NoiseSampler noise) {
        if (positives == null) {
            throw new IllegalArgumentException("positives is null");
        }
        if (negatives < 0) {
            throw new IllegalArgumentException("negatives must be >= 0, found " + negatives);
        }
        if (negatives > 0 && noise == null) {
            throw new IllegalArgumentException("noise is null but " + negatives + " negatives were asked for");
        }
        int width = 1 + negatives;
        long[] candidates = new long[positives.length * width];
        for (int b = 0; b < positives.length; b++) {
            int positive = Math.toIntExact(positives[b]);
            candidates[b * width] = positive;
            for (int n = 0; n < negatives; n++) {
                candidates[b * width + 1 + n] = noise.next(positive);
            }
        }
        return candidates;
    }

    /**
     * The loss weights of a shared pool of negatives (see {@code EmbeddingBag}'s shared form):
     * row b, column j gets {@code k / m_b} when {@code pool[j] != positives[b]}, where m_b counts
     * the pool entries that differ from that positive, and 0 when they are equal. A pool drawn
     * from the noise distribution then gives each example, in expectation, k negatives from the
     * noise distribution conditioned on differing from its positive: the per-example
     * {@link #candidates}' draws, at the cost of one pool per batch. A row whose positive fills the
     * whole pool gets no negatives.
     *
     * @param positives [B], the positive of each example
     * @param pool [K], the shared negatives
     * @param negatives k, &gt;= 1
     * @return [B, K] row-major
     */
    public static float[] poolWeights(long[] positives, long[] pool, int negatives) {
        if (positives == null || pool == null || pool.length == 0) {
            throw new IllegalArgumentException("positives and a non-empty pool are required");
        }
        if (negatives < 1) {
            throw new IllegalArgumentException("negatives must be >= 1, found " + negatives);
        }
        int k = pool.length;
        float[] weights = new float[positives.length * k];
        for (int b = 0; b < positives.length; b++) {
            int hits = 0;
            for (long item : pool) {
                if (item == positives[b]) {
                    hits++;
                }
            }
            if (hits == k) {
                continue;
            }
            float w = (float) negatives / (k - hits);
            for (int j = 0; j < k; j++) {
                weights[b * k + j] = pool[j] == positives[b] ? 0f : w;
            }
        }
        return weights;
    }

    private static int effectiveWindow(int window, SplittableRandom rng) {
        return rng == null ? window : window - rng.nextInt(window);
    }

    private static int[] dropUnknown(int[] session) {
        if (session == null) {
            throw new IllegalArgumentException("session is null");
        }
        int n = 0;
        for (int i = 0; i < session.length; i++) {
            if (session[i] < 0) {
                throw new IllegalArgumentException("session[" + i + "] = " + session[i] + " is not a vocabulary index");
            }
            if (session[i] != 0) {
                n++;
            }
        }
        if (n == session.length) {
            return session;
        }
        int[] items = new int[n];
        int k = 0;
        for (int item : session) {
            if (item != 0) {
                items[k++] = item;
            }
        }
        return items;
    }

    private static long total(long[] counts) {
        if (counts == null) {
            throw new IllegalArgumentException("counts is null");
        }
        long total = 0;
        for (int w = 1; w < counts.length; w++) {
            if (counts[w] < 0) {
                throw new IllegalArgumentException("counts[" + w + "] must be >= 0, found " + counts[w]);
            }
            total = Math.addExact(total, counts[w]);
        }
        return total;
    }

    private static void checkWindow(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, found " + window);
        }
    }

    private static void checkSample(double sample) {
        if (!(sample >= 0 && sample < 1)) {
            throw new IllegalArgumentException("sample must be in [0, 1), found " + sample);
        }
    }

    /**
     * One CBOW example: the target item and the items of its window, left to right. Equal
     * when the target and the context's contents are equal.
     */
    public record Cbow(int target, int[] context) {
        public Cbow {
            if (context == null) {
                throw new IllegalArgumentException("context is null");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cbow c && c.target == target && Arrays.equals(c.context, context);
        }

        @Override
        public int hashCode() {
            return 31 * target + Arrays.hashCode(context);
        }

        @Override
        public String toString() {
            return "Cbow[target=" + target + ", context=" + Arrays.toString(context) + "]";
        }
    }

    /**
     * Draws negatives from {@link #noiseDistribution} in O(1) each with Walker's alias method
     * (where gensim bisects a cumulative table, O(log n); the distribution is the same). An
     * instance holds its own {@link SplittableRandom}, so a seed fixes the draws; it is
     * therefore not thread-safe.
     */
    public static final class NoiseSampler {
        private final double[] probabilities;
        private final ImplicitSampler.AliasTable table;
        private final int drawable;
        private final SplittableRandom random;

        /**
         * @param counts per vocabulary index (see {@link #counts}); index 0 is never drawn
         * @param exponent gensim's {@code ns_exponent}, 0.75 by default
         * @param seed the seed of the draws
         */
        public NoiseSampler(long[] counts, double exponent, long seed) {
            this.probabilities = noiseDistribution(counts, exponent);
            this.table = new ImplicitSampler.AliasTable(probabilities);
            int n = 0;
            for (double p : probabilities) {
                if (p > 0) {
                    n++;
                }
            }
            this.drawable = n;
            this.random = new SplittableRandom(seed);
        }

        /** One draw from the noise distribution. */
        public int next() {
            return table.sample(random);
        }

        /**
         * k draws, none equal to {@code avoid} (the positive): a draw that hits it is drawn
         * again, which gives the noise distribution conditioned on differing from it. Pass an
         * index that is never drawn (0) to avoid nothing.
         *
         * @throws IllegalArgumentException when k &lt; 0, or {@code avoid} is the only index
         *     that can be drawn
         */
        public int[] next(int k, int avoid) {
            if (k < 0) {
                throw new IllegalArgumentException("k must be >= 0, found " + k);
            }
            int[] out = new int[k];
            for (int i = 0; i < k; i++) {
                out[i] = next(avoid);
            }
            return out;
        }

        /** The probability of index w in one {@link #next()} draw (0 outside the vocabulary). */
        public double probability(int w) {
            return w >= 0 && w < probabilities.length ? probabilities[w] : 0;
        }

        private int next(int avoid) {
            boolean avoidable = avoid >= 0 && avoid < probabilities.length && probabilities[avoid] > 0;
            if (!avoidable) {
                return next();
            }
            if (drawable == 1) {
                throw new IllegalArgumentException("cannot draw a negative other than " + avoid
                        + ": it is the only item with a count > 0");
            }
            for (int attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
                int w = table.sample(random);
                if (w != avoid) {
                    return w;
                }
            }
            return drawExcluding(avoid);
        }

        /**
         * An exact draw conditioned on differing from {@code excluded}, for the rare item that
         * holds nearly all the mass. The rest is summed afresh rather than taken as
         * 1 − p_excluded, which would cancel in exactly this case.
         */
        private int drawExcluding(int excluded) {
            double rest = 0;
            for (int w = 1; w < probabilities.length; w++) {
                if (w != excluded) {
                    rest += probabilities[w];
                }
            }
            double target = random.nextDouble() * rest;
            int last = 0;
            for (int w = 1; w < probabilities.length; w++) {
                if (w == excluded || probabilities[w] == 0) {
                    continue;
                }
                last = w;
                target -= probabilities[w];
                if (target < 0) {
                    return w;
                }
            }
            return last;
        }
    }
}
