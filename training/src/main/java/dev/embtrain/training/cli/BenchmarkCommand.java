package dev.embtrain.training.cli;

import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.train.ConfigChecks;
import dev.embtrain.training.train.Training;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code embtrain benchmark}: configs trained in turn into scratch runs, timed, one table row each. */
final class BenchmarkCommand extends CliCommand {

    BenchmarkCommand(PrintStream out, PrintStream err) {
        super("benchmark", out, err);
    }

    @Override
    int run(String[] args) throws Exception {
        Options options = new Options()
                .addOption(Option.builder().longOpt("set").hasArg().argName("path=value")
                        .desc("override a key in every config, e.g. dataset.path=data/ml-100k (repeatable)").build())
                .addOption(Option.builder().longOpt("steps").hasArg().argName("N")
                        .desc("train at most N optimizer steps of each config, cutting the epoch there, so that a"
                                + " slow configuration (a dense 10^7-row table) is measured in minutes").build())
                .addOption(Option.builder().longOpt("help").desc("this text").build());
        CommandLine cl = new DefaultParser().parse(options, args);
        if (cl.hasOption("help") || cl.getArgList().isEmpty()) {
            help("benchmark CONFIG... [--set path=value]... [--steps N]",
                    "Trains each config in turn (into a temporary run directory, deleted afterwards) and prints"
                            + " a table: seconds of the first epoch (warm-up included) and of the later ones,"
                            + " training samples per second, and the final and best value of the monitored metric.",
                    options, "Example: ./embtrain benchmark configs/movielens-dot-bias.yaml"
                            + " configs/movielens-dot-bias-batch1024.yaml --set dataset.path=data/ml-100k");
            return cl.hasOption("help") ? 0 : Main.USAGE;
        }
        String[] sets = cl.getOptionValues("set");
        List<String> overrides = sets == null ? List.of() : List.of(sets);
        int steps = cl.hasOption("steps") ? positive("benchmark: --steps", cl.getOptionValue("steps")) : 0;
        List<ConfigLoader.Loaded> configs = new java.util.ArrayList<>();
        for (String file : cl.getArgList()) {
            ConfigLoader.Loaded loaded = ConfigLoader.load(Path.of(file), overrides);
            ConfigChecks.check(loaded);
            configs.add(loaded);
        }
        out.println(String.format(Locale.ROOT, "threads %s, %d cores, java %s",
                System.getProperty("ai.djl.pytorch.num_threads", "default"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version")));
        List<String> rows = new java.util.ArrayList<>();
        rows.add(String.format(Locale.ROOT, "%-34s %-9s %6s %6s %9s %12s %10s %-18s %10s %10s", "config", "kind",
                "batch", "epochs", "epoch1_s", "later_epoch_s", "samples/s", "metric", "final", "best"));
        Path scratch = java.nio.file.Files.createTempDirectory("embtrain-benchmark");
        try {
            for (ConfigLoader.Loaded loaded : configs) {
                Path runDir = scratch.resolve(loaded.config().name());
                Training.Outcome o = new Training(loaded, runDir, false, List.of(), line -> line.lines()
                        .filter(l -> l.startsWith("baseline") || l.startsWith("tables"))
                        .forEach(l -> out.println(loaded.config().name() + ": " + l)))
                        .stoppingAfterSteps(steps).run();
                List<EpochRecord> h = o.fit().history();
                List<EpochRecord> later = h.size() < 2 ? h : h.subList(1, h.size());
                double laterSeconds = later.stream().mapToDouble(EpochRecord::seconds).average().orElse(0);
                double samples = later.stream().mapToLong(EpochRecord::samples).average().orElse(0) / laterSeconds;
                String metric = o.monitor().name();
                String row = String.format(Locale.ROOT, "%-34s %-9s %6d %6d %9.2f %12.2f %10.0f %-18s %10.4f %10.4f",
                        loaded.config().name(), o.kind().name(), loaded.config().training().batchSize(), h.size(),
                        h.get(0).seconds(), laterSeconds, samples, metric, o.fit().last().value(metric),
                        o.fit().best().value(metric));
                rows.add(row);
                out.println(row);
            }
        } finally {
            dev.embtrain.training.run.RunDirectory.deleteTree(scratch);
        }
        out.println();
        rows.forEach(out::println);
        return 0;
    }

}
