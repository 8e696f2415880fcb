package dev.embtrain.training.cli;

import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.plot.Plots;
import dev.embtrain.training.train.LearningRateFinder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code embtrain lr-find}: fastai's learning-rate finder on a config. */
final class LrFindCommand extends CliCommand {

    LrFindCommand(PrintStream out, PrintStream err) {
        super("lr-find", out, err);
    }

    @Override
    int run(String[] args) throws Exception {
        Options options = new Options()
                .addOption(Option.builder().longOpt("set").hasArg().argName("path=value")
                        .desc("override a config key (repeatable)").build())
                .addOption(Option.builder().longOpt("start").hasArg().argName("RATE")
                        .desc("the first learning rate (default 1e-7)").build())
                .addOption(Option.builder().longOpt("end").hasArg().argName("RATE")
                        .desc("the last learning rate (default 10)").build())
                .addOption(Option.builder().longOpt("steps").hasArg().argName("N")
                        .desc("the most steps (default 100)").build())
                .addOption(Option.builder().longOpt("plot").hasArg().argName("PNG")
                        .desc("where the loss curve goes (default lr-find.png)").build())
                .addOption(Option.builder().longOpt("help").desc("this text").build());
        if (Arrays.asList(args).contains("--help")) {
            help("lr-find CONFIG [--set path=value]... [--start RATE] [--end RATE] [--steps N] [--plot PNG]",
                    "fastai's learning-rate finder: trains the config's model from fresh weights while the learning"
                            + " rate rises geometrically, step by step, until the loss passes four times its lowest;"
                            + " draws the smoothed loss against the rate and suggests a tenth of the rate at its"
                            + " lowest (fastai's lr_min), naming the rate where it falls fastest too. Nothing of the"
                            + " run is kept.", options,
                    "Example: ./embtrain lr-find configs/quickstart.yaml && ./embtrain train configs/quickstart.yaml"
                            + " --set training.optimizer.learning_rate=RATE");
            return 0;
        }
        CommandLine cl = new DefaultParser().parse(options, args);
        double start = rate("--start", cl.getOptionValue("start", "1e-7"));
        double end = rate("--end", cl.getOptionValue("end", "10"));
        if (!(end > start)) {
            throw new UsageException("lr-find: --end must be above --start, found " + start + " and " + end);
        }
        int steps = positive("lr-find: --steps", cl.getOptionValue("steps", "100"));
        ConfigLoader.Loaded given = loadConfig(cl);
        if (given.config().search() != null) {
            throw new UsageException("lr-find: the config has a search section; the range test trains the config's"
                    + " own values: remove the section, or --set the values a trial would take");
        }
        List<String> sets = new ArrayList<>(cl.getOptionValues("set") == null ? List.of()
                : List.of(cl.getOptionValues("set")));
        // Enough epochs for the steps whatever an epoch holds; nothing exported; no early stop.
        sets.addAll(List.of("training.epochs=" + steps, "training.early_stopping.patience=0", "export.plots=false",
                "export.embeddings=[]"));
        ConfigLoader.Loaded loaded = ConfigLoader.load(Path.of(cl.getArgList().get(0)), sets);
        LearningRateFinder.Result r = LearningRateFinder.run(loaded, start, end, steps, out::println);
        Path plot = Path.of(cl.getOptionValue("plot", "lr-find.png"));
        Plots.learningRateFinder(plot, loaded.config().name() + ": learning-rate range test", r.rates(),
                r.smoothed(), r.suggested());
        out.println(String.format(Locale.ROOT, "suggested learning rate %.2e: a tenth of the rate at the lowest loss"
                + " (%.2e), fastai's lr_min; the loss falls fastest at %.2e; plot %s", r.suggested(), r.lowest(),
                r.steepest(), plot));
        return 0;
    }

    private static double rate(String option, String value) {
        try {
            double v = Double.parseDouble(value);
            if (v > 0 && Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // Named below.
        }
        throw new UsageException("lr-find: " + option + " must be a positive number, found \"" + value + "\"");
    }
}
