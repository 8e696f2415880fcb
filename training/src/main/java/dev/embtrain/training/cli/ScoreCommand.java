package dev.embtrain.training.cli;

import dev.embtrain.training.kinds.LabelledScorer;
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

/** {@code embtrain score}: a labelled-embeddings run's classifier over an embeddings file. */
final class ScoreCommand extends CliCommand {

    ScoreCommand(PrintStream out, PrintStream err) {
        super("score", out, err);
    }

    private static final int DEFAULT_BATCH = 4096;

    @Override
    int run(String[] args) throws Exception {
        Options options = new Options()
                .addOption(Option.builder().longOpt("run").hasArg().argName("DIR").required()
                        .desc("a labelled-embeddings run directory written by embtrain train").build())
                .addOption(Option.builder().longOpt("embeddings").hasArg().argName("FILE").required()
                        .desc("the vectors to score: .csv, .parquet, or .npy with --ids").build())
                .addOption(Option.builder().longOpt("ids").hasArg().argName("FILE")
                        .desc("the ids of a .npy file: a CSV with a rid column, one row per array row").build())
                .addOption(Option.builder().longOpt("out").hasArg().argName("FILE").required()
                        .desc("where to write rid,score (written whole, then renamed into place)").build())
                .addOption(Option.builder().longOpt("batch").hasArg().argName("N")
                        .desc("rows read and scored at a time (default " + DEFAULT_BATCH + ")").build())
                .addOption(Option.builder().longOpt("help").desc("this text").build());
        if (java.util.Arrays.asList(args).contains("--help")) {
            help("score --run DIR --embeddings FILE --out FILE",
                    "Writes rid,score (the probability of label 1) for every id, streaming the file in batches"
                            + " through the run's preprocessing and classifier.", options,
                    "Example: ./embtrain score --run runs/labelled-embeddings"
                            + " --embeddings data/synthetic-labelled-embeddings/embeddings.npy"
                            + " --ids data/synthetic-labelled-embeddings/ids.csv --out scores.csv");
            return 0;
        }
        CommandLine cl = new DefaultParser().parse(options, args);
        int batch = positive("score: --batch", cl.getOptionValue("batch", Integer.toString(DEFAULT_BATCH)));
        Path run = Path.of(cl.getOptionValue("run"));
        if (java.nio.file.Files.isRegularFile(run.resolve(dev.embtrain.training.run.RunFiles.CONFIG))) {
            try (dev.embtrain.training.run.SavedRun saved = dev.embtrain.training.run.SavedRun.open(run)) {
                require(saved, dev.embtrain.training.kinds.Command.SCORE, "; score takes a labelled-embeddings run");
            }
        }
        Path outFile = Path.of(cl.getOptionValue("out"));
        LabelledScorer.Result r = LabelledScorer.score(run, Path.of(cl.getOptionValue("embeddings")),
                cl.hasOption("ids") ? Path.of(cl.getOptionValue("ids")) : null, outFile, batch);
        out.println(String.format(Locale.ROOT, "scored %,d ids in %.1f s (%,.0f ids/s); wrote %s", r.rows(),
                r.seconds(), r.rows() / r.seconds(), outFile));
        return 0;
    }
}
