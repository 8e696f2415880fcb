package dev.embtrain.training.cli;

import dev.embtrain.training.train.ConfigChecks;
import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.training.config.ConfigException;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.engine.FitResult;
import dev.embtrain.training.export.Neighbors;
import dev.embtrain.training.kinds.Command;
import dev.embtrain.training.kinds.RunKind;
import dev.embtrain.training.run.SavedRun;
import dev.embtrain.training.train.Training;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * The {@code embtrain} command line. Exit status: 0 on success, 2 for a usage or config error
 * (nothing was trained), 1 for a failure at run time. Errors are one line on stderr;
 * {@code --verbose} adds the stack trace.
 */
public final class Main {

    /** Exit status of a usage or config error. */
    public static final int USAGE = 2;
    /** Exit status of a run-time failure. */
    public static final int FAILURE = 1;
    /** Exit status of a run stopped by SIGINT or SIGTERM (128 + SIGINT's 2, as shells report it). */
    public static final int INTERRUPTED = 130;

    private static final String OVERVIEW = """
            embtrain - train embedding models with DJL from one YAML file

            Usage:
              embtrain train CONFIG [--set path=value]... [--run-dir DIR] [--overwrite] [--resume]
              embtrain evaluate --run DIR [--set path=value]...
              embtrain neighbors --run DIR --table NAME --query LABEL [-k N]
              embtrain export --run DIR --serving OUT [--overwrite]
              embtrain score --run DIR --embeddings FILE --out FILE [--ids FILE] [--batch N]
              embtrain predict --run DIR --in FILE --out FILE [--ids FILE] [--batch N]
              embtrain benchmark CONFIG... [--set path=value]... [--steps N]
              embtrain COMMAND --help

            Commands:
              train      train the model a YAML config describes; writes runs/<name>/ with the
                         resolved config, metrics.csv, the best epoch's parameters, vocabularies
                         and embeddings (TensorBoard Projector TSV and .npy)
              evaluate   re-read a run's data and score its validation split with the saved model
                         (the best epoch's metric again; item2vec and labelled runs add test scores)
              neighbors  print the rows of a trained table most cosine-similar to one row
              export     write a run as a model directory DJL Serving loads (JSON in and out: ratings,
                         item neighbours, feature-value vectors, classifier scores)
              score      write rid,score for every id of an embeddings file with a labelled-embeddings
                         run's classifier, streaming in batches
              predict    answer a whole file through the run's DJL Serving translator, in batches: a CSV
                         of user,item pairs (ratings runs) or vectors (labelled-embeddings runs)
              benchmark  train each config, of any kind (runs go to a temporary directory), and print
                         seconds per epoch, samples per second and the monitored metric

            Examples:
              ./embtrain train configs/quickstart.yaml
              ./embtrain train configs/movielens-dot-bias.yaml --set dataset.path=data/ml-100k
              ./embtrain train configs/quickstart.yaml --set training.epochs=3 --set model.factors=16 --overwrite
              ./embtrain neighbors --run runs/movielens-dot-bias --table item --query "Star Wars (1977)" -k 10
              ./embtrain train configs/online-retail-item2vec.yaml
              ./embtrain neighbors --run runs/online-retail-item2vec --query "WHITE HANGING HEART T-LIGHT HOLDER"
              ./embtrain benchmark configs/movielens-dot-bias.yaml configs/movielens-dot-bias-batch1024.yaml \\
                  --set dataset.path=data/ml-100k

            Options for every command:
              --verbose  print stack traces with errors
              --help     this text, or a command's own
              --version  versions of embtrain, DJL and the engine, and the GPUs it sees

            Every run records its kind (ratings, sessions, implicit, labelled); a command its kind
            does not support exits 2 and names the commands it has.
            Exit status: 0 success, 2 usage or config error (nothing trained), 1 failure at run time,
            130 stopped by Ctrl-C or SIGTERM (the last checkpoint is kept: train CONFIG --resume).
            Config keys are listed in the README (section "Config reference").
            """;

    private final PrintStream out;
    private final PrintStream err;

