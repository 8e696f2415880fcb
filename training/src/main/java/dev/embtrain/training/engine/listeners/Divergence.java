package dev.embtrain.training.engine.listeners;

import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.engine.Listener;
import dev.embtrain.training.engine.Monitor;

/**
 * Fails the run, with what to do, when the training loss or the monitored metric is not a
 * finite number: nothing after a diverged epoch is worth training or keeping. Put it first, so
 * no later listener saves or prints the diverged epoch.
 */
public final class Divergence implements Listener {

    private final String monitor;
    private final String hint;

    /**
     * Creates the listener.
     *
     * @param monitor the monitored metric's name
     * @param hint what to change, e.g. {@code lower training.optimizer.learning_rate}
     */
    public Divergence(String monitor, String hint) {
        this.monitor = monitor;
        this.hint = hint;
    }

    /** {@inheritDoc} */
    @Override
    public Decision onEpoch(EpochRecord r) {
        check(r, Monitor.TRAIN_LOSS, r.trainLoss());
        check(r, monitor, r.value(monitor));
        return Decision.CONTINUE;
    }

    private void check(EpochRecord r, String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalStateException("epoch " + r.epoch() + ": " + name + " is " + value
                    + "; training diverged (" + hint + ")");
        }
    }
}
