package dev.embtrain.training.spark;

import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** Runs one {@code embtrain spark} job in a session it starts and stops. */
public final class SparkRunner {

    private SparkRunner() {}

    /**
     * Runs a search, a trial per Spark task.
     *
     * @param master the master, or null
     * @param loaded the config, with a search section
     * @param runDir the run directory, or null for runs/NAME
     * @param overwrite whether an existing run may be replaced
     * @param log status lines
     * @throws Exception when the search fails
     */
    public static void search(String master, dev.embtrain.training.config.ConfigLoader.Loaded loaded, Path runDir,
            boolean overwrite, PrintStream log) throws Exception {
        SparkSession spark = SparkJobs.session("embtrain search", master);
        try {
            SparkSearch.search(spark, loaded, runDir, overwrite, log);
        } finally {
            spark.stop();
        }
    }

    /**
     * Prepares a ratings input for train ({@link SparkPrepare}).
     *
     * @param master the master, or null
     * @param loaded the config, {@code dataset.type: ratings}
     * @param format csv, tsv or parquet
     * @param out the output directory
     * @param log status lines
     * @throws Exception when reading, checking or writing fails
     */
    public static void prepare(String master, dev.embtrain.training.config.ConfigLoader.Loaded loaded, String format,
            Path out, PrintStream log) throws Exception {
        SparkSession spark = SparkJobs.session("embtrain prepare", master);
        try {
            SparkPrepare.prepare(spark, loaded, format, out, log);
        } catch (Exception e) {
            throw dataError(e);
        } finally {
            spark.stop();
        }
    }

    /**
     * Runs a job.
     *
     * @param job export, neighbors or recommend
     * @param master the master, or null for spark-submit's (else local[*])
     * @param run the run directory
     * @param out the output
     * @param k neighbours or items per row
     * @param table the neighbours' table
     * @param includeSeen whether recommendations keep training items
     * @param embeddings the Parquet table (or .csv and .npy shards) score reads for a labelled-embeddings run,
     *     or null
     * @param ids the ids of a single .npy file, or null
     * @param pairs the table of user, item pairs score reads for a ratings run, or null
     * @param batch rows score scores together
     * @param first how many rows neighbors queries, from the first
     * @param log progress lines
     * @return the exit status, 0
     * @throws Exception when the job fails
     */
    public static int run(String job, String master, Path run, String out, int k, String table, boolean includeSeen,
            String embeddings, String ids, String pairs, int batch, int first, PrintStream log) throws Exception {
        SparkSession spark = SparkJobs.session("embtrain " + job, master);
        try {
            switch (job) {
                case "export" -> SparkJobs.export(spark, run, out, log);
                case "neighbors" -> SparkJobs.neighbors(spark, run, table, k, first, out, log);
                case "recommend" -> SparkJobs.recommend(spark, run, k, includeSeen, out, log);
                case "score" -> {
                    if (embeddings != null) {
                        SparkJobs.score(spark, run, embeddings, ids, batch, out, log);
                    } else {
                        SparkJobs.scorePairs(spark, run, pairs, batch, out, log);
                    }
                }
                default -> throw new IllegalArgumentException("unknown job " + job);
            }
        } catch (Exception e) {
            throw dataError(e);
        } finally {
            spark.stop();
        }
        return 0;
    }

    /**
     * A task's bad input, as the single-machine command reports it: the {@code DataFormatException}
     * (file, line, what) inside Spark's "Job aborted due to stage failure", else the exception itself.
     */
    static Exception dataError(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof dev.embtrain.datasets.io.DataFormatException d) {
                return d;
            }
        }
        return e;
    }
}
