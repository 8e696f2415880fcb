package dev.embtrain.training.engine.listeners;

import dev.embtrain.training.engine.Listener;
import dev.embtrain.training.engine.Step;
import dev.embtrain.training.engine.TrainingInterrupted;
import java.util.function.BooleanSupplier;

/** Ends the run after the step in progress once a stop was asked for (a signal handler sets the flag). */
public final class Interruption implements Listener {

    private final BooleanSupplier requested;

    /**
     * Creates the listener.
     *
     * @param requested whether a stop was asked for
     */
    public Interruption(BooleanSupplier requested) {
        this.requested = requested;
    }

    /** {@inheritDoc} */
    @Override
    public void afterStep(Step step) {
        if (requested.getAsBoolean()) {
            throw new TrainingInterrupted(step.epoch());
        }
    }
}
