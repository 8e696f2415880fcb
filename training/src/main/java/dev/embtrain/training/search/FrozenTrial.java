package dev.embtrain.training.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A finished trial, as samplers and pruners see it and {@code trials.csv} records it.
 *
 * @param number 0-based, in the order trials ran
 * @param state complete or pruned
 * @param value the objective's value (higher is better); for a pruned trial, its last report
 * @param params key to value (Double, Integer or the chosen String), in the space's order
 * @param reports epoch (1-based) to the validation value reported after it
 * @param seconds wall time of the trial
 */
public record FrozenTrial(int number, TrialState state, double value, Map<String, Object> params,
        SortedMap<Integer, Double> reports, double seconds) {

    /** Copies the maps, read-only. */
    public FrozenTrial {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        reports = Collections.unmodifiableSortedMap(new TreeMap<>(reports));
    }

    /**
     * Returns the number of epochs the trial reported.
     *
     * @return the last reported epoch, 0 when it reported none
     */
    public int epochs() {
        return reports.isEmpty() ? 0 : reports.lastKey();
    }
}
