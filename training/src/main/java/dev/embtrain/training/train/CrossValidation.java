package dev.embtrain.training.train;

import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.RatingsDatasetConfig;
import dev.embtrain.training.config.SplitConfig;
import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.engine.Listener;
import dev.embtrain.training.engine.Monitor;
import dev.embtrain.training.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Trains every fold of a config's split, one full run each, and sums them up: MovieLens 100k's
 * official u1-u5 for {@code split.type: fold}, or the k folds of {@code split.type: k-fold}. The
 * runs go to {@code DIR/fold-u1/} ... beside {@value #TABLE}, written together: a failure leaves
 * no half-written directory.
 */
public final class CrossValidation {
    private CrossValidation() {}

    /** The file of the per-fold figures, their mean and standard deviation. */
    public static final String TABLE = "cross_validation.csv";

    /**
     * One fold's run.
     *
     * @param fold its name
     * @param best the kept epoch's record
     * @param epochs the epochs trained
     * @param secondsPerEpoch the mean seconds of its epochs
     */
    public record Fold(String fold, EpochRecord best, int epochs, double secondsPerEpoch) {}

    /**
     * What a cross-validation found.
     *
     * @param dir where the runs are
     * @param monitor the metric compared
     * @param folds every fold, in order
     * @param mean the monitored metric's mean over the folds
     * @param sd its sample standard deviation (n - 1 in the denominator, as pandas' std)
     */
    public record Result(Path dir, Monitor monitor, List<Fold> folds, double mean, double sd) {

        /**
         * Returns the table printed and written: a line per fold, then mean and sd.
         *
         * @return the lines
         */
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            out.add(String.format(Locale.ROOT, "%-6s %10s %12s %10s", "fold", "best_epoch", monitor.name(),
                    "s/epoch"));
            for (Fold f : folds) {
                out.add(String.format(Locale.ROOT, "%-6s %10d %12.4f %10.2f", f.fold(), f.best().epoch(),
                        f.best().valid().get(monitor.name()), f.secondsPerEpoch()));
            }
            double seconds = folds.stream().mapToDouble(Fold::secondsPerEpoch).average().orElse(Double.NaN);
            out.add(String.format(Locale.ROOT, "%-6s %10s %12.4f %10.2f", "mean", "", mean, seconds));
            out.add(String.format(Locale.ROOT, "%-6s %10s %12.4f", "sd", "", sd));
            return out;
        }
    }

    /**
     * Trains every fold.
     *
     * @param config the YAML file
     * @param overrides its {@code --set} overrides
     * @param runDir where the folds' runs go, or null for {@code runs/<name>}
     * @param overwrite whether an existing directory may be replaced once all folds have trained
     * @param progress listeners of each fold's training
     * @param report status lines
     * @return the figures
     * @throws dev.embtrain.training.config.ConfigException when the split has no folds, a fold
     *     is named, or a search is configured
     * @throws Exception when a fold fails
     */
    public static Result run(Path config, List<String> overrides, Path runDir, boolean overwrite,
            List<Listener> progress, Consumer<String> report) throws Exception {
        ConfigLoader.Loaded loaded = ConfigLoader.load(config, overrides);
        if (!(loaded.config().dataset() instanceof RatingsDatasetConfig ratings)) {
            throw loaded.error("dataset.type", "--cross-validate trains the folds of a ratings split (split.type:"
                    + " fold or k-fold); dataset.type " + loaded.config().dataset().type() + " has none");
        }
        SplitConfig split = ratings.split();
        List<String> folds = split.folds();
        if (folds.isEmpty()) {
            throw loaded.error("dataset.split.type", "--cross-validate trains every fold of a fold split"
                    + " (MovieLens 100k's u1-u5) or a k-fold split; " + split.type().name().toLowerCase(Locale.ROOT)
                    .replace('_', '-') + " has none");
        }
        if (loaded.given("dataset.split.fold")) {
            throw loaded.error("dataset.split.fold", "--cross-validate trains every fold; remove it");
        }
        if (loaded.config().search() != null) {
            throw loaded.error("search", "--cross-validate trains each fold once; remove the search, or train"
                    + " without --cross-validate");
        }
        ConfigChecks.check(loaded);
        Path target = runDir != null ? runDir : Path.of("runs", loaded.config().name());
        List<Fold> done = new ArrayList<>();
        Monitor monitor = null;
        try (RunDirectory dir = RunDirectory.begin(target, overwrite)) {
            for (String fold : folds) {
                report.accept("fold     " + fold + " (" + (done.size() + 1) + " of " + folds.size() + ")");
                List<String> sets = new ArrayList<>(overrides);
                sets.add("dataset.split.fold=" + fold);
                Training.Outcome o = new Training(ConfigLoader.load(config, sets), dir.dir().resolve("fold-" + fold),
                        false, progress, report).run();
                monitor = o.monitor();
                List<EpochRecord> history = o.fit().history();
                done.add(new Fold(fold, o.fit().best(), history.size(),
                        history.stream().mapToDouble(EpochRecord::seconds).average().orElse(Double.NaN)));
            }
            String name = monitor.name();
            double mean = done.stream().mapToDouble(f -> f.best().valid().get(name)).average().orElse(Double.NaN);
            double squares = done.stream().mapToDouble(f -> Math.pow(f.best().valid().get(name) - mean, 2)).sum();
            Result result = new Result(target, monitor, done, mean, Math.sqrt(squares / (done.size() - 1)));
            StringBuilder csv = new StringBuilder("fold,best_epoch,epochs," + name + ",seconds_per_epoch\n");
            for (Fold f : done) {
                csv.append(String.format(Locale.ROOT, "%s,%d,%d,%s,%s%n", f.fold(), f.best().epoch(), f.epochs(),
                        f.best().valid().get(name), f.secondsPerEpoch()));
            }
            csv.append(String.format(Locale.ROOT, "mean,,,%s,%n", mean)).append(String.format(Locale.ROOT,
                    "sd,,,%s,%n", result.sd()));
            // The directory is staged: the file appears with it, whole, at commit.
            Files.writeString(dir.dir().resolve(TABLE), csv.toString());
            dir.commit();
            return result;
        }
    }
}
