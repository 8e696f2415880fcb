package dev.embtrain.training.engine.listeners;

import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.engine.Listener;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Saves the parameters of every epoch that improves on the best so far, so the run keeps its best epoch. */
public final class BestEpoch implements Listener {

    /** Writes the current parameters as those of an epoch. */
    @FunctionalInterface
    public interface Saver {
        /**
         * Saves the parameters.
         *
         * @param epoch the epoch they are from
         * @throws IOException when they cannot be written
         */
        void save(int epoch) throws IOException;
    }

    private final Saver saver;

    /**
     * Creates the listener.
     *
     * @param saver writes the parameters
     */
    public BestEpoch(Saver saver) {
        this.saver = saver;
    }

    /** {@inheritDoc} */
    @Override
    public Decision onEpoch(EpochRecord record) {
        if (record.improved()) {
            try {
                saver.save(record.epoch());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Decision.CONTINUE;
    }
}
