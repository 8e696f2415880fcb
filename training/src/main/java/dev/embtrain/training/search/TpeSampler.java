package dev.embtrain.training.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The Tree-structured Parzen Estimator (Bergstra et al. 2011, "Algorithms for Hyper-Parameter
 * Optimization"), univariate, following Optuna's {@code TPESampler} defaults.
 *
 * <ol>
 *   <li>The first {@code startupTrials} trials (Optuna: 10) are drawn at random.
 *   <li>Finished trials are ranked: completed ones by value, best first, then pruned ones by
 *       the last epoch they reached (later first) and their last value. The first
 *       γ(n) = min(⌈0.1·n⌉, 25) are "good", the rest "bad".
 *   <li>For each hyperparameter separately, a Parzen estimator l(x) is fitted to the good
 *       trials' values and g(x) to the bad ones', in the internal space (logarithms for
 *       log-uniform ranges). A numerical estimator is a mixture of normals truncated to the
 *       range: one at each observation, with σ the larger distance to its neighbours among the
 *       sorted observations (the smallest and largest use their one inner neighbour; a lone
 *       observation uses the range's ends) clipped to
 *       [range / min(100, n + 2), range] (Optuna's "magic clip", n observations plus the prior),
 *       plus a prior component at the middle of the range with σ = range and weight 1.
 *       Observation weights are 1 for up to 25 observations; beyond that, older ones ramp
 *       linearly from 1/n up to 1 (Optuna's {@code default_weights}). A categorical estimator
 *       gives each of n observations a kernel with mass 1 + 1/(n + 1) on its value and
 *       1/(n + 1) on each of the K values, normalised, plus a uniform prior kernel (Optuna's
 *       kernels).
 *   <li>{@code candidates} values (Optuna: 24) are drawn from l, and the one with the largest
 *       log l(x) − log g(x) (which maximises expected improvement) is proposed.
 * </ol>
 *
 * Integers are treated as reals on [low − ½, high + ½] and rounded; Optuna discretises the
 * density instead, which changes little for ranges of more than a few values.
 */
public final class TpeSampler implements Sampler {
    private static final int FULL_WEIGHT_TRIALS = 25;
    private static final double PRIOR_WEIGHT = 1.0;

    private final int startupTrials;
    private final int candidates;
    private final RandomSampler random = new RandomSampler();

    /**
     * Creates the sampler.
     *
     * @param startupTrials trials drawn at random before TPE starts, at least 1
     * @param candidates values drawn from l(x) per proposal, at least 1
     */
    public TpeSampler(int startupTrials, int candidates) {
        if (startupTrials < 1 || candidates < 1) {
            throw new IllegalArgumentException("TPE needs startup_trials >= 1 and candidates >= 1, found "
                    + startupTrials + " and " + candidates);
        }
        this.startupTrials = startupTrials;
        this.candidates = candidates;
    }

    /** Optuna's defaults: 10 random trials, 24 candidates. */
    public TpeSampler() {
        this(10, 24);
    }

    /**
     * Optuna's γ: how many of n finished trials count as good.
     *
     * @param n the number of finished trials
     * @return min(⌈0.1·n⌉, 25)
     */
    static int gamma(int n) {
        return Math.min((int) Math.ceil(0.1 * n), 25);
    }

    /**
     * Optuna's default weights of n observations in trial order.
     *
     * @param n the number of observations
     * @return all ones for n &lt; 25; otherwise a linear ramp from 1/n to 1 over the first
     *     n − 25, then 25 ones
     */
    static double[] weights(int n) {
        double[] w = new double[n];
        int ramp = n - FULL_WEIGHT_TRIALS;
        for (int i = 0; i < n; i++) {
            if (i < ramp) {
                w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1 - 1.0 / n) * i / (ramp - 1);
            } else {
                w[i] = 1;
            }
        }
        return w;
    }

    @Override
    public Map<String, Object> sample(SearchSpace space, List<FrozenTrial> finished, SplittableRandom rng) {
        if (finished.size() < startupTrials) {
            return random.sample(space, finished, rng);
        }
        List<FrozenTrial> ranked = new ArrayList<>(finished);
        ranked.sort(RANKING);
        int nGood = gamma(ranked.size());
        List<FrozenTrial> good = byNumber(ranked.subList(0, nGood));
        List<FrozenTrial> bad = byNumber(ranked.subList(nGood, ranked.size()));
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Distribution> e : space.params().entrySet()) {
            Distribution d = e.getValue();
            Parzen l = Parzen.fit(d, observations(good, e.getKey(), d));
            Parzen g = Parzen.fit(d, observations(bad, e.getKey(), d));
            double bestX = Double.NaN;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < candidates; c++) {
                double x = l.sample(rng);
                double score = l.logPdf(x) - g.logPdf(x);
                if (score > bestScore || Double.isNaN(bestX)) {
                    bestScore = score;
                    bestX = x;
                }
            }
            out.put(e.getKey(), d.fromInternal(bestX));
        }
        return out;
    }

    /** Best first: completed by value, then pruned by last epoch reached and last value. */
    private static final Comparator<FrozenTrial> RANKING = (a, b) -> {
        if (a.state() != b.state()) {
            return a.state() == TrialState.COMPLETE ? -1 : 1;
        }
        if (a.state() == TrialState.PRUNED && a.epochs() != b.epochs()) {
            return Integer.compare(b.epochs(), a.epochs());
        }
        int byValue = Double.compare(nanLow(b.value()), nanLow(a.value()));
        return byValue != 0 ? byValue : Integer.compare(a.number(), b.number());
    };

    private static double nanLow(double v) {
        return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
    }

    private static List<FrozenTrial> byNumber(List<FrozenTrial> trials) {
        List<FrozenTrial> out = new ArrayList<>(trials);
        out.sort(Comparator.comparingInt(FrozenTrial::number));
        return out;
    }

    private static double[] observations(List<FrozenTrial> trials, String key, Distribution d) {
        List<Double> xs = new ArrayList<>();
        for (FrozenTrial t : trials) {
            Object v = t.params().get(key);
            if (v != null) {
                xs.add(d.toInternal(v));
            }
        }
        return xs.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A fitted Parzen estimator over one hyperparameter's internal space. */
    abstract static class Parzen {
        abstract double sample(SplittableRandom rng);

        abstract double logPdf(double x);

        static Parzen fit(Distribution d, double[] xs) {
            double[] w = weights(xs.length);
            if (d instanceof Distribution.Choice c) {
                return new Categorical(c.values().size(), xs, w);
            }
            return new TruncatedMixture(d.internalLow(), d.internalHigh(), xs, w);
        }
    }

    /** A mixture of normals truncated to [low, high]. */
    static final class TruncatedMixture extends Parzen {
        final double low;
        final double high;
        final double[] mus;
        final double[] sigmas;
        final double[] weights;
        final double[] logNorms;

        TruncatedMixture(double low, double high, double[] xs, double[] w) {
            this.low = low;
            this.high = high;
            int n = xs.length;
            mus = new double[n + 1];
            sigmas = new double[n + 1];
            weights = new double[n + 1];
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, Comparator.comparingDouble(i -> xs[i]));
            for (int k = 0; k < n; k++) {
                int i = order[k];
                double left = k > 0 ? xs[order[k - 1]] : low;
                double right = k < n - 1 ? xs[order[k + 1]] : high;
                mus[i] = xs[i];
                sigmas[i] = Math.max(xs[i] - left, right - xs[i]);
                // Optuna's consider_endpoints=False: with two or more observations, the
                // outermost ones look only at their inner neighbour.
                if (n >= 2 && k == 0) {
                    sigmas[i] = right - xs[i];
                } else if (n >= 2 && k == n - 1) {
                    sigmas[i] = xs[i] - left;
                }
                weights[i] = w[i];
            }
            double range = high - low;
            mus[n] = 0.5 * (low + high);
            sigmas[n] = range;
            weights[n] = PRIOR_WEIGHT;
            double minSigma = range / Math.min(100.0, n + 2.0);
            double total = 0;
            for (int i = 0; i <= n; i++) {
                sigmas[i] = Math.min(range, Math.max(minSigma, sigmas[i]));
                total += weights[i];
            }
            logNorms = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                weights[i] /= total;
                double mass = Gauss.cdf((high - mus[i]) / sigmas[i]) - Gauss.cdf((low - mus[i]) / sigmas[i]);
                logNorms[i] = Math.log(mass) + Math.log(sigmas[i]) + 0.5 * Math.log(2 * Math.PI);
            }
        }

        @Override
        double sample(SplittableRandom rng) {
            double u = rng.nextDouble();
            int k = 0;
            double acc = weights[0];
            while (u >= acc && k < weights.length - 1) {
                acc += weights[++k];
            }
            // Rejection from the untruncated normal: sigma <= range and mu inside the range keep
            // the acceptance rate above 1/3, so the cap is never reached in practice.
            for (int attempt = 0; attempt < 1000; attempt++) {
                double x = mus[k] + sigmas[k] * Gauss.standard(rng);
                if (x >= low && x <= high) {
                    return x;
                }
            }
            return Math.min(high, Math.max(low, mus[k]));
        }

        @Override
        double logPdf(double x) {
            double max = Double.NEGATIVE_INFINITY;
            double[] terms = new double[mus.length];
            for (int i = 0; i < mus.length; i++) {
                double z = (x - mus[i]) / sigmas[i];
                terms[i] = Math.log(weights[i]) - 0.5 * z * z - logNorms[i];
                max = Math.max(max, terms[i]);
            }
            double sum = 0;
            for (double t : terms) {
                sum += Math.exp(t - max);
            }
            return max + Math.log(sum);
        }
    }

    /** A weighted mixture of categorical kernels plus a uniform prior. */
    static final class Categorical extends Parzen {
        final double[] probs;

        Categorical(int k, double[] xs, double[] w) {
            probs = new double[k];
            // Optuna's kernels: every row starts at prior / (n + 1), the observed value gets +1,
            // then each row is normalised; the prior row stays uniform.
            double fill = PRIOR_WEIGHT / (xs.length + 1);
            double rowSum = 1 + k * fill;
            double total = PRIOR_WEIGHT;
            for (int c = 0; c < k; c++) {
                probs[c] = PRIOR_WEIGHT / k;
            }
            for (int i = 0; i < xs.length; i++) {
                for (int c = 0; c < k; c++) {
                    probs[c] += w[i] * ((c == (int) xs[i] ? 1 : 0) + fill) / rowSum;
                }
                total += w[i];
            }
            for (int c = 0; c < k; c++) {
                probs[c] /= total;
            }
        }

        @Override
        double sample(SplittableRandom rng) {
            double u = rng.nextDouble();
            double acc = 0;
            for (int c = 0; c < probs.length; c++) {
                acc += probs[c];
                if (u < acc) {
                    return c;
                }
            }
            return probs.length - 1;
        }

        @Override
        double logPdf(double x) {
            return Math.log(probs[(int) x]);
        }
    }
}
