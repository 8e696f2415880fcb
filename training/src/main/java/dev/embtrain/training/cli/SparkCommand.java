package dev.embtrain.training.cli;

import dev.embtrain.training.config.ConfigLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code embtrain spark}: scoring work past one machine on Apache Spark. Spark is not in lib/:
 * {@code ./embtrain spark} adds {@code training/target/spark-lib} (copied from Maven on first
 * use), and a cluster's {@code spark-submit} brings its own. Nothing here names a Spark class, so
 * the other commands load without it.
 */
final class SparkCommand extends CliCommand {

    private static final String USAGE = "spark (export | neighbors | recommend | score | search | prepare) [--master URL]"
            + " ...";
    private static final String WHAT = "Runs a job on Apache Spark: local mode with --master local[N], a cluster"
            + " through spark-submit --class dev.embtrain.training.spark.SparkMain training/target/embtrain.jar"
            + " COMMAND ... (spark-submit's master). Training stays on one machine.\n"
            + "  export     every table of a run as table, row, label, vector\n"
            + "  neighbors  the top-k cosine neighbours of every row of a table\n"
            + "  recommend  every user's top-k items (user, item, rank, score), as recommend --all\n"
            + "  score      rid, score for every row of a Parquet table with a labelled-embeddings run (as score),\n"
            + "             or user, item, score for every pair of a table with a ratings run (as predict)\n"
            + "  search     a config's search (sampler random, pruner none), one trial a task, as train runs it\n"
            + "  prepare    a ratings or sessions input too big for one machine to parse, encoded for train\n"
            + "--out names a .parquet directory or a .csv file; it must not exist.\n";

    SparkCommand(PrintStream out, PrintStream err) {
        super("spark", out, err);
    }

    /** {@code spark search CONFIG}: the search of a config, a trial per Spark task. */
    private int search(String[] args) throws Exception {
        Options options = new Options()
                .addOption(Option.builder().longOpt("master").hasArg().argName("URL")
                        .desc("Spark master, e.g. local[2]; default: spark-submit's, else local[*]").build())
                .addOption(Option.builder().longOpt("set").hasArg().argName("path=value")
                        .desc("override a config key (repeatable)").build())
                .addOption(Option.builder().longOpt("run-dir").hasArg().argName("DIR")
                        .desc("write the run here instead of runs/<name>").build())
                .addOption(Option.builder().longOpt("overwrite").desc("replace an existing run directory").build())
                .addOption(Option.builder().longOpt("help").desc("this text").build());
        if (Arrays.asList(args).contains("--help")) {
            help("spark search CONFIG [--set path=value]... [--run-dir DIR] [--overwrite] [--master URL]",
                    "Runs a config's search with each trial a Spark task (in a JVM of its own), then keeps the best"
                            + " trial's model as embtrain train does: the same trials.csv as the sequential search."
                            + " Needs search.sampler.type: random and search.pruner.type: none.", options,
                    "Example: ./embtrain spark search configs/quickstart.yaml --master local[2] --set"
                            + " 'search={trials: 4, sampler: {type: random}, pruner: {type: none}, space: [{key:"
                            + " training.optimizer.learning_rate, type: log-uniform, low: 1.0e-3, high: 1.0e-1}]}'");
            return 0;
        }
        CommandLine cl = new DefaultParser().parse(options, args);
        ConfigLoader.Loaded loaded = loadConfig(cl);
        requireSpark("search");
        dev.embtrain.training.spark.SparkSearch.check(loaded);
        dev.embtrain.training.spark.SparkRunner.search(cl.getOptionValue("master"), loaded,
                cl.hasOption("run-dir") ? Path.of(cl.getOptionValue("run-dir")) : null, cl.hasOption("overwrite"), out);
        return 0;
    }

