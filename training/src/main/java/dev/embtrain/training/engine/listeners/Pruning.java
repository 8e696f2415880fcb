package dev.embtrain.training.engine.listeners;

import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.engine.Listener;
import dev.embtrain.training.engine.Monitor;
import dev.embtrain.training.search.Trial;
import dev.embtrain.training.search.TrialPrunedException;

/**
 * Reports each epoch's monitored value to a search trial (negated when lower is better: the
 * search maximises) and stops the loop when the pruner gives up on the trial; {@link #pruned()}
 * then holds the pruner's verdict for the search to record.
 */
public final class Pruning implements Listener {

    private final Trial trial;
    private final Monitor monitor;
    private TrialPrunedException pruned;

    /**
     * Creates the listener.
     *
     * @param trial the trial
     * @param monitor the monitored metric
     */
    public Pruning(Trial trial, Monitor monitor) {
        this.trial = trial;
        this.monitor = monitor;
    }

    /**
     * Returns the value the search maximises for a monitored value.
     *
     * @param monitor the metric
     * @param value its value
     * @return the value, negated when lower is better
     */
    public static double score(Monitor monitor, double value) {
        return monitor.higherIsBetter() ? value : -value;
    }

    /** {@inheritDoc} */
    @Override
    public Decision onEpoch(EpochRecord record) {
        try {
            trial.report(record.epoch(), score(monitor, record.value(monitor.name())));
            return Decision.CONTINUE;
        } catch (TrialPrunedException e) {
            pruned = e;
            return Decision.STOP;
        }
    }

    /**
     * Returns the pruner's verdict, or null when the trial ran to its end.
     *
     * @return the verdict
     */
    public TrialPrunedException pruned() {
        return pruned;
    }
}
