package dev.embtrain.training.search;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * A trial trained elsewhere (a Spark task): what the search records for it, the value it
 * maximises and the value it reported each epoch, both negated where lower is better.
 *
 * @param value the trial's value
 * @param reports epoch to reported value
 */
public record TrialResult(double value, Map<Integer, Double> reports) implements Serializable {

    /** Copies the reports, in epoch order. */
    public TrialResult {
        reports = new TreeMap<>(reports);
    }
}
