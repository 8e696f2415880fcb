package dev.embtrain.training.engine;

import java.util.Locale;

/**
 * Where a training step's time goes, by phase, summed over a run: drawing the batch, the forward
 * pass, the loss, the backward pass, the dense optimizer, the row-sparse update, and a
 * {@link HostStep}'s forward, loss and backward where one replaces the three. Wall time
 * read with {@link System#nanoTime} around each phase (PyTorch's CPU ops are synchronous, so on
 * the CPU each phase's own work lands in it; on a GPU the queue drains wherever it is waited on).
 * The loop keeps one per fit; {@code -Dembtrain.profile=true} (for example
 * {@code EMBTRAIN_JAVA_OPTS=-Dembtrain.profile=true}) prints it when training ends.
 */
public final class StepProfile {

    /** The phases, in step order. */
    public enum Phase {
        /** The objective handing over the next batch. */
        BATCH,
        /** The model's forward pass (row-sparse gathers included). */
        FORWARD,
        /** The loss and its running sum. */
        LOSS,
        /** Autograd's backward pass. */
        BACKWARD,
        /** The dense optimizer over every dense parameter. */
        DENSE_UPDATE,
        /** The row-sparse update of the rows the step touched. */
        SPARSE_UPDATE,
        /** A {@link HostStep}'s forward, loss and backward in one pass (row gathers included). */
        HOST_STEP
    }

    private final long[] nanos = new long[Phase.values().length];
    private long steps;
    private long last = System.nanoTime();

    /** Starts timing the next phase from now. */
    void start() {
        last = System.nanoTime();
    }

    /**
     * Charges the time since the last mark to a phase.
     *
     * @param phase the phase that just ended
     */
    void mark(Phase phase) {
        long now = System.nanoTime();
        nanos[phase.ordinal()] += now - last;
        last = now;
    }

    /** Counts a step. */
    void step() {
        steps++;
    }

    /**
     * Returns the mean milliseconds a step spent in a phase.
     *
     * @param phase the phase
     * @return milliseconds per step, 0 before any step
     */
    public double millisPerStep(Phase phase) {
        return steps == 0 ? 0 : nanos[phase.ordinal()] / 1e6 / steps;
    }

    /**
     * Returns the steps timed.
     *
     * @return the count
     */
    public long steps() {
        return steps;
    }

    /**
     * Describes the profile in one line.
     *
     * @return e.g. {@code step profile over 1250 steps, ms a step: batch 0.010, forward 0.200, ...}
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "step profile over %d steps, ms a step:",
                steps));
        double total = 0;
        for (Phase p : Phase.values()) {
            double ms = millisPerStep(p);
            total += ms;
            b.append(String.format(Locale.ROOT, " %s %.3f,", p.name().toLowerCase(Locale.ROOT).replace('_', ' '),
                    ms));
        }
        return b.append(String.format(Locale.ROOT, " total %.3f", total)).toString();
    }
}