    /**
     * Creates a CLI writing to the given streams.
     *
     * @param out standard output
     * @param err standard error
     */
    public Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the CLI and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(new Main(System.out, System.err).run(args));
    }

    /**
     * Runs a command.
     *
     * @param args the arguments
     * @return the exit status
     */
    public int run(String[] args) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        String[] rest = Arrays.stream(args).filter(a -> !a.equals("--verbose")).toArray(String[]::new);
        if (rest.length == 0 || rest[0].equals("--help") || rest[0].equals("-h") || rest[0].equals("help")) {
            out.print(OVERVIEW);
            return rest.length == 0 ? USAGE : 0;
        }
        if (rest[0].equals("--version") || rest[0].equals("version")) {
            return version();
        }
        String command = rest[0];
        String[] commandArgs = Arrays.copyOfRange(rest, 1, rest.length);
        try {
            return switch (command) {
                case "train" -> train(commandArgs);
                case "neighbors" -> neighbors(commandArgs);
                case "benchmark" -> benchmark(commandArgs);
                case "export" -> export(commandArgs);
                case "evaluate" -> evaluate(commandArgs);
                case "score" -> LabelledCommands.score(out, commandArgs);
                case "predict" -> predict(commandArgs);
                default -> {
                    err.println("embtrain: unknown command \"" + command + "\"; expected train, evaluate, score, predict, neighbors, export or benchmark"
                            + " (embtrain --help lists them)");
                    yield USAGE;
                }
            };
        } catch (dev.embtrain.training.engine.TrainingInterrupted e) {
            return fail(INTERRUPTED, e.getMessage(), e, verbose);
        } catch (ParseException e) {
            return fail(USAGE, command + ": " + e.getMessage() + " (embtrain " + command + " --help)", e, verbose);
        } catch (ConfigException e) {
            return fail(USAGE, e.getMessage(), e, verbose);
        } catch (FileAlreadyExistsException e) {
            return fail(USAGE, e.getFile() + ": " + e.getReason(), e, verbose);
        } catch (NoSuchFileException e) {
            return fail(USAGE, e.getFile() + ": " + (e.getReason() == null ? "no such file" : e.getReason()), e,
                    verbose);
        } catch (UsageException e) {
            return fail(USAGE, e.getMessage(), e, verbose);
        } catch (DataFormatException e) {
            return fail(FAILURE, e.getMessage(), e, verbose);
        } catch (Exception | LinkageError e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return fail(FAILURE, message.lines().findFirst().orElse(message), e, verbose);
        }
    }

    private int version() {
        // Initialises the engine: also what a Docker build runs to fetch the CUDA natives once.
        ai.djl.engine.Engine engine = ai.djl.engine.Engine.getInstance();
        out.println("embtrain " + java.util.Objects.requireNonNullElse(Main.class.getPackage().getImplementationVersion(),
                "(development build)"));
        out.println("DJL " + ai.djl.engine.Engine.getDjlVersion() + ", " + engine.getEngineName() + " "
                + engine.getVersion() + ", GPUs visible: " + engine.getGpuCount());
        out.println("java " + System.getProperty("java.version") + ", commit "
                + System.getProperty("embtrain.git.commit", "unknown"));
        return 0;
    }

    private int fail(int status, String message, Throwable e, boolean verbose) {
        err.println("embtrain: " + message);
        if (verbose) {
            e.printStackTrace(err);
        }
        return status;
    }

    private int train(String[] args) throws Exception {
        Options options = new Options()
                .addOption(Option.builder().longOpt("set").hasArg().argName("path=value")
                        .desc("override a config key, e.g. training.epochs=10 (repeatable; the value is YAML)").build())
                .addOption(Option.builder().longOpt("run-dir").hasArg().argName("DIR")
                        .desc("write the run here instead of runs/<name>").build())
                .addOption(Option.builder().longOpt("overwrite")
                        .desc("replace an existing run directory (one embtrain wrote) once the new run has finished")
                        .build())
                .addOption(Option.builder().longOpt("resume")
                        .desc("continue the run that Ctrl-C, SIGTERM or a crash left in runs/<name>.partial/ from its"
                                + " last checkpoint; only training.epochs may differ").build())
                .addOption(Option.builder().longOpt("help").desc("this text").build());
        CommandLine cl = new DefaultParser().parse(options, args);
        if (cl.hasOption("help")) {
            help("train CONFIG [options]", "Trains the model a YAML config describes.", options,
                    "Example: ./embtrain train configs/quickstart.yaml --set training.epochs=3");
            return 0;
        }
        List<String> positional = cl.getArgList();
        if (positional.size() != 1) {
            throw new UsageException("train: expected one CONFIG file, found " + positional.size()
                    + (positional.isEmpty() ? "" : " " + positional) + " (embtrain train --help)");
        }
        String[] sets = cl.getOptionValues("set");
        ConfigLoader.Loaded loaded = ConfigLoader.load(Path.of(positional.get(0)),
                sets == null ? List.of() : List.of(sets));
        Path runDir = cl.hasOption("run-dir") ? Path.of(cl.getOptionValue("run-dir")) : null;
        ConsoleProgress progress = new ConsoleProgress(out, err,
                loaded.config().training().progress() && System.console() != null);
        Training.Outcome o;
        // Ctrl-C and SIGTERM finish the step in progress and keep the last checkpoint.
        try (Signals stop = Signals.install()) {
            o = new Training(loaded, runDir, cl.hasOption("overwrite"), List.of(progress), out::println)
                    .resuming(cl.hasOption("resume")).stoppedBy(stop::requested).run();
        }
        if (o.bestTrial() != null) {
            out.println(String.format(Locale.ROOT, "best trial %d: %s %.4f %s", o.bestTrial().number(),
                    o.monitor().name(), o.monitor().higherIsBetter() ? o.bestTrial().value() : -o.bestTrial().value(),
                    o.bestTrial().params()));
        }
        out.println(bestEpochLine(o.fit()));
        if (o.fit().stoppedEarly()) {
            out.println(String.format("stopped early: no improvement for %d epochs",
                    loaded.config().training().earlyStopping().patience()));
        }
        o.summary().forEach(out::println);
        out.println("run      " + o.runDir());
        return 0;
    }

    /** {@code best epoch 3 of 5: valid_mse 0.8123, ...}: the kept epoch's validation metrics. */
    static String bestEpochLine(FitResult fit) {
        EpochRecord best = fit.best();
        StringBuilder summary = new StringBuilder(String.format(Locale.ROOT, "best epoch %d of %d", best.epoch(),
                fit.history().size()));
        int n = 0;
        for (Map.Entry<String, Double> m : best.valid().entrySet()) {
            summary.append(n++ == 0 ? ": " : ", ").append(String.format(Locale.ROOT, "%s %.4f", m.getKey(),
                    m.getValue()));
        }
        if (best.valid().isEmpty()) {
            summary.append(String.format(Locale.ROOT, ": train_loss %.4f", best.trainLoss()));
        }
        return summary.toString();
    }

    /**
     * Refuses a command that a run's kind does not support: a usage error naming the commands it has.
     *
     * @param run the run
     * @param command the command
     * @param why what does support it, appended to the message, or empty
     */
    static void require(SavedRun run, Command command, String why) {
        RunKind kind = run.kind();
        if (!kind.commands().contains(command)) {
            throw new UsageException(command.cli() + ": " + run.dir() + " is a " + kind.name() + " run, which supports "
                    + kind.commands().stream().map(Command::cli).collect(java.util.stream.Collectors.joining(", "))
                    + why);
        }
    }

    private int neighbors(String[] args) throws Exception {
        Options options = new Options()
                .addOption(Option.builder().longOpt("run").hasArg().argName("DIR").required()
                        .desc("a run directory written by embtrain train").build())
                .addOption(Option.builder().longOpt("table").hasArg().argName("NAME")
                        .desc("the table to search (default item), or all: every table as wide as the query's,"
                                + " queried as table:label; a run lists its tables on error").build())
                .addOption(Option.builder().longOpt("query").hasArg().argName("LABEL").required()
                        .desc("the row's label or id, e.g. a movie title, a user id, a product description or"
                                + " StockCode").build())
                .addOption(Option.builder("k").hasArg().argName("N").desc("how many neighbours (default 10)").build())
                .addOption(Option.builder().longOpt("help").desc("this text").build());
        if (Arrays.asList(args).contains("--help")) {
            help("neighbors --run DIR --query LABEL [--table NAME] [-k N]",
                    "Prints the rows most cosine-similar to one row of a trained embedding table.", options,
                    "Example: ./embtrain neighbors --run runs/movielens-dot-bias --table item"
                            + " --query \"Star Wars (1977)\" -k 10\nAcross tables: ./embtrain neighbors --run"
                            + " runs/movielens-dot-bias --table all --query \"item:Star Wars (1977)\"");
            return 0;
        }
        CommandLine cl = new DefaultParser().parse(options, args);
        int k = positive("neighbors: -k", cl.getOptionValue("k", "10"));
        String table = cl.getOptionValue("table", "item");
        try (SavedRun run = SavedRun.open(Path.of(cl.getOptionValue("run")))) {
            require(run, Command.NEIGHBORS, "");
            List<Neighbors.Table> tables;
            try {
                tables = run.tables();
            } catch (IllegalArgumentException e) {
                throw new UsageException("neighbors: " + e.getMessage());
            }
            if (table.equals(ALL_TABLES)) {
                // Cosine between one-number rows is only their sign: such tables take no part.
                return printAcrossTables(tables.stream().filter(t -> t.vectors().length > 0
                        && t.vectors()[0].length >= 2).toList(), cl.getOptionValue("query"), k);
            }
            List<String> names = tables.stream().map(Neighbors.Table::name).toList();
            Neighbors.Table t = tables.stream().filter(x -> x.name().equals(table)).findFirst().orElseThrow(() ->
                    new UsageException("neighbors: no table \"" + table + "\" in this run; its tables are " + names));
            int query;
            try {
                query = run.findRow(t, cl.getOptionValue("query"));
            } catch (IllegalArgumentException e) {
                throw new UsageException("neighbors: " + e.getMessage());
            }
            if (t.vectors()[0].length < 2) {
                // Cosine between 1-D rows is only their sign: every row would tie with half the table.
                throw new UsageException("neighbors: table " + table + " holds one number per row, so cosine"
                        + " similarity means nothing; sort embeddings/" + table + ".tsv instead, or pick one of "
                        + names);
            }
            List<Neighbors.Neighbor> found = Neighbors.nearest(t.vectors(), t.labels(), query, k, t.exclude());
            out.println("nearest to \"" + t.labels().get(query) + "\" in table " + table + " (cosine similarity):");
            for (Neighbors.Neighbor n : found) {
                out.println(String.format(Locale.ROOT, "%8.4f  %s", n.cosine(), n.label()));
            }
        }
        return 0;
    }

    /** The --table value that searches every table as wide as the query's (feat2vec's kNN over all values). */
    static final String ALL_TABLES = "all";

    private int printAcrossTables(List<Neighbors.Table> all, String query, int k) {
        int[] at;
        try {
            at = Neighbors.findQualifiedLabel(all, query);
        } catch (IllegalArgumentException e) {
            throw new UsageException("neighbors: " + e.getMessage());
        }
        Neighbors.Table home = all.get(at[0]);
        // Tables of other widths live in other spaces (fastai's rule sizes user and item apart).
        int width = home.vectors()[0].length;
        List<Neighbors.Table> same = all.stream().filter(t -> t.vectors()[0].length == width).toList();
        if (at[1] == 0 && home.exclude().contains(0)) {
            throw new UsageException("neighbors: row 0 of table " + home.name() + " is the unknown slot;"
                    + " query a trained value");
        }
        List<Neighbors.TableNeighbor> found = Neighbors.nearestAcross(same, home.name(), at[1], k);
        out.println("nearest to \"" + home.name() + ":" + home.labels().get(at[1]) + "\" in tables "
                + same.stream().map(Neighbors.Table::name).toList() + " (cosine similarity):");
        for (Neighbors.TableNeighbor n : found) {
            out.println(String.format(Locale.ROOT, "%8.4f  %s", n.cosine(), n.qualifiedLabel()));
        }
        return 0;
    }

    private int evaluate(String[] args) throws Exception {
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

    private int export(String[] args) throws Exception {
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

    private int predict(String[] args) throws Exception {
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

    private int benchmark(String[] args) throws Exception {
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
            return cl.hasOption("help") ? 0 : USAGE;
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

    /**
     * Parses a whole number &gt; 0 given on the command line.
     *
     * @param option the command and option, for the message ({@code predict: --batch})
     * @param value what was given
     * @return the number
     * @throws UsageException naming the option when it is not a whole number &gt; 0
     */
    static int positive(String option, String value) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " expects a whole number, found \"" + value + "\"");
        }
        if (n < 1) {
            throw new UsageException(option + " must be > 0, found " + n);
        }
        return n;
    }

    private void help(String usage, String what, Options options, String example) {
        PrintWriter pw = new PrintWriter(out);
        new HelpFormatter().printHelp(pw, 100, "embtrain " + usage, what, options, 2, 2, example);
        pw.flush();
    }

    /** A command line that cannot be acted on; exit status 2. */
    public static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }
}