    /** {@code spark prepare CONFIG --out DIR}: a ratings or sessions input encoded for train. */
    private int prepare(String[] args) throws Exception {
        Options options = new Options()
                .addOption(Option.builder().longOpt("master").hasArg().argName("URL")
                        .desc("Spark master, e.g. local[2]; default: spark-submit's, else local[*]").build())
                .addOption(Option.builder().longOpt("set").hasArg().argName("path=value")
                        .desc("override a config key (repeatable)").build())
                .addOption(Option.builder().longOpt("out").hasArg().argName("DIR").required()
                        .desc("the prepared directory; it must not exist").build())
                .addOption(Option.builder().longOpt("format").hasArg().argName("FORMAT")
                        .desc("csv, tsv or parquet; default: from dataset.path's name").build())
                .addOption(Option.builder().longOpt("help").desc("this text").build());
        if (Arrays.asList(args).contains("--help")) {
            help("spark prepare CONFIG --out DIR [--set path=value]... [--format csv|tsv|parquet] [--master URL]",
                    "Reads the config's dataset.path (dataset.type: ratings or sessions; one file, a directory or"
                            + " a glob of them, as Spark reads paths), checks every value as embtrain train does,"
                            + " and writes DIR: the vocabularies and the rows as vocabulary indices, in the input's"
                            + " order. Train on it with --set dataset.path=DIR: the same run as from the input,"
                            + " without parsing it.", options,
                    "Example: ./embtrain spark prepare configs/ratings-csv.yaml --master local[2] --out"
                            + " data/shop-prepared");
            return 0;
        }
        CommandLine cl = new DefaultParser().parse(options, args);
        ConfigLoader.Loaded loaded = loadConfig(cl);
        Path dir = Path.of(cl.getOptionValue("out"));
        requireSpark("prepare");
        String format;
        try {
            format = dev.embtrain.training.spark.SparkPrepare.check(loaded, dir, cl.getOptionValue("format"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("spark prepare: " + e.getMessage());
        }
        dev.embtrain.training.spark.SparkRunner.prepare(cl.getOptionValue("master"), loaded, format, dir, out);
        return 0;
    }

    private static void requireSpark(String job) {
        try {
            Class.forName("org.apache.spark.sql.SparkSession");
        } catch (ClassNotFoundException e) {
            throw new UsageException("spark: Apache Spark is not on the classpath; run ./embtrain spark ... (it adds"
                    + " training/target/spark-lib) or spark-submit --class dev.embtrain.training.spark.SparkMain"
                    + " training/target/embtrain.jar " + job + " ...");
        }
    }

    @Override
    int run(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            help(USAGE, WHAT, new Options(), "Example: ./embtrain spark neighbors --master local[2] --run"
                    + " runs/quickstart --table item -k 10 --all --out item-neighbors.parquet");
            return args.length == 0 ? Main.USAGE : 0;
        }
        String job = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (job.equals("search")) {
            return search(rest);
        }
        if (job.equals("prepare")) {
            return prepare(rest);
        }
        Options options = new Options()
                .addOption(Option.builder().longOpt("master").hasArg().argName("URL")
                        .desc("Spark master, e.g. local[2]; default: spark-submit's, else local[*]").build())
                .addOption(Option.builder().longOpt("run").hasArg().argName("DIR").required()
                        .desc("a run directory written by embtrain train").build())
                .addOption(Option.builder().longOpt("out").hasArg().argName("OUT").required()
                        .desc("OUT.parquet (a directory) or OUT.csv (one file)").build())
                .addOption(Option.builder().longOpt("help").desc("this text").build());
        String usage;
        String example;
        switch (job) {
            case "export" -> {
                usage = "spark export --run DIR --out OUT [--master URL]";
                example = "./embtrain spark export --master local[2] --run runs/quickstart --out tables.parquet";
            }
            case "neighbors" -> {
                options.addOption(Option.builder().longOpt("table").hasArg().argName("NAME")
                        .desc("the table (default item)").build())
                        .addOption(Option.builder("k").hasArg().argName("N").desc("neighbours a row (default 10)")
                                .build())
                        .addOption(Option.builder().longOpt("all").desc("every row of the table (required: the"
                                + " one-row search is embtrain neighbors)").build())
                        .addOption(Option.builder().longOpt("first").hasArg().argName("N").desc("query only the"
                                + " first N rows (against the whole table): a bounded run to time").build());
                usage = "spark neighbors --run DIR [--table NAME] [-k N] --all [--first N] --out OUT [--master URL]";
                example = "./embtrain spark neighbors --master local[2] --run runs/quickstart --table item -k 10 --all"
                        + " --out item-neighbors.parquet";
            }
            case "recommend" -> {
                options.addOption(Option.builder("k").hasArg().argName("N").desc("items a user (default 10)").build())
                        .addOption(Option.builder().longOpt("all").desc("every user of the run (required)").build())
                        .addOption(Option.builder().longOpt("include-seen").desc("keep items the user rated in"
                                + " training").build());
                usage = "spark recommend --run DIR [-k N] --all [--include-seen] --out OUT [--master URL]";
                example = "./embtrain spark recommend --master local[2] --run runs/quickstart -k 10 --all"
                        + " --out recs.parquet";
            }
            case "score" -> {
                options.addOption(Option.builder().longOpt("embeddings").hasArg().argName("PATH")
                        .desc("a labelled-embeddings run: a Parquet file or directory of rid and the run's vector"
                                + " column; or .csv and .npy files as embtrain score reads them (a file, a directory"
                                + " or a glob), one task a file").build())
                        .addOption(Option.builder().longOpt("ids").hasArg().argName("FILE")
                                .desc("the ids of a single .npy file (shards: NAME.ids.csv beside NAME.npy)").build())
                        .addOption(Option.builder().longOpt("pairs").hasArg().argName("FILE")
                                .desc("a ratings run: a Parquet or CSV (header) table with user and item columns")
                                .build())
                        .addOption(Option.builder().longOpt("batch").hasArg().argName("N")
                                .desc("rows scored together in a task (default 4096)").build());
                usage = "spark score --run DIR (--embeddings PATH [--ids FILE] | --pairs FILE) --out OUT [--batch N]"
                        + " [--master URL]";
                example = "./embtrain spark score --master local[2] --run runs/labelled-embeddings --embeddings"
                        + " embeddings.parquet --out scores.parquet";
            }
            default -> throw new UsageException("spark: unknown job \"" + job + "\"; expected export, neighbors,"
                    + " recommend, score, search or prepare (embtrain spark --help)");
        }
        if (Arrays.asList(rest).contains("--help")) {
            help(usage, WHAT, options, "Example: " + example);
            return 0;
        }
        CommandLine cl = new DefaultParser().parse(options, rest);
        if (!job.equals("export") && !job.equals("score") && !cl.hasOption("all")) {
            throw new UsageException("spark " + job + ": --all is required (one row or user at a time is embtrain "
                    + job + ")");
        }
        int batch = positive("spark " + job + ": --batch", cl.getOptionValue("batch", "4096"));
        if (job.equals("score") && cl.hasOption("embeddings") == cl.hasOption("pairs")) {
            throw new UsageException("spark score: give --embeddings (a labelled-embeddings run) or --pairs (a ratings"
                    + " run), one of them");
        }
        int k = job.equals("export") || job.equals("score") ? 0 : positive("spark " + job + ": -k", cl.getOptionValue("k", "10"));
        String bad = dev.embtrain.training.spark.OutputName.problem(cl.getOptionValue("out"));
        if (bad != null) {
            throw new UsageException("spark " + job + ": " + bad);
        }
        if (cl.hasOption("embeddings")) {
            try {
                dev.embtrain.training.spark.EmbeddingShards.list(cl.getOptionValue("embeddings"),
                        cl.getOptionValue("ids"));
            } catch (IllegalArgumentException e) {
                throw new UsageException("spark score: " + e.getMessage());
            }
        } else if (cl.hasOption("ids")) {
            throw new UsageException("spark score: --ids goes with --embeddings FILE.npy");
        }
        requireSpark(job);
        return dev.embtrain.training.spark.SparkRunner.run(job, cl.getOptionValue("master"), Path.of(cl.getOptionValue("run")),
                cl.getOptionValue("out"), k, cl.getOptionValue("table", "item"), cl.hasOption("include-seen"),
                cl.getOptionValue("embeddings"), cl.getOptionValue("ids"), cl.getOptionValue("pairs"), batch, cl.hasOption("first") ? positive("spark " + job
                        + ": --first", cl.getOptionValue("first")) : Integer.MAX_VALUE, out);
    }
}
