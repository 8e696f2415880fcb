package dev.embtrain.training.cli;

import dev.embtrain.training.engine.EpochMetrics;
import dev.embtrain.training.engine.Fit;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints a table row per epoch to stdout and, on a terminal, a progress bar per epoch to stderr
 * (redrawn in place, at most ten times a second, and erased when the epoch ends).
 */
final class ConsoleProgress implements Fit.Listener {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean bar;
    private final int epochs;
    private long lastDraw;
    private boolean headerPrinted;

    ConsoleProgress(PrintStream out, PrintStream err, boolean bar, int epochs) {
        this.out = out;
        this.err = err;
        this.bar = bar;
        this.epochs = epochs;
    }

    @Override
    public void onBatch(int epoch, int batch, int batches) {
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

    /**
     * Clears the bar and prints an epoch's row, after {@code header} the first time: for jobs
     * whose epochs are not {@link EpochMetrics} (item2vec).
     *
     * @param header the column names
     * @param row the epoch's row
     */
    void epochRow(String header, String row) {
        if (bar) {
            err.print("\r" + " ".repeat(WIDTH + 40) + "\r");
            err.flush();
        }
        if (!headerPrinted) {
            out.println(header);
            headerPrinted = true;
        }
        out.println(row);
        out.flush();
    }

    @Override
    public void onEpoch(EpochMetrics m, boolean best) {
        if (bar) {
            err.print("\r" + " ".repeat(WIDTH + 40) + "\r");
            err.flush();
        }
        if (!headerPrinted) {
            StringBuilder header = new StringBuilder("epoch  train_loss");
            for (String name : m.task().metrics()) {
                header.append("  ").append(String.format(Locale.ROOT, "%" + Math.max(9, name.length()) + "s", name));
            }
            out.println(header.append("   seconds  samples/s"));
            headerPrinted = true;
        }
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%5d  %10.4f", m.epoch(), m.trainLoss()));
        m.valid().forEach((name, v) -> row.append("  ")
                .append(String.format(Locale.ROOT, "%" + Math.max(9, name.length()) + ".4f", v)));
        out.println(row.append(String.format(Locale.ROOT, "  %8.2f  %9.0f%s", m.seconds(), m.samplesPerSecond(),
                best ? "  *" : "")));
        out.flush();
    }
}
