package dev.embtrain.training.cli;

import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.engine.FitResult;
import dev.embtrain.training.train.CrossValidation;
import dev.embtrain.training.train.Training;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code embtrain train}: one run, or a search, from a YAML config. */
final class TrainCommand extends CliCommand {

    TrainCommand(PrintStream out, PrintStream err) {
        super("train", out, err);
    }

    @Override
    int run(String[] args) throws Exception {
        Options options = new Options()
                .addOption(Option.builder().longOpt("set").hasArg().argName("path=value")
                        .desc("override a config key, e.g. training.epochs=10 (repeatable; the value is YAML)").build())
                .addOption(Option.builder().longOpt("run-dir").hasArg().argName("DIR")
                        .desc("write the run here instead of runs/<name>").build())
                .addOption(Option.builder().longOpt("overwrite")
                        .desc("replace an existing run directory (one embtrain wrote) once the new run has finished")
                        .build())
                .addOption(Option.builder().longOpt("resume")
                        .desc("continue the run that Ctrl-C, SIGTERM or a crash left in runs/<name>.partial/ from its"
                                + " last checkpoint; only training.epochs may differ").build())
                .addOption(Option.builder().longOpt("cross-validate")
                        .desc("train every fold of dataset.split (fold: MovieLens's u1-u5; k-fold: all k) into"
                                + " DIR/fold-NAME/ and print each fold's best epoch and metric, their mean and"
                                + " standard deviation").build())
                .addOption(Option.builder().longOpt("help").desc("this text").build());
        CommandLine cl = new DefaultParser().parse(options, args);
        if (cl.hasOption("help")) {
            help("train CONFIG [options]", "Trains the model a YAML config describes.", options,
                    "Example: ./embtrain train configs/quickstart.yaml --set training.epochs=3");
            return 0;
        }
        ConfigLoader.Loaded loaded = loadConfig(cl);
        Path runDir = cl.hasOption("run-dir") ? Path.of(cl.getOptionValue("run-dir")) : null;
        if (cl.hasOption("cross-validate")) {
            if (cl.hasOption("resume")) {
                throw new UsageException("train: --cross-validate trains every fold afresh; it cannot --resume");
            }
            String[] sets = cl.getOptionValues("set");
            ConsoleProgress bar = new ConsoleProgress(out, err,
                    loaded.config().training().progress() && System.console() != null);
            // Ctrl-C stops the JVM as usual here: the folds' directory is staged, and left as NAME.partial.
            CrossValidation.Result cv = CrossValidation.run(Path.of(cl.getArgList().get(0)),
                    sets == null ? List.of() : List.of(sets), runDir, cl.hasOption("overwrite"), List.of(bar),
                    out::println);
            out.println("cross-validation over " + cv.folds().size() + " folds (sd: sample standard deviation):");
            cv.lines().forEach(out::println);
            out.println("runs     " + cv.dir() + " (" + CrossValidation.TABLE + ", fold-*/)");
            return 0;
        }
        ConsoleProgress progress = new ConsoleProgress(out, err,
                loaded.config().training().progress() && System.console() != null);
        Training.Outcome o;
        // Ctrl-C and SIGTERM finish the step in progress and keep the last checkpoint.
        try (Signals stop = Signals.install()) {
            o = new Training(loaded, runDir, cl.hasOption("overwrite"), List.of(progress), out::println)
                    .resuming(cl.hasOption("resume")).stoppedBy(stop::requested).run();
        }
        if (o.bestTrial() != null) {
            out.println(String.format(Locale.ROOT, "best trial %d: %s %.4f %s", o.bestTrial().number(),
                    o.monitor().name(), o.monitor().higherIsBetter() ? o.bestTrial().value() : -o.bestTrial().value(),
                    o.bestTrial().params()));
        }
        out.println(bestEpochLine(o.fit()));
        if (o.fit().stoppedEarly()) {
            out.println(String.format("stopped early: no improvement for %d epochs",
                    loaded.config().training().earlyStopping().patience()));
        }
        o.summary().forEach(out::println);
        out.println("run      " + o.runDir());
        return 0;
    }

    /** {@code best epoch 3 of 5: valid_mse 0.8123, ...}: the kept epoch's validation metrics. */
    static String bestEpochLine(FitResult fit) {
        EpochRecord best = fit.best();
        StringBuilder summary = new StringBuilder(String.format(Locale.ROOT, "best epoch %d of %d", best.epoch(),
                fit.history().size()));
        int n = 0;
        for (Map.Entry<String, Double> m : best.valid().entrySet()) {
            summary.append(n++ == 0 ? ": " : ", ").append(String.format(Locale.ROOT, "%s %.4f", m.getKey(),
                    m.getValue()));
        }
        if (best.valid().isEmpty()) {
            summary.append(String.format(Locale.ROOT, ": train_loss %.4f", best.trainLoss()));
        }
        return summary.toString();
    }

}
