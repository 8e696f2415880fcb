package dev.embtrain.training.cli;

import dev.embtrain.datasets.io.TableFile;
import dev.embtrain.datasets.synthetic.SyntheticMovieLens;
import dev.embtrain.datasets.tables.ExampleTables;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code embtrain generate}: example tables in the shape users have them, so that the configs of
 * the {@code ratings} dataset type run with no download.
 */
final class GenerateCommand extends CliCommand {

    GenerateCommand(PrintStream out, PrintStream err) {
        super("generate", out, err);
    }

    @Override
    int run(String[] args) throws Exception {
        SyntheticMovieLens.Spec d = SyntheticMovieLens.Spec.defaults();
        Options options = new Options()
                .addOption(Option.builder().longOpt("out").hasArg().argName("DIR").required()
                        .desc("the directory to write into (created; files of the same names are replaced)").build())
                .addOption(Option.builder().longOpt("format").hasArg().argName("FORMAT")
                        .desc("csv (default), tsv or parquet").build())
                .addOption(Option.builder().longOpt("users").hasArg().argName("N")
                        .desc("users (default " + d.users() + ")").build())
                .addOption(Option.builder().longOpt("items").hasArg().argName("N")
                        .desc("items (default " + d.items() + ")").build())
                .addOption(Option.builder().longOpt("ratings").hasArg().argName("N")
                        .desc("ratings (default " + d.ratings() + ")").build())
                .addOption(Option.builder().longOpt("seed").hasArg().argName("N")
                        .desc("the generator's seed (default " + d.seed() + ")").build())
                .addOption(Option.builder().longOpt("help").desc("this text").build());
        if (java.util.Arrays.asList(args).contains("--help")) {
            help("generate ratings --out DIR [--format csv|tsv|parquet] [--users N] [--items N] [--ratings N]",
                    "Writes a shop's ratings (customer, product, stars, ts), users (customer, age_band, gender,"
                            + " occupation) and items (product, title, year, genres, |-separated), drawn from a known"
                            + " latent-factor model, for dataset.type: ratings; nothing is downloaded.", options,
                    "Example: ./embtrain generate ratings --out data/shop && ./embtrain train configs/ratings-csv.yaml");
            return 0;
        }
        CommandLine cl = new DefaultParser().parse(options, args);
        if (cl.getArgList().size() != 1 || !cl.getArgList().get(0).equals("ratings")) {
            throw new UsageException("generate: expected what to generate, ratings, found " + cl.getArgList());
        }
        String format = cl.getOptionValue("format", "csv").toLowerCase(Locale.ROOT);
        TableFile.Format f = switch (format) {
            case "csv" -> TableFile.Format.CSV;
            case "tsv" -> TableFile.Format.TSV;
            case "parquet" -> TableFile.Format.PARQUET;
            default -> throw new UsageException("generate: --format expects csv, tsv or parquet, found \"" + format
                    + "\"");
        };
        int users = positive("generate: --users", cl.getOptionValue("users", Integer.toString(d.users())));
        int items = positive("generate: --items", cl.getOptionValue("items", Integer.toString(d.items())));
        int ratings = positive("generate: --ratings", cl.getOptionValue("ratings", Integer.toString(d.ratings())));
        int seed = positive("generate: --seed", cl.getOptionValue("seed", Long.toString(d.seed())));
        SyntheticMovieLens.Spec spec;
        try {
            spec = new SyntheticMovieLens.Spec(users, items, ratings, d.factors(), d.noise(), seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException("generate: " + e.getMessage());
        }
        ExampleTables.Written w = ExampleTables.write(spec, Path.of(cl.getOptionValue("out")), f);
        out.println(String.format(Locale.ROOT, "wrote %s (%,d ratings), %s and %s", w.ratings(), spec.ratings(),
                w.users(), w.items()));
        return 0;
    }
}
