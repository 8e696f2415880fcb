package dev.embtrain.training.search;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Runs trials one after another: the sampler proposes hyperparameters, the objective trains
 * with them and reports a validation value (higher is better) per epoch, the pruner may stop it
 * early; every finished trial is appended to {@code trials.csv} as it ends, so a crashed search
 * keeps what it learned.
 *
 * <p>The study's only randomness is {@code new SplittableRandom(seed)}, consumed by the sampler
 * in trial order; a deterministic objective therefore gives the same trials on every run.
 */
public final class Study {
    private final SearchSpace space;
    private final Sampler sampler;
    private final Pruner pruner;
    private final SplittableRandom random;
    private final List<FrozenTrial> finished = new ArrayList<>();
    private final java.util.ArrayDeque<Map<String, Object>> queue = new java.util.ArrayDeque<>();
    private final boolean maximize;

    /** Trains one trial: reports per-epoch values through {@link Trial#report} and returns the final value. */
    @FunctionalInterface
    public interface Objective {
        /**
         * Runs the trial.
         *
         * @param trial the hyperparameters and the report channel
         * @return the final validation value, higher is better
         * @throws Exception anything the training throws; it stops the study
         */
        double run(Trial trial) throws Exception;
    }

    /**
     * Creates a study.
     *
     * @param space the hyperparameters
     * @param sampler how to propose them
     * @param pruner when to stop a weak trial ({@link Pruner#none()} for never)
     * @param seed the seed of the sampler's random stream
     */
    public Study(SearchSpace space, Sampler sampler, Pruner pruner, long seed) {
        this(space, sampler, pruner, seed, true);
    }

    /**
     * Creates a study of a metric in either direction. The objective and the pruner always see
     * values where higher is better (a metric to minimise arrives negated, as Optuna does
     * internally); {@link #writeCsv} and {@link #progressLine} print the metric as it is.
     *
     * @param space the hyperparameters
     * @param sampler how to propose them
     * @param pruner when to stop a weak trial ({@link Pruner#none()} for never)
     * @param seed the seed of the sampler's random stream
     * @param maximize false when the objective returns the metric negated (lower is better)
     */
    public Study(SearchSpace space, Sampler sampler, Pruner pruner, long seed, boolean maximize) {
        this.maximize = maximize;
        this.space = Objects.requireNonNull(space, "space");
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        this.pruner = Objects.requireNonNull(pruner, "pruner");
        this.random = new SplittableRandom(seed);
        if (space.params().isEmpty()) {
            throw new IllegalArgumentException("the search space is empty");
        }
    }

    /**
     * Runs {@code trials} trials.
     *
     * @param trials how many, at least 1
     * @param objective the training
     * @param trialsCsv where to write the results table, rewritten after every trial; null for none
     * @param progress called with each finished trial (a progress line), may be null
     * @return the best trial
     * @throws IllegalStateException when every trial was pruned (the table is written all the same)
     * @throws Exception what the objective throws; trials finished before it stay in the table
     */
    public FrozenTrial optimize(int trials, Objective objective, Path trialsCsv, Consumer<FrozenTrial> progress)
            throws Exception {
        if (trials < 1) {
            throw new IllegalArgumentException("trials must be > 0, found " + trials);
        }
        for (int i = 0; i < trials; i++) {
            int number = finished.size();
            Map<String, Object> params = queue.isEmpty()
                    ? sampler.sample(space, Collections.unmodifiableList(finished), random) : queue.poll();
            Trial trial = new Trial(number, params, pruner, Collections.unmodifiableList(finished));
            long start = System.nanoTime();
            TrialState state;
            double value;
            try {
                value = objective.run(trial);
                state = TrialState.COMPLETE;
            } catch (TrialPrunedException e) {
                state = TrialState.PRUNED;
                value = trial.reports().get(trial.reports().lastKey());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            FrozenTrial done = new FrozenTrial(number, state, value, params, trial.reports(), seconds);
            finished.add(done);
            if (trialsCsv != null) {
                writeCsv(trialsCsv);
            }
            if (progress != null) {
                progress.accept(done);
            }
        }
        return best();
    }

    /**
     * Queues values to try before the sampler's, as Optuna's {@code enqueue_trial}: typically
     * the config's own values, so the search is measured against the default and its best
     * trial is never worse than it. Queued trials count as trials of the next
     * {@link #optimize} calls and do not draw from the random stream.
     *
     * @param params a value for every key of the space, each inside its range
     * @throws IllegalArgumentException when a key is missing or unknown, or a value out of range
     */
    public void enqueue(Map<String, Object> params) {
        if (!params.keySet().equals(space.params().keySet())) {
            throw new IllegalArgumentException("queued trial must set exactly " + space.params().keySet() + ", found "
                    + params.keySet());
        }
        Map<String, Object> ordered = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Distribution> e : space.params().entrySet()) {
            Object v = params.get(e.getKey());
            Distribution d = e.getValue();
            boolean ok;
            if (d instanceof Distribution.Choice c) {
                ok = c.values().contains(v);
            } else if (d instanceof Distribution.IntUniform i) {
                ok = v instanceof Integer n && n >= i.low() && n <= i.high();
            } else {
                double x = v instanceof Double n ? d.toInternal(n) : Double.NaN;
                ok = x >= d.internalLow() && x <= d.internalHigh();
            }
            if (!ok) {
                throw new IllegalArgumentException("queued value " + e.getKey() + "=" + v + " is outside " + d);
            }
            ordered.put(e.getKey(), v);
        }
        queue.add(ordered);
    }

