package dev.embtrain.training.train;

import ai.djl.training.tracker.Tracker;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.engine.Listener;
import dev.embtrain.training.engine.Step;
import dev.embtrain.training.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * fastai's learning-rate finder (Smith 2015's range test): the config's model trains from fresh
 * weights while the learning rate rises geometrically from {@code start} to {@code end} over at
 * most {@code steps} steps, a listener records each step's loss and stops the run once the
 * smoothed loss passes four times its lowest (or stops being finite), and the rate where the
 * smoothed loss falls fastest (per unit of log rate, over five steps, before its lowest point,
 * the first tenth of the test left out) is suggested. The loss is smoothed as fastai does: an exponential
 * moving average with β = 0.98, divided by 1 − β^t. Nothing of the run is kept.
 */
public final class LearningRateFinder {

    private static final double BETA = 0.98;
    private static final double DIVERGED = 4;
    /** Steps on each side of a point its slope spans. */
    private static final int SPAN = 2;

    private LearningRateFinder() {}

    /**
     * What the range test measured.
     *
     * @param rates the rate of each step
     * @param losses each step's loss
     * @param smoothed each step's smoothed loss
     * @param steepest the rate where the smoothed loss falls fastest (per unit of log rate)
     * @param lowest the rate at the lowest smoothed loss
     * @param diverged whether the loss passed four times its lowest before the last step
     */
    public record Result(double[] rates, double[] losses, double[] smoothed, double steepest, double lowest,
            boolean diverged) {

        /**
         * Returns the suggested rate: a tenth of the rate at the lowest loss (fastai's
         * {@code lr_min}), kept inside the range swept.
         *
         * @return the rate
         */
        public double suggested() {
            return Math.max(rates[0], lowest / 10);
        }
    }

    /** The geometric ramp, step 1 at {@code start}, step {@code steps} at {@code end}. */
    static Tracker ramp(double start, double end, int steps) {
        return numUpdate -> (float) (start * Math.pow(end / start, Math.min(Math.max(numUpdate - 1, 0),
                steps - 1) / (double) Math.max(1, steps - 1)));
    }

    /**
     * Runs the range test.
     *
     * @param loaded the config, without a search
     * @param start the first rate
     * @param end the last rate
     * @param steps the most steps
     * @param report status lines
     * @return the measurements and the suggestion
     * @throws Exception when training fails
     */
    public static Result run(ConfigLoader.Loaded loaded, double start, double end, int steps, Consumer<String> report)
            throws Exception {
        if (!(start > 0) || !(end > start)) {
            throw new IllegalArgumentException("the rates must rise from a positive start, found " + start + " to "
                    + end);
        }
        Tracker rate = ramp(start, end, steps);
        List<Double> rates = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        List<Double> smoothed = new ArrayList<>();
        boolean[] diverged = {false};
        Listener recorder = new Listener() {
            private double average;
            private double best = Double.POSITIVE_INFINITY;

            @Override
            public void afterLoss(Step step) {
                double loss = step.loss().getFloat();
                int t = losses.size() + 1;
                average = BETA * average + (1 - BETA) * loss;
                double s = average / (1 - Math.pow(BETA, t));
                rates.add((double) rate.getNewValue(t));
                losses.add(loss);
                smoothed.add(s);
                best = Math.min(best, s);
                if (!Double.isFinite(s) || s > DIVERGED * best) {
                    diverged[0] = true;
                    step.skip();
                    step.stop();
                }
            }
        };
        Path tmp = Files.createTempDirectory("embtrain-lr-find-");
        try {
            new Training(loaded, tmp.resolve("run"), false, List.of(recorder), line -> { })
                    .withLearningRate(rate).stoppingAfterSteps(steps).run();
        } finally {
            RunDirectory.deleteTree(tmp);
        }
        int n = smoothed.size();
        if (n < 3) {
            throw new IllegalStateException("the range test ran " + n + " steps; it needs at least 3 (raise --steps,"
                    + " or lower training.batch_size)");
        }
        double[] r = rates.stream().mapToDouble(Double::doubleValue).toArray();
        double[] l = losses.stream().mapToDouble(Double::doubleValue).toArray();
        double[] s = smoothed.stream().mapToDouble(Double::doubleValue).toArray();
        // The diverging step is not a point of the curve.
        int end0 = diverged[0] ? n - 1 : n;
        int lowest = 0;
        for (int i = 1; i < end0; i++) {
            if (s[i] < s[lowest]) {
                lowest = i;
            }
        }
        // Steepest fall of the smoothed loss per unit of log rate, up to its lowest point, each
        // slope taken over five steps, and the first tenth of the test left out as fastai's plot
        // leaves it: there the average has seen too few losses to mean much.
        int steepest = lowest;
        double fall = Double.POSITIVE_INFINITY;
        int from = Math.max(SPAN, n / 10);
        for (int i = from; i <= lowest && i + SPAN < end0; i++) {
            double slope = (s[i + SPAN] - s[i - SPAN]) / (Math.log(r[i + SPAN]) - Math.log(r[i - SPAN]));
            if (slope < fall) {
                fall = slope;
                steepest = i;
            }
        }
        report.accept(String.format(java.util.Locale.ROOT, "lr-find  %d steps from %.1e to %.1e%s", n, r[0],
                r[n - 1], diverged[0] ? "; the loss passed 4x its lowest there and the test stopped" : ""));
        return new Result(r, l, s, r[steepest], r[lowest], diverged[0]);
    }
}
