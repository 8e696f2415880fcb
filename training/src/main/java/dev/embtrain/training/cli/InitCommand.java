package dev.embtrain.training.cli;

import dev.embtrain.training.config.ConfigException;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.ConfigTemplate;
import dev.embtrain.training.train.ConfigChecks;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code embtrain init}: a commented starter config for a model type on a dataset type. */
final class InitCommand extends CliCommand {

    InitCommand(PrintStream out, PrintStream err) {
        super("init", out, err);
    }

    @Override
    int run(String[] args) throws Exception {
        Options options = new Options()
                .addOption(Option.builder().longOpt("dataset").hasArg().argName("TYPE")
                        .desc("the dataset type (default: synthetic-movielens for rating models, synthetic-sessions"
                                + " for embedding-bag)").build())
                .addOption(Option.builder().longOpt("set").hasArg().argName("path=value")
                        .desc("write this value for a key instead of its default (repeatable)").build())
                .addOption(Option.builder().longOpt("out").hasArg().argName("FILE")
                        .desc("write the config here (refused if it exists) instead of printing it").build())
                .addOption(Option.builder().longOpt("help").desc("this text").build());
        if (args.length == 0 || Arrays.asList(args).contains("--help")) {
            help("init MODEL_TYPE [--dataset TYPE] [--set path=value]... [--out FILE]",
                    "Writes a starter config: every key of a model type on a dataset type with its default and,"
                            + " above it, what it means. It loads and trains as it is, on generated data for the"
                            + " synthetic dataset types.", options,
                    "Example: ./embtrain init dot-product-bias --out my-run.yaml && ./embtrain train my-run.yaml\n"
                            + "feat2vec: ./embtrain init factorization-machine --dataset synthetic-feat2vec --set"
                            + " model.objective=implicit");
            return args.length == 0 ? Main.USAGE : 0;
        }
        CommandLine cl = new DefaultParser().parse(options, args);
        List<String> positional = cl.getArgList();
        if (positional.size() != 1) {
            throw new UsageException("init: expected one MODEL_TYPE, found " + positional.size()
                    + (positional.isEmpty() ? "" : " " + positional) + " (embtrain init --help)");
        }
        String model = positional.get(0);
        String dataset = cl.getOptionValue("dataset", model.equals("embedding-bag") ? "synthetic-sessions"
                : "synthetic-movielens");
        Map<String, String> values = new LinkedHashMap<>();
        // Pairs whose defaults do not train together get the value that makes them (a --set wins).
        if (model.equals("factorization-machine") && dataset.equals("synthetic-feat2vec")) {
            values.put("model.objective", "implicit");
        }
        if (model.equals("wide-and-deep") && List.of("movielens", "synthetic-movielens", "ratings").contains(dataset)) {
            values.put("dataset.label.type", "binary");
        }
        for (String s : cl.getOptionValues("set") == null ? new String[0] : cl.getOptionValues("set")) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("init: --set expects path=value, found \"" + s + "\"");
            }
            values.put(s.substring(0, eq), s.substring(eq + 1));
        }
        String yaml;
        try {
            yaml = ConfigTemplate.yaml(model, dataset, values);
        } catch (IllegalArgumentException e) {
            throw new UsageException("init: " + e.getMessage());
        }
        // The template must pass what a run checks before its data; say which key fails if not.
        try {
            ConfigChecks.check(ConfigLoader.load(yaml, "the " + model + " on " + dataset + " template", List.of()));
        } catch (ConfigException e) {
            throw new UsageException("init: " + model + " on " + dataset + " needs a value of its own: " + e.getMessage()
                    + "; pass it with --set");
        }
        if (!cl.hasOption("out")) {
            out.print(yaml);
            return 0;
        }
        Path file = Path.of(cl.getOptionValue("out"));
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null, "exists; remove it or pick another --out");
        }
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        out.println("wrote " + file + ": train it with ./embtrain train " + file);
        return 0;
    }
}
