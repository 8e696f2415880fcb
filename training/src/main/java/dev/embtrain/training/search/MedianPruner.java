package dev.embtrain.training.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;

/**
 * Stops a trial whose best value so far is below the median of the completed trials' values at
 * the same epoch, as Optuna's {@code MedianPruner} does (its {@code PercentilePruner} at 50,
 * {@code interval_steps=1}, {@code n_min_trials=1}).
 *
 * <p>After epoch e of a trial: nothing is pruned while fewer than {@code startupTrials} trials
 * have completed (pruned ones do not count), nor at epochs {@code e <= warmupEpochs}, nor when
 * no completed trial reported epoch e. Otherwise the trial is pruned when the maximum of its
 * reports for epochs 1..e is below the median (NumPy's linear interpolation between the two
 * middle values) of the completed trials' reports for epoch e. A NaN report prunes at once.
 */
public final class MedianPruner implements Pruner {
    private final int startupTrials;
    private final int warmupEpochs;

    /**
     * Creates the pruner.
     *
     * @param startupTrials completed trials needed before anything is pruned (Optuna: 5)
     * @param warmupEpochs epochs at the start of every trial that are never pruned (Optuna: 0)
     */
    public MedianPruner(int startupTrials, int warmupEpochs) {
        if (startupTrials < 0 || warmupEpochs < 0) {
            throw new IllegalArgumentException("startup trials and warmup epochs must be >= 0, found "
                    + startupTrials + " and " + warmupEpochs);
        }
        this.startupTrials = startupTrials;
        this.warmupEpochs = warmupEpochs;
    }

    @Override
    public boolean prune(int number, SortedMap<Integer, Double> reports, List<FrozenTrial> finished) {
        if (reports.isEmpty()) {
            return false;
        }
        int epoch = reports.lastKey();
        List<FrozenTrial> completed = finished.stream().filter(t -> t.state() == TrialState.COMPLETE).toList();
        if (completed.isEmpty() || completed.size() < startupTrials || epoch <= warmupEpochs) {
            return false;
        }
        double best = Double.NEGATIVE_INFINITY;
        for (double v : reports.values()) {
            if (Double.isNaN(v)) {
                return true;
            }
            best = Math.max(best, v);
        }
        List<Double> atEpoch = new ArrayList<>();
        for (FrozenTrial t : completed) {
            Double v = t.reports().get(epoch);
            if (v != null && !v.isNaN()) {
                atEpoch.add(v);
            }
        }
        if (atEpoch.isEmpty()) {
            return false;
        }
        return best < percentile(atEpoch.stream().mapToDouble(Double::doubleValue).toArray(), 50);
    }

    /**
     * NumPy's default percentile: linear interpolation between the closest ranks.
     *
     * @param values the sample, not empty
     * @param q the percentile in [0, 100]
     * @return the value
     */
    static double percentile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double pos = q / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
