package dev.embtrain.training.cli;

import dev.embtrain.training.kinds.Command;
import dev.embtrain.training.kinds.RunKind;
import dev.embtrain.training.run.SavedRun;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code embtrain export}: a run's DJL Serving directory. */
final class ExportCommand extends CliCommand {

    ExportCommand(PrintStream out, PrintStream err) {
        super("export", out, err);
    }

    @Override
    int run(String[] args) throws Exception {
        Options options = new Options()
                .addOption(Option.builder().longOpt("run").hasArg().argName("DIR").required()
                        .desc("a run directory written by embtrain train").build())
                .addOption(Option.builder().longOpt("serving").hasArg().argName("OUT").required()
                        .desc("the model directory to write for DJL Serving").build())
                .addOption(Option.builder().longOpt("overwrite").desc("replace OUT if it exists").build())
                .addOption(Option.builder().longOpt("help").desc("this text").build());
        if (Arrays.asList(args).contains("--help")) {
            help("export --run DIR --serving OUT [--overwrite]",
                    "Writes a model directory that DJL Serving loads with none of embtrain's classes installed:"
                            + " serving.properties, the best epoch's parameters, the vocabularies and the models jar.",
                    options, "Example: ./embtrain export --run runs/movielens-dot-bias --serving models/ratings");
            return 0;
        }
        CommandLine cl = new DefaultParser().parse(options, args);
        Path run = Path.of(cl.getOptionValue("run"));
        RunKind kind;
        try (SavedRun saved = SavedRun.open(run)) {
            require(saved, Command.EXPORT, "");
            kind = saved.kind();
        }
        Path written = Path.of(cl.getOptionValue("serving"));
        kind.exportServing(run, written, cl.hasOption("overwrite"));
        out.println("wrote " + written + " (serving.properties, parameters, vocabularies, models jar)");
        return 0;
    }

}
