package dev.embtrain.training.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Asynchronous successive halving (Li et al. 2020, "A System for Massively Parallel
 * Hyperparameter Tuning"), as Optuna's {@code SuccessiveHalvingPruner} with
 * {@code bootstrap_count=0}: rung k is reached after epoch {@code minResource · η^(s + k)}
 * (η = {@code reductionFactor}, s = {@code minEarlyStoppingRate}); a trial reaching a rung is
 * promoted (goes on) when its value there is among the top {@code max(1, ⌊m / η⌋)} of the m
 * values recorded at that rung by all trials so far, itself included; otherwise it is pruned.
 *
 * <p>A trial's value at a rung is its report for the first epoch at or after the rung's epoch.
 * Trials run one after another here, so a trial competes with every earlier trial that reached
 * the rung, pruned ones included (they recorded the rung before failing the next one). The
 * first trial to reach a rung is always promoted. A NaN report prunes.
 */
public final class SuccessiveHalvingPruner implements Pruner {
    private final int minResource;
    private final int reductionFactor;
    private final int minEarlyStoppingRate;

    /**
     * Creates the pruner.
     *
     * @param minResource epochs before the first rung, at least 1
     * @param reductionFactor η, at least 2: about 1/η of the trials reaching a rung go on
     * @param minEarlyStoppingRate s, at least 0: skips the first s rungs
     */
    public SuccessiveHalvingPruner(int minResource, int reductionFactor, int minEarlyStoppingRate) {
        if (minResource < 1 || reductionFactor < 2 || minEarlyStoppingRate < 0) {
            throw new IllegalArgumentException("successive halving needs min_resource >= 1, reduction_factor >= 2"
                    + " and min_early_stopping_rate >= 0, found " + minResource + ", " + reductionFactor + " and "
                    + minEarlyStoppingRate);
        }
        this.minResource = minResource;
        this.reductionFactor = reductionFactor;
        this.minEarlyStoppingRate = minEarlyStoppingRate;
    }

    /**
     * Returns the epoch at which a rung is reached.
     *
     * @param rung 0-based
     * @return minResource · η^(s + rung), saturated at Integer.MAX_VALUE
     */
    public long rungEpoch(int rung) {
        double e = minResource * Math.pow(reductionFactor, minEarlyStoppingRate + rung);
        return e >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (long) e;
    }

    @Override
    public boolean prune(int number, SortedMap<Integer, Double> reports, List<FrozenTrial> finished) {
        if (reports.isEmpty()) {
            return false;
        }
        int epoch = reports.lastKey();
        double value = reports.get(epoch);
        for (int rung = 0; rungEpoch(rung) <= epoch; rung++) {
            long at = rungEpoch(rung);
            // Recorded at an earlier report already: the trial was promoted then.
            if (!reports.subMap((int) at, epoch).isEmpty()) {
                continue;
            }
            if (Double.isNaN(value)) {
                return true;
            }
            List<Double> competing = new ArrayList<>();
            competing.add(value);
            for (FrozenTrial t : finished) {
                Double v = valueAt(t.reports(), at);
                if (v != null) {
                    competing.add(v);
                }
            }
            if (!promotable(value, competing)) {
                return true;
            }
        }
        return false;
    }

    private static Double valueAt(SortedMap<Integer, Double> reports, long epoch) {
        SortedMap<Integer, Double> tail = reports.tailMap((int) Math.min(Integer.MAX_VALUE, epoch));
        if (tail.isEmpty()) {
            return null;
        }
        Map.Entry<Integer, Double> first = tail.entrySet().iterator().next();
        return first.getValue().isNaN() ? null : first.getValue();
    }

    private boolean promotable(double value, List<Double> competing) {
        int idx = Math.max(0, competing.size() / reductionFactor - 1);
        competing.sort((a, b) -> Double.compare(b, a));
        return value >= competing.get(idx);
    }
}
