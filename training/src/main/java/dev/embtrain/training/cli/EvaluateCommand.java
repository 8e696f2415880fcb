package dev.embtrain.training.cli;

import dev.embtrain.training.kinds.Command;
import dev.embtrain.training.run.SavedRun;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code embtrain evaluate}: the kept epoch's validation metrics again, from the saved parameters. */
final class EvaluateCommand extends CliCommand {

    EvaluateCommand(PrintStream out, PrintStream err) {
        super("evaluate", out, err);
    }

    @Override
    int run(String[] args) throws Exception {
        Options options = new Options()
                .addOption(Option.builder().longOpt("run").hasArg().argName("DIR").required()
                        .desc("a run directory written by embtrain train").build())
                .addOption(Option.builder().longOpt("set").hasArg().argName("path=value")
                        .desc("override a key of the run's config, e.g. dataset.path=/data/ml-100k (repeatable)").build())
                .addOption(Option.builder().longOpt("help").desc("this text").build());
        if (Arrays.asList(args).contains("--help")) {
            help("evaluate --run DIR [--set path=value]...",
                    "Re-reads the run's dataset, splits it as in training, and scores the validation split with the"
                            + " saved parameters (the best epoch's).", options,
                    "Example: ./embtrain evaluate --run runs/movielens-dot-bias --set dataset.path=/data/ml-100k");
            return 0;
        }
        CommandLine cl = new DefaultParser().parse(options, args);
        String[] sets = cl.getOptionValues("set");
        try (SavedRun run = SavedRun.open(Path.of(cl.getOptionValue("run")), sets == null ? List.of() : List.of(sets))) {
            require(run, Command.EVALUATE, "");
            SavedRun.Evaluation r = run.evaluate();
            StringBuilder line = new StringBuilder();
            r.metrics().forEach((k, v) -> line.append(line.length() == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.6f", k, v)));
            out.println(line.length() == 0 ? "this run has no validation rows to score" : line + " on the validation split");
            r.more().forEach(out::println);
        }
        return 0;
    }

}
