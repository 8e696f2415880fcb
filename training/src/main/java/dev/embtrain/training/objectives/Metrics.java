package dev.embtrain.training.objectives;

import dev.embtrain.training.engine.Monitor;
import dev.embtrain.training.engine.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * Every metric an epoch can report, gathered from the objectives that declare them (with their
 * direction), and the training loss: what {@code early_stopping.metric} may name, and where the
 * monitor and the search learn whether higher is better.
 */
public final class Metrics {

    private Metrics() {}

    /**
     * Returns every metric, the training loss last.
     *
     * @return the metrics
     */
    public static List<Monitor> all() {
        List<Monitor> all = new ArrayList<>();
        for (Task task : Task.values()) {
            all.addAll(Supervised.metrics(task));
        }
        all.addAll(SampledCandidates.METRICS);
        for (Monitor m : RankingValidation.monitors(List.of(10))) {
            if (all.stream().noneMatch(a -> a.name().equals(m.name()))) {
                all.add(m);
            }
        }
        all.addAll(Implicit.METRICS);
        all.add(Monitor.TRAINING);
        return all;
    }

    /**
     * Returns the names of metrics.
     *
     * @param metrics the metrics
     * @return their names, in order
     */
    public static List<String> names(List<Monitor> metrics) {
        return metrics.stream().map(Monitor::name).toList();
    }

    /**
     * Returns a metric by name.
     *
     * @param name e.g. {@code valid_auc}
     * @return the metric, with its direction
     * @throws IllegalArgumentException when no objective declares it
     */
    public static Monitor named(String name) {
        if (RankingValidation.NAME.matcher(name).matches()) {
            return new Monitor(name, true);
        }
        return all().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no objective measures " + name));
    }
}
