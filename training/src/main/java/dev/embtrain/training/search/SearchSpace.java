package dev.embtrain.training.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The hyperparameters a study searches, by key, in the order they were added (the order of
 * {@code trials.csv}'s columns). Keys are dotted config paths such as
 * {@code training.optimizer.learning_rate}, so a trial's values apply as {@code --set} overrides.
 */
public final class SearchSpace {
    private final Map<String, Distribution> params = new LinkedHashMap<>();

    /**
     * Adds a hyperparameter.
     *
     * @param key its name
     * @param distribution its range
     * @return this space
     * @throws IllegalArgumentException when the key is blank or already present
     */
    public SearchSpace add(String key, Distribution distribution) {
        Objects.requireNonNull(distribution, "distribution");
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a search key must not be empty");
        }
        if (params.putIfAbsent(key, distribution) != null) {
            throw new IllegalArgumentException("search key " + key + " appears twice");
        }
        return this;
    }

    /**
     * Returns the hyperparameters.
     *
     * @return key to distribution, in insertion order, unmodifiable
     */
    public Map<String, Distribution> params() {
        return Collections.unmodifiableMap(params);
    }
}
