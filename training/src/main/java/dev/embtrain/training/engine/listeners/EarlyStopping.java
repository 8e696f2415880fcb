package dev.embtrain.training.engine.listeners;

import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.engine.Listener;

/** Stops once the monitored value has not improved for {@code patience} epochs. */
public final class EarlyStopping implements Listener {

    private final int patience;

    /**
     * Creates the listener.
     *
     * @param patience epochs without improvement before stopping; 0 never stops
     */
    public EarlyStopping(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0, found " + patience);
        }
        this.patience = patience;
    }

    /**
     * Returns the patience.
     *
     * @return epochs without improvement before stopping
     */
    public int patience() {
        return patience;
    }

    /** {@inheritDoc} */
    @Override
    public Decision onEpoch(EpochRecord record) {
        return patience > 0 && record.epoch() - record.bestEpoch() >= patience ? Decision.STOP : Decision.CONTINUE;
    }
}
