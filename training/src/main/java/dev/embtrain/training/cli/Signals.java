package dev.embtrain.training.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT (Ctrl-C) and SIGTERM into a flag the training loop reads after every step, so
 * that a stopped run ends between steps and keeps its last checkpoint instead of dying
 * mid-write; the handlers the JVM had before are put back when closed. A second signal while
 * the first is handled goes to the old handler, so a run that does not stop can still be killed.
 */
final class Signals implements AutoCloseable {

    private static final List<String> NAMES = List.of("INT", "TERM");

    private final AtomicBoolean requested = new AtomicBoolean();
    private final List<SignalHandler> previous = new ArrayList<>();

    private Signals() {}

    /**
     * Installs the handlers.
     *
     * @return the flag's owner; close it to restore the JVM's handlers
     */
    static Signals install() {
        Signals s = new Signals();
        for (String name : NAMES) {
            SignalHandler[] before = new SignalHandler[1];
            before[0] = Signal.handle(new Signal(name), sig -> {
                if (!s.requested.compareAndSet(false, true)) {
                    before[0].handle(sig);
                }
            });
            s.previous.add(before[0]);
        }
        return s;
    }

    /**
     * Returns whether a stop was asked for.
     *
     * @return true after SIGINT or SIGTERM
     */
    boolean requested() {
        return requested.get();
    }

    @Override
    public void close() {
        for (int i = 0; i < NAMES.size(); i++) {
            Signal.handle(new Signal(NAMES.get(i)), previous.get(i));
        }
    }
}
