package dev.embtrain.training.cli;

import dev.embtrain.training.config.ConfigBinder;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.Configs;
import dev.embtrain.training.engine.Monitor;
import dev.embtrain.training.kinds.RunKind;
import dev.embtrain.training.train.ConfigChecks;
import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code embtrain config}: a config resolved and checked without training: every default filled
 * in (the keys the run would not read left out, as {@code config.yaml} writes it), the kind and
 * the monitored metric, and, unless {@code --no-data}, what reading the data finds.
 */
final class ConfigCommand extends CliCommand {

    ConfigCommand(PrintStream out, PrintStream err) {
        super("config", out, err);
    }

    @Override
    int run(String[] args) throws Exception {
        Options options = new Options()
                .addOption(Option.builder().longOpt("set").hasArg().argName("path=value")
                        .desc("override a config key, as train takes it (repeatable)").build())
                .addOption(Option.builder().longOpt("no-data")
                        .desc("check the config alone; by default the data is read too, as train would read it")
                        .build())
                .addOption(Option.builder().longOpt("help").desc("this text").build());
        CommandLine cl = new DefaultParser().parse(options, args);
        if (cl.hasOption("help")) {
            help("config CONFIG [--set path=value]... [--no-data]",
                    "Prints the config with every default filled in, the kind of run and the monitored metric, and"
                            + " checks it as train would, without training; exit status 2 names the key at fault.",
                    options, "Example: ./embtrain config configs/quickstart.yaml --set training.optimizer.type=sgd");
            return 0;
        }
        ConfigLoader.Loaded loaded = loadConfig(cl);
        RunKind kind = ConfigChecks.check(loaded);
        Monitor monitor = ConfigChecks.monitor(loaded, kind);
        out.print(ConfigBinder.dump(Configs.written(loaded.config())));
        out.println("# kind: " + kind.name() + "; monitored: " + monitor.name() + " ("
                + (monitor.higherIsBetter() ? "higher" : "lower") + " is better)");
        if (!cl.hasOption("no-data")) {
            kind.prepare(loaded, line -> line.lines().forEach(l -> out.println("# " + l)));
        }
        return 0;
    }
}
