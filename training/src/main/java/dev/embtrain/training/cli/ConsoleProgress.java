package dev.embtrain.training.cli;

import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.engine.Listener;
import dev.embtrain.training.engine.Step;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints a table row per epoch to stdout and, on a terminal, a progress bar per epoch to stderr
 * (redrawn in place, at most ten times a second, and erased when the epoch ends). The columns
 * are the epoch's own metrics, so every kind of run prints the same way.
 */
final class ConsoleProgress implements Listener {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean bar;
    private int epochs;
    private long lastDraw;
    private boolean headerPrinted;

    ConsoleProgress(PrintStream out, PrintStream err, boolean bar) {
        this.out = out;
        this.err = err;
        this.bar = bar;
    }

    @Override
    public void onTrainingBegin(int epochs) {
        this.epochs = epochs;
    }

    @Override
    public void afterStep(Step step) {
        int epoch = step.epoch();
        int batch = step.batch();
        int batches = step.batches();
        if (!bar) {
            return;
        }
        long now = System.nanoTime();
        if (batch != batches && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        int filled = (int) ((long) WIDTH * batch / batches);
        err.print(String.format(Locale.ROOT, "\repoch %d/%d [%s%s] %d/%d", epoch, epochs, "#".repeat(filled),
                ".".repeat(WIDTH - filled), batch, batches));
        err.flush();
    }

    @Override
    public Decision onEpoch(EpochRecord m) {
        if (bar) {
            err.print("\r" + " ".repeat(WIDTH + 40) + "\r");
            err.flush();
        }
        if (!headerPrinted) {
            StringBuilder header = new StringBuilder("epoch  train_loss");
            for (String name : m.valid().keySet()) {
                header.append("  ").append(String.format(Locale.ROOT, "%" + Math.max(9, name.length()) + "s", name));
            }
            out.println(header.append("   seconds  samples/s"));
            headerPrinted = true;
        }
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%5d  %10.4f", m.epoch(), m.trainLoss()));
        m.valid().forEach((name, v) -> row.append("  ")
                .append(String.format(Locale.ROOT, "%" + Math.max(9, name.length()) + ".4f", v)));
        out.println(row.append(String.format(Locale.ROOT, "  %8.2f  %9.0f%s", m.seconds(), m.samplesPerSecond(),
                m.improved() ? "  *" : "")));
        out.flush();
        return Decision.CONTINUE;
    }
}
