package dev.embtrain.training.cli;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.training.config.ConfigException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.List;
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
                             [--cross-validate]
              embtrain evaluate --run DIR [--set path=value]...
              embtrain neighbors --run DIR --table NAME --query LABEL [-k N]
              embtrain recommend --run DIR (--user ID | --users FILE | --all) [-k N] [--out FILE]
              embtrain export --run DIR --serving OUT [--overwrite]
              embtrain spark export|neighbors|recommend --run DIR --out OUT [--master URL] ...
              embtrain score --run DIR --embeddings FILE --out FILE [--ids FILE] [--batch N]
              embtrain predict --run DIR --in FILE --out FILE [--ids FILE] [--batch N]
              embtrain benchmark CONFIG... [--set path=value]... [--steps N]
              embtrain config CONFIG [--set path=value]... [--no-data]
              embtrain init MODEL_TYPE [--dataset TYPE] [--set path=value]... [--out FILE]
              embtrain lr-find CONFIG [--set path=value]... [--start RATE] [--end RATE] [--steps N]
              embtrain generate ratings|sessions --out DIR [--format csv|tsv|parquet]
              embtrain COMMAND --help

            Commands:
              train      train the model a YAML config describes; writes runs/<name>/ with the
                         resolved config, metrics.csv, the best epoch's parameters, vocabularies
                         and embeddings (TensorBoard Projector TSV and .npy)
              evaluate   re-read a run's data and score its validation split with the saved model
                         (the best epoch's metric again; item2vec and labelled runs add test scores)
              neighbors  print the rows of a trained table most cosine-similar to one row
              recommend  the top-k items for a user, a list of users or every user (a ratings run),
                         leaving out what each rated in training; --out writes CSV or Parquet
              export     write a run as a model directory DJL Serving loads (JSON in and out: ratings,
                         item neighbours, feature-value vectors, classifier scores)
              spark      on Apache Spark (local[N] or a cluster through spark-submit): every table of a
                         run, every row's neighbours or every user's top-k, as Parquet or CSV
              score      write rid,score for every id of an embeddings file with a labelled-embeddings
                         run's classifier, streaming in batches
              predict    answer a whole file through the run's DJL Serving translator, in batches: a CSV
                         of user,item pairs (ratings runs) or vectors (labelled-embeddings runs)
              benchmark  train each config, of any kind (runs go to a temporary directory), and print
                         seconds per epoch, samples per second and the monitored metric
              config     print a config with its defaults filled in, its kind and monitored metric,
                         and check it (and read its data, unless --no-data) without training
              init       write a starter config: every key of a model type on a dataset type, with its
                         default and what it means
              lr-find    fastai's learning-rate finder: the loss as the rate rises, a PNG and a
                         suggested rate
              generate   write example tables a user would have (a shop's ratings, users and items,
                         or its clickstream, as CSV, TSV or Parquet) for dataset.type: ratings or
                         sessions; no download

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
            Config keys are listed in docs/config-reference.md.
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
        CliCommand found = commands().stream().filter(c -> c.name.equals(command)).findFirst().orElse(null);
        if (found == null) {
            List<String> names = commands().stream().map(c -> c.name).toList();
            err.println("embtrain: unknown command \"" + command + "\"; expected "
                    + String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1)
                    + " (embtrain --help lists them)");
            return USAGE;
        }
        try {
            return found.run(commandArgs);
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

    /** Every command, in the order the overview lists them. */
    private List<CliCommand> commands() {
        return List.of(new TrainCommand(out, err), new EvaluateCommand(out, err), new ScoreCommand(out, err),
                new PredictCommand(out, err), new NeighborsCommand(out, err), new RecommendCommand(out, err),
                new ExportCommand(out, err), new SparkCommand(out, err),
                new BenchmarkCommand(out, err), new ConfigCommand(out, err), new InitCommand(out, err), new LrFindCommand(out, err),
                new GenerateCommand(out, err));
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

}
