package dev.embtrain.training.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A running trial, handed to the objective: its hyperparameters, and {@link #report} for each
 * epoch's validation value, which throws {@link TrialPrunedException} when the pruner stops it.
 */
public final class Trial {
    private final int number;
    private final Map<String, Object> params;
    private final Pruner pruner;
    private final List<FrozenTrial> finished;
    private final SortedMap<Integer, Double> reports = new TreeMap<>();

    Trial(int number, Map<String, Object> params, Pruner pruner, List<FrozenTrial> finished) {
        this.number = number;
        this.params = Collections.unmodifiableMap(params);
        this.pruner = pruner;
        this.finished = finished;
    }

    /**
     * Returns the trial's 0-based number.
     *
     * @return the number
     */
    public int number() {
        return number;
    }

    /**
     * Returns the hyperparameters.
     *
     * @return key to value (Double, Integer or the chosen YAML text), in the space's order
     */
    public Map<String, Object> params() {
        return params;
    }

    /**
     * Returns the hyperparameters as config overrides, {@code key=value}, for
     * {@code ConfigLoader.load(file, overrides)}.
     *
     * @return one {@code key=value} per hyperparameter
     */
    public List<String> overrides() {
        List<String> out = new ArrayList<>();
        params.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /**
     * Returns one value as a double.
     *
     * @param key the hyperparameter
     * @return its value
     * @throws IllegalArgumentException when the key is not in the space or not numeric
     */
    public double numeric(String key) {
        Object v = params.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("no numeric hyperparameter " + key + " in " + params.keySet());
        }
        return n.doubleValue();
    }

    /**
     * Records the validation value after an epoch and asks the pruner whether to go on.
     *
     * @param epoch 1-based, larger than any reported before
     * @param value the validation value, higher is better
     * @throws TrialPrunedException when the pruner stops the trial
     * @throws IllegalArgumentException when the epoch does not increase
     */
    public void report(int epoch, double value) {
        if (epoch < 1 || (!reports.isEmpty() && epoch <= reports.lastKey())) {
            throw new IllegalArgumentException("epochs must be reported in increasing order from 1, found " + epoch
                    + " after " + (reports.isEmpty() ? "none" : reports.lastKey()));
        }
        reports.put(epoch, value);
        if (pruner.prune(number, Collections.unmodifiableSortedMap(reports), finished)) {
            throw new TrialPrunedException(number, epoch);
        }
    }

    SortedMap<Integer, Double> reports() {
        return reports;
    }
}
