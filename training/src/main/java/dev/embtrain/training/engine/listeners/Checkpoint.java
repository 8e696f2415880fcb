package dev.embtrain.training.engine.listeners;

import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.engine.Listener;
import dev.embtrain.training.engine.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a checkpoint at the end of every epoch: the writer saves parameters and optimizer
 * state, this listener hands it the history so far and the optimizer steps taken, so that a
 * resumed run knows where every schedule and stream stands.
 */
public final class Checkpoint implements Listener {

    /** Saves a checkpoint. */
    @FunctionalInterface
    public interface Writer {
        /**
         * Saves the state after an epoch.
         *
         * @param history every epoch so far, this one last
         * @param steps optimizer steps so far
         * @throws IOException when it cannot be written
         */
        void write(List<EpochRecord> history, int steps) throws IOException;
    }

    private final Writer writer;
    private final List<EpochRecord> history;
    private int steps;

    /**
     * Creates the listener.
     *
     * @param writer saves a checkpoint
     * @param resumed the epochs of the run being resumed, or none
     * @param resumedSteps their optimizer steps
     */
    public Checkpoint(Writer writer, List<EpochRecord> resumed, int resumedSteps) {
        this.writer = writer;
        this.history = new ArrayList<>(resumed);
        this.steps = resumedSteps;
    }

    /** {@inheritDoc} */
    @Override
    public void afterStep(Step step) {
        steps++;
    }

    /** {@inheritDoc} */
    @Override
    public Decision onEpoch(EpochRecord record) {
        history.add(record);
        try {
            writer.write(List.copyOf(history), steps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Decision.CONTINUE;
    }
}
