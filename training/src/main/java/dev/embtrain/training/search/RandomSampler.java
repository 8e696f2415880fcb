package dev.embtrain.training.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Draws every value independently and uniformly in its internal space, ignoring history. */
public final class RandomSampler implements Sampler {
    @Override
    public Map<String, Object> sample(SearchSpace space, List<FrozenTrial> finished, SplittableRandom random) {
        Map<String, Object> out = new LinkedHashMap<>();
        space.params().forEach((key, d) -> out.put(key, draw(d, random)));
        return out;
    }

    /**
     * Draws one value uniformly in the internal space.
     *
     * @param d the distribution
     * @param random the stream
     * @return the value
     */
    static Object draw(Distribution d, SplittableRandom random) {
        if (d instanceof Distribution.Choice c) {
            return c.values().get(random.nextInt(c.values().size()));
        }
        double u = random.nextDouble();
        return d.fromInternal(d.internalLow() + u * (d.internalHigh() - d.internalLow()));
    }
}
