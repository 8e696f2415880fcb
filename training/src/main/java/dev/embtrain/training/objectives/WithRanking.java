package dev.embtrain.training.objectives;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.embtrain.training.engine.Objective;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An objective whose epochs also report ranking metrics: ratings or a binary label trained as
 * configured, the validation split's held-out items ranked beside the loss's own metrics.
 */
public final class WithRanking implements Objective {

    private final Objective inner;
    private final RankingValidation ranking;

    /**
     * Adds ranking metrics to an objective.
     *
     * @param inner the objective, which this one closes
     * @param ranking the ranking metrics
     */
    public WithRanking(Objective inner, RankingValidation ranking) {
        this.inner = inner;
        this.ranking = ranking;
    }

    @Override
    public Shape[] inputShapes() {
        return inner.inputShapes();
    }

    @Override
    public int batchesPerEpoch() {
        return inner.batchesPerEpoch();
    }

    @Override
    public List<String> metrics() {
        List<String> all = new ArrayList<>(inner.metrics());
        all.addAll(ranking.metricNames());
        return all;
    }

    @Override
    public Epoch epoch(NDManager manager, int epoch) {
        return inner.epoch(manager, epoch);
    }

    @Override
    public Loss loss() {
        return inner.loss();
    }

    @Override
    public Map<String, Double> validate(Trainer trainer) {
        Map<String, Double> all = new LinkedHashMap<>(inner.validate(trainer));
        all.putAll(ranking.validate(trainer));
        return all;
    }

    @Override
    public void close() {
        inner.close();
    }
}
