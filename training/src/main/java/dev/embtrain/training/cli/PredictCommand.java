package dev.embtrain.training.cli;

import dev.embtrain.training.kinds.Command;
import dev.embtrain.training.run.SavedRun;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code embtrain predict}: every row of a file answered through the run's serving translator. */
final class PredictCommand extends CliCommand {

    PredictCommand(PrintStream out, PrintStream err) {
        super("predict", out, err);
    }

    @Override
    int run(String[] args) throws Exception {
        Options options = new Options()
                .addOption(Option.builder().longOpt("run").hasArg().argName("DIR").required()
                        .desc("a ratings or labelled-embeddings run directory").build())
                .addOption(Option.builder().longOpt("in").hasArg().argName("FILE").required()
                        .desc("ratings runs: a CSV with user and item columns (by name); labelled runs: the vectors,"
                                + " as embtrain score reads them (.csv, .parquet, or .npy with --ids)").build())
                .addOption(Option.builder().longOpt("ids").hasArg().argName("FILE")
                        .desc("the ids of a .npy input: a CSV with a rid column").build())
                .addOption(Option.builder().longOpt("out").hasArg().argName("FILE").required()
                        .desc("where to write user,item,rating (or rid,score); written whole, then renamed into"
                                + " place").build())
                .addOption(Option.builder().longOpt("batch").hasArg().argName("N")
                        .desc("rows per request to the translator (default 4096)").build())
                .addOption(Option.builder().longOpt("help").desc("this text").build());
        if (Arrays.asList(args).contains("--help")) {
            help("predict --run DIR --in FILE --out FILE", "Answers every row of a file with the run's DJL Serving"
                    + " directory (exported to a temporary one when the run has none), in batches, through the same"
                    + " translator a served request takes.", options,
                    "Example: ./embtrain predict --run runs/movielens-dot-bias --in pairs.csv --out ratings.csv");
            return 0;
        }
        CommandLine cl = new DefaultParser().parse(options, args);
        int batch = positive("predict: --batch", cl.getOptionValue("batch", "4096"));
        Path run = Path.of(cl.getOptionValue("run"));
        try (SavedRun saved = SavedRun.open(run)) {
            require(saved, Command.PREDICT, "");
        }
        Path outFile = Path.of(cl.getOptionValue("out"));
        dev.embtrain.training.kinds.Predict.Result r = dev.embtrain.training.kinds.Predict.predict(run,
                Path.of(cl.getOptionValue("in")), cl.hasOption("ids") ? Path.of(cl.getOptionValue("ids")) : null,
                outFile, batch);
        out.println(String.format(Locale.ROOT, "predicted %,d rows in %.1f s (%,.0f rows/s); wrote %s", r.rows(),
                r.seconds(), r.rows() / r.seconds(), outFile));
        return 0;
    }

}
