package dev.embtrain.training.search;

import java.util.List;
import java.util.SortedMap;

/**
 * Decides after each epoch whether a trial is too weak to go on, from its reports and those of
 * the trials before it. Values are validation scores where higher is better (AUC).
 */
public interface Pruner {
    /**
     * Decides.
     *
     * @param number the running trial's number
     * @param reports its reports so far, epoch (1-based) to value; the last is the new one
     * @param finished the finished trials, in order
     * @return true to stop the trial now
     */
    boolean prune(int number, SortedMap<Integer, Double> reports, List<FrozenTrial> finished);

    /**
     * A pruner that never prunes.
     *
     * @return the pruner
     */
    static Pruner none() {
        return (number, reports, finished) -> false;
    }
}