    /**
     * Returns the finished trials.
     *
     * @return in the order they ran, unmodifiable
     */
    public List<FrozenTrial> trials() {
        return Collections.unmodifiableList(finished);
    }

    /**
     * Returns the completed trial with the highest value (the earliest among equals).
     *
     * @return the trial
     * @throws IllegalStateException when no trial completed (all pruned, or none ran)
     */
    public FrozenTrial best() {
        FrozenTrial best = null;
        for (FrozenTrial t : finished) {
            if (t.state() == TrialState.COMPLETE && !Double.isNaN(t.value())
                    && (best == null || t.value() > best.value())) {
                best = t;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no trial completed out of " + finished.size());
        }
        return best;
    }

    /**
     * Writes {@code trials.csv}: {@code number,state,value,epochs,seconds} and one column per
     * hyperparameter, RFC 4180 quoting where a value holds a comma or a quote.
     *
     * @param file the file
     * @throws IOException when it cannot be written
     */
    public void writeCsv(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            StringBuilder header = new StringBuilder("number,state,value,epochs,seconds");
            for (String key : space.params().keySet()) {
                header.append(',').append(quote(key));
            }
            out.write(header.append(",reports\n").toString());
            for (FrozenTrial t : finished) {
                StringBuilder row = new StringBuilder();
                row.append(t.number()).append(',').append(t.state()).append(',').append(metric(t)).append(',')
                        .append(t.epochs()).append(',').append(String.format(Locale.ROOT, "%.3f", t.seconds()));
                for (String key : space.params().keySet()) {
                    row.append(',').append(quote(String.valueOf(t.params().get(key))));
                }
                // Each epoch's value, epoch:value;..., as the metric reads: what a resumed study's pruner needs.
                StringBuilder reports = new StringBuilder();
                t.reports().forEach((epoch, v) -> reports.append(reports.length() == 0 ? "" : ";").append(epoch)
                        .append(':').append(maximize ? v : -v));
                out.write(row.append(',').append(reports).append('\n').toString());
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Reads back the trials a {@link #writeCsv} table holds, to {@link #resume} a study.
     *
     * @param file the table
     * @return the trials, in the order they ran
     * @throws IOException when it cannot be read or does not fit this study's space
     */
    public List<FrozenTrial> readCsv(Path file) throws IOException {
        List<FrozenTrial> out = new ArrayList<>();
        try (java.io.Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                org.apache.commons.csv.CSVParser csv = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader()
                        .setSkipHeaderRecord(true).build().parse(in)) {
            for (org.apache.commons.csv.CSVRecord r : csv) {
                Map<String, Object> params = new java.util.LinkedHashMap<>();
                for (Map.Entry<String, Distribution> e : space.params().entrySet()) {
                    String text = r.get(e.getKey());
                    params.put(e.getKey(), e.getValue() instanceof Distribution.Choice ? text
                            : e.getValue() instanceof Distribution.IntUniform ? (Object) Integer.parseInt(text)
                            : (Object) Double.parseDouble(text));
                }
                java.util.SortedMap<Integer, Double> reports = new java.util.TreeMap<>();
                for (String pair : r.get("reports").split(";")) {
                    if (!pair.isEmpty()) {
                        String[] f = pair.split(":");
                        double v = Double.parseDouble(f[1]);
                        reports.put(Integer.parseInt(f[0]), maximize ? v : -v);
                    }
                }
                double value = Double.parseDouble(r.get("value"));
                out.add(new FrozenTrial(Integer.parseInt(r.get("number")), TrialState.valueOf(r.get("state")),
                        maximize ? value : -value, params, reports, Double.parseDouble(r.get("seconds"))));
            }
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a trials table of this search: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Continues a study from the trials it had finished: they are taken as they are, and the
     * queue and the sampler's random stream are advanced past them (the sampler is asked again
     * for every sampled trial, with the trials before it), so the next proposals are those an
     * uninterrupted study would make.
     *
     * @param done the finished trials, in order, numbered from 0
     */
    public void resume(List<FrozenTrial> done) {
        for (FrozenTrial t : done) {
            if (t.number() != finished.size()) {
                throw new IllegalArgumentException("trial " + t.number() + " is not the next trial, "
                        + finished.size());
            }
            if (queue.isEmpty()) {
                sampler.sample(space, Collections.unmodifiableList(finished), random);
            } else {
                queue.poll();
            }
            finished.add(t);
        }
    }

    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /**
     * A one-line summary of a finished trial, for the console.
     *
     * @param t the trial
     * @return e.g. {@code trial 3 PRUNED value 0.7012 after 2 epochs (1.5 s); best so far 0.6894 (trial 1)
     *     {lr=0.01}}
     */
    public String progressLine(FrozenTrial t) {
        FrozenTrial best = null;
        for (FrozenTrial f : finished) {
            if (f.number() <= t.number() && f.state() == TrialState.COMPLETE
                    && (best == null || f.value() > best.value())) {
                best = f;
            }
        }
        return String.format(Locale.ROOT, "trial %d %s value %.4f after %d epoch%s (%.1f s); %s %s", t.number(),
                t.state(), metric(t), t.epochs(), t.epochs() == 1 ? "" : "s", t.seconds(), best == null
                        ? "no complete trial yet" : String.format(Locale.ROOT, "best so far %.4f (trial %d)",
                        metric(best), best.number()), t.params());
    }

    /**
     * Returns a trial's value as the metric reads, undoing the negation of a metric to minimise.
     *
     * @param t the trial
     * @return the metric's value
     */
    public double metric(FrozenTrial t) {
        return maximize ? t.value() : -t.value();
    }
}
