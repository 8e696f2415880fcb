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
    private long epochStart;
    private double runningLoss = Double.NaN;
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

    /** Reads the loss of a step whose bar will be drawn (the loss is visible until the backward pass). */
    @Override
    public void afterBackward(Step step) {
        if (bar && (step.batch() == step.batches() || step.batch() == 1
                || System.nanoTime() - lastDraw >= 100_000_000L)) {
            double loss = step.loss().getFloat();
            runningLoss = Double.isNaN(runningLoss) || step.batch() == 1 ? loss : 0.9 * runningLoss + 0.1 * loss;
        }
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
        if (batch == 1) {
            epochStart = now;
        }
        if (batch != batches && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        // The loss was read (afterBackward) only for the steps drawn, ten a second at most: each
        // read waits for the device.
        err.print("\r" + line(epoch, epochs, batch, batches, (now - epochStart) / 1e9, runningLoss));
        err.flush();
    }

    /**
     * Formats the bar: the epoch's progress, its rate, the running loss (an average of the
     * losses read when the bar was drawn), and the time left in the epoch and in the run (the
     * epochs to come at this epoch's rate; validation not counted).
     *
     * @param epoch the epoch, from 1
     * @param epochs the epochs of the run
     * @param batch the batch just trained, from 1
     * @param batches the epoch's batches
     * @param seconds seconds since the epoch's first batch began
     * @param loss the running loss, NaN when none was read
     * @return the line, without a carriage return
     */
    static String line(int epoch, int epochs, int batch, int batches, double seconds, double loss) {
        int filled = (int) ((long) WIDTH * batch / batches);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d [%s%s] %d/%d", epoch, epochs,
                "#".repeat(filled), ".".repeat(WIDTH - filled), batch, batches));
        if (seconds > 0 && batch > 1) {
            // The first batch's time is the warm-up: the rate counts from its end.
            double rate = batch / seconds;
            double left = (batches - batch) / rate;
            double run = left + (double) (epochs - epoch) * batches / rate;
            sb.append(String.format(Locale.ROOT, " %,.0f it/s", rate));
            if (!Double.isNaN(loss)) {
                sb.append(String.format(Locale.ROOT, " loss %.4f", loss));
            }
            sb.append(" ETA ").append(clock(left));
            if (epoch < epochs) {
                sb.append(" (run ").append(clock(run)).append(')');
            }
        }
        return sb.toString();
    }

    /** Seconds as m:ss, or h:mm:ss past an hour. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public Decision onEpoch(EpochRecord m) {
        if (bar) {
            err.print("\r" + " ".repeat(WIDTH + 80) + "\r");
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
