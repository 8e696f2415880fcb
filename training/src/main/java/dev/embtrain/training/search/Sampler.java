package dev.embtrain.training.search;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Proposes the next trial's hyperparameters from the trials finished so far. */
public interface Sampler {
    /**
     * Proposes values for every key of the space.
     *
     * @param space the hyperparameters
     * @param finished the finished trials, in order
     * @param random the study's random stream (the only source of randomness, for reproducibility)
     * @return key to value, in the space's order
     */
    Map<String, Object> sample(SearchSpace space, List<FrozenTrial> finished, SplittableRandom random);
}
