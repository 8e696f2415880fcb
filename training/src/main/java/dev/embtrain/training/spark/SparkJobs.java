package dev.embtrain.training.spark;

import dev.embtrain.training.export.BlockedNeighbors;
import dev.embtrain.training.export.Neighbors;
import dev.embtrain.training.kinds.LabelledScorer;
import dev.embtrain.training.recommend.Recommender;
import dev.embtrain.training.run.SavedRun;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The work of {@code embtrain spark}: each job reads a run on the driver, spreads the rows to
 * score over Spark tasks, and writes one table ({@link SparkOutput}). Training stays on one
 * machine: DJL has no multi-machine training, and an embedding model's steps are too small to
 * gain from one.
 *
 * <ul>
 *   <li>{@link #export}: every table of a run as (table, row, label, vector).</li>
 *   <li>{@link #neighbors}: the top-k cosine neighbours of every row of a table; the table is
 *       broadcast, the query rows are split over tasks, and each task searches a block of rows
 *       at a time with one matrix product ({@link BlockedNeighbors}), rescoring the candidates
 *       as {@code embtrain neighbors} scores them.</li>
 *   <li>{@link #recommend}: every user's top-k unseen items; the run directory is shipped to the
 *       executors ({@code SparkContext.addFile}), each task opens it once and recommends a block of
 *       users at a time as {@code embtrain recommend --all} does ({@link Recommender}).</li>
 * </ul>
 */
public final class SparkJobs {

    /** Users recommended for together inside a task. */
    private static final int USER_BLOCK = 1024;

    private SparkJobs() {}

    /**
     * Starts (or joins) a Spark session: the given master, or spark-submit's, else
     * {@code local[*]}; for a local master the UI is off and the driver binds to 127.0.0.1.
     *
     * @param app the application name
     * @param master the master, or null
     * @return the session
     */
    public static SparkSession session(String app, String master) {
        SparkSession.Builder b = SparkSession.builder().appName(app);
        String m = master != null ? master : System.getProperty("spark.master", "local[*]");
        b.master(m);
        if (m.startsWith("local")) {
            b.config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1");
        }
        return b.getOrCreate();
    }

    /**
     * Ships a run directory to every executor ({@code SparkContext.addFile}, recursively).
     *
     * @param spark the session
     * @param dir the run
     * @return the name a task opens it by, through {@code SparkFiles.get}
     */
    private static String ship(SparkSession spark, Path dir) {
        Path run = dir.toAbsolutePath().normalize();
        spark.sparkContext().addFile(run.toString(), true);
        return run.getFileName().toString();
    }

    /** Refuses a table that lacks a column a job reads, naming the columns it has. */
    private static Dataset<Row> columns(Dataset<Row> table, String source, String... needed) {
        java.util.Set<String> names = new java.util.HashSet<>(java.util.Arrays.asList(table.columns()));
        for (String column : needed) {
            if (!names.contains(column)) {
                throw new IllegalArgumentException(source + " has no column \"" + column + "\"; its columns are "
                        + java.util.Arrays.toString(table.columns()));
            }
        }
        return table;
    }

    private static final StructType EXPORT = new StructType().add("table", DataTypes.StringType, false)
            .add("row", DataTypes.IntegerType, false).add("label", DataTypes.StringType, true)
            .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    /**
     * Writes every table of a run, one row per table row.
     *
     * @param spark the session
     * @param dir the run
     * @param out the output
     * @param log progress lines
     * @return rows written
     * @throws Exception when reading or writing fails
     */
    public static long export(SparkSession spark, Path dir, String out, PrintStream log) throws Exception {
        SparkOutput.check(out);
        List<Row> rows = new ArrayList<>();
        try (SavedRun run = SavedRun.open(dir)) {
            for (Neighbors.Table t : run.tables()) {
                for (int r = 0; r < t.vectors().length; r++) {
                    rows.add(RowFactory.create(t.name(), r, t.labels().get(r), boxed(t.vectors()[r])));
                }
            }
        }
        Dataset<Row> df = spark.createDataFrame(rows, EXPORT);
        Dataset<Row> written = out.endsWith(".csv") ? df.withColumn("vector",
                org.apache.spark.sql.functions.array_join(df.col("vector").cast("array<string>"), " ")) : df;
        SparkOutput.write(written, out);
        log.println(String.format(Locale.ROOT, "wrote %,d rows of %s to %s", rows.size(), dir, out));
        return rows.size();
    }

    private static Float[] boxed(float[] v) {
        Float[] b = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i];
        }
        return b;
    }

    private static final StructType NEIGHBORS = new StructType().add("query", DataTypes.StringType, true)
            .add("query_row", DataTypes.IntegerType, false).add("rank", DataTypes.IntegerType, false)
            .add("neighbor", DataTypes.StringType, true).add("neighbor_row", DataTypes.IntegerType, false)
            .add("cosine", DataTypes.DoubleType, false);

    /**
     * Writes the top-k neighbours of every row of a table (its excluded rows, such as the
     * unknown row 0, neither queried nor returned).
     *
     * @param spark the session
     * @param dir the run
     * @param table the table's name
     * @param k neighbours per row
     * @param first how many rows to query, from the first (all: {@code Integer.MAX_VALUE})
     * @param out the output
     * @param log progress lines
     * @return rows queried
     * @throws Exception when reading or writing fails
     */
    public static long neighbors(SparkSession spark, Path dir, String table, int k, int first, String out,
            PrintStream log) throws Exception {
        SparkOutput.check(out);
        Neighbors.Table t;
        try (SavedRun run = SavedRun.open(dir)) {
            List<Neighbors.Table> tables = run.tables();
            t = tables.stream().filter(x -> x.name().equals(table)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("no table \"" + table + "\" in " + dir + "; its tables are "
                            + tables.stream().map(Neighbors.Table::name).toList()));
        }
        if (t.vectors().length == 0 || t.vectors()[0].length < 2) {
            throw new IllegalArgumentException("table " + table + " holds one number per row, so cosine similarity"
                    + " means nothing");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<float[][]> vectors = jsc.broadcast(t.vectors());
        Broadcast<List<String>> labels = jsc.broadcast(new ArrayList<>(t.labels()));
        Set<Integer> exclude = new java.util.HashSet<>(t.exclude());
        List<Integer> queries = new ArrayList<>();
        for (int r = 0; r < t.vectors().length && queries.size() < first; r++) {
            if (!exclude.contains(r)) {
                queries.add(r);
            }
        }
        int slices = Math.max(jsc.defaultParallelism(), queries.size() / 4096);
        JavaRDD<Row> rows = jsc.parallelize(queries, slices).mapPartitions((Iterator<Integer> part) -> {
            List<String> l = labels.value();
            List<Row> found = new ArrayList<>();
            List<Integer> ids = new ArrayList<>();
            part.forEachRemaining(ids::add);
            if (ids.isEmpty()) {
                return found.iterator();
            }
            try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager();
                    BlockedNeighbors search = new BlockedNeighbors(new Neighbors.Table(table, vectors.value(), l,
                            exclude), manager)) {
                int block = search.blockSize();
                for (int from = 0; from < ids.size(); from += block) {
                    int[] rowsOf = ids.subList(from, Math.min(ids.size(), from + block)).stream()
                            .mapToInt(Integer::intValue).toArray();
                    List<List<Neighbors.Neighbor>> near = search.nearest(rowsOf, k);
                    for (int b = 0; b < rowsOf.length; b++) {
                        for (int j = 0; j < near.get(b).size(); j++) {
                            Neighbors.Neighbor n = near.get(b).get(j);
                            found.add(RowFactory.create(l.get(rowsOf[b]), rowsOf[b], j + 1, n.label(), n.index(),
                                    n.cosine()));
                        }
                    }
                }
            }
            return found.iterator();
        });
        Dataset<Row> df = spark.createDataFrame(rows, NEIGHBORS);
        SparkOutput.write(df, out);
        log.println(String.format(Locale.ROOT, "wrote the %d nearest of each of %,d rows of table %s (%,d rows) to %s",
                k, queries.size(), table, t.vectors().length, out));
        return queries.size();
    }

    private static final StructType SCORES = new StructType().add("rid", DataTypes.StringType, false)
            .add("score", DataTypes.FloatType, false);

    /**
     * Writes rid, score (the probability of label 1) for every row of a Parquet table (a file or
     * a directory of part files) of rid and the run's vector column, or of {@code .csv} and
     * {@code .npy} shards ({@link EmbeddingShards}), with a labelled-embeddings run's
     * preprocessing and classifier: each task opens the shipped run once and scores
     * {@code batch} rows at a time, as {@code embtrain score} does.
     *
     * @param spark the session
     * @param dir the labelled-embeddings run
     * @param embeddings the Parquet table, or the shards
     * @param npyIds the ids of a single .npy file, or null
     * @param batch rows scored together
     * @param out the output
     * @param log progress lines
     * @return rows scored
     * @throws Exception when reading or writing fails
     */
    public static long score(SparkSession spark, Path dir, String embeddings, String npyIds, int batch, String out,
            PrintStream log) throws Exception {
        SparkOutput.check(out);
        List<String[]> shards = EmbeddingShards.list(embeddings, npyIds);
        if (shards != null) {
            return scoreShards(spark, dir, embeddings, shards, batch, out, log);
        }
        String column;
        try (LabelledScorer.Opened scorer = LabelledScorer.open(dir)) {
            column = scorer.column();
        }
        Dataset<Row> input = columns(spark.read().parquet(embeddings), embeddings, "rid", column);
        Dataset<Row> rowsIn = input.select(input.col("rid").cast("string"), input.col(column).cast("array<float>"));
        String name = ship(spark, dir);
        org.apache.spark.util.LongAccumulator scored = spark.sparkContext().longAccumulator("scored");
        JavaRDD<Row> rows = rowsIn.javaRDD().mapPartitions((Iterator<Row> part) -> {
            List<Row> found = new ArrayList<>();
            if (!part.hasNext()) {
                return found.iterator();
            }
            try (LabelledScorer.Opened scorer = LabelledScorer.open(Path.of(SparkFiles.get(name)))) {
                String[] ids = new String[batch];
                float[][] vectors = new float[batch][];
                while (part.hasNext()) {
                    int n = 0;
                    while (n < batch && part.hasNext()) {
                        Row r = part.next();
                        List<Float> v = r.getList(1);
                        if (r.isNullAt(0) || v == null || v.size() != scorer.rawWidth()) {
                            throw new IllegalArgumentException("row " + (r.isNullAt(0) ? "with a null rid" : "rid "
                                    + r.getString(0)) + ": expected " + scorer.rawWidth() + " values in " + column
                                    + ", found " + (v == null ? "none" : v.size()));
                        }
                        float[] x = new float[v.size()];
                        for (int j = 0; j < x.length; j++) {
                            Float f = v.get(j);
                            if (f == null) {
                                throw new IllegalArgumentException("rid " + r.getString(0) + ": " + column + "[" + j
                                        + "] is null");
                            }
                            x[j] = f;
                        }
                        ids[n] = r.getString(0);
                        vectors[n++] = x;
                    }
                    float[] p = scorer.probabilities(vectors, n);
                    for (int i = 0; i < n; i++) {
                        found.add(RowFactory.create(ids[i], p[i]));
                    }
                    scored.add(n);
                }
            }
            return found.iterator();
        });
        SparkOutput.write(spark.createDataFrame(rows, SCORES), out);
        log.println(String.format(Locale.ROOT, "scored %,d ids of %s; wrote %s", scored.value(), embeddings, out));
        return scored.value();
    }

    /**
     * Scores shard files ({@link EmbeddingShards}): one task a shard, each streaming its file
     * through the reader {@code embtrain score} uses, so every row is parsed and checked as there
     * (ids unique within a shard).
     */
    private static long scoreShards(SparkSession spark, Path dir, String embeddings, List<String[]> shards, int batch,
            String out, PrintStream log) throws Exception {
        String name = ship(spark, dir);
        org.apache.spark.util.LongAccumulator scored = spark.sparkContext().longAccumulator("scored");
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(shards, shards.size()).mapPartitions((Iterator<String[]> part) -> {
                    List<Row> found = new ArrayList<>();
                    if (!part.hasNext()) {
                        return found.iterator();
                    }
                    try (LabelledScorer.Opened scorer = LabelledScorer.open(Path.of(SparkFiles.get(name)))) {
                        while (part.hasNext()) {
                            String[] shard = part.next();
                            dev.embtrain.datasets.labelled.EmbeddingsFile file =
                                    new dev.embtrain.datasets.labelled.EmbeddingsFile(Path.of(shard[0]),
                                            scorer.column(), shard[1] == null ? null : Path.of(shard[1]));
                            dev.embtrain.datasets.labelled.EmbeddingsFile.ChunkHandler score = chunk -> {
                                float[] p = scorer.probabilities(chunk.vectors(), chunk.size());
                                for (int i = 0; i < chunk.size(); i++) {
                                    found.add(RowFactory.create(chunk.ids()[i], p[i]));
                                }
                                scored.add(chunk.size());
                            };
                            if (shard[2] == null) {
                                file.stream(batch, scorer.rawWidth(), true, score);
                            } else {
                                file.streamRows(Long.parseLong(shard[2]), Long.parseLong(shard[3]), batch,
                                        scorer.rawWidth(), score);
                            }
                        }
                    }
                    return found.iterator();
                });
        SparkOutput.write(spark.createDataFrame(rows, SCORES), out);
        log.println(String.format(Locale.ROOT, "scored %,d ids of %s (%d task%s); wrote %s", scored.value(),
                embeddings, shards.size(), shards.size() == 1 ? "" : "s", out));
        return scored.value();
    }

    private static final StructType PAIR_SCORES = new StructType().add("user", DataTypes.StringType, false)
            .add("item", DataTypes.StringType, false).add("score", DataTypes.FloatType, false);

    /**
     * Writes user, item, score for every pair of a table (Parquet, or CSV with a header) with a
     * user and an item column, with a ratings run's model: each task opens the shipped run once
     * and scores {@code batch} pairs at a time through {@link SavedRun#predict}, as
     * {@code embtrain predict} and DJL Serving do (side features from the run's tables).
     *
     * @param spark the session
     * @param dir the ratings run
     * @param pairs the table of pairs
     * @param batch pairs scored together
     * @param out the output
     * @param log progress lines
     * @return pairs scored
     * @throws Exception when reading or writing fails
     */
    public static long scorePairs(SparkSession spark, Path dir, String pairs, int batch, String out,
            PrintStream log) throws Exception {
        SparkOutput.check(out);
        Dataset<Row> input = columns(pairs.endsWith(".csv") ? spark.read().option("header", "true").csv(pairs)
                : spark.read().parquet(pairs), pairs, "user", "item");
        Dataset<Row> rowsIn = input.select(input.col("user").cast("string"), input.col("item").cast("string"));
        String name = ship(spark, dir);
        org.apache.spark.util.LongAccumulator scored = spark.sparkContext().longAccumulator("scored");
        JavaRDD<Row> rows = rowsIn.javaRDD().mapPartitions((Iterator<Row> part) -> {
            List<Row> found = new ArrayList<>();
            if (!part.hasNext()) {
                return found.iterator();
            }
            try (SavedRun shipped = SavedRun.open(Path.of(SparkFiles.get(name)))) {
                while (part.hasNext()) {
                    List<String> users = new ArrayList<>();
                    List<String> items = new ArrayList<>();
                    while (users.size() < batch && part.hasNext()) {
                        Row r = part.next();
                        users.add(r.getString(0));
                        items.add(r.getString(1));
                    }
                    float[] s = shipped.predict(users, items);
                    for (int i = 0; i < s.length; i++) {
                        found.add(RowFactory.create(users.get(i), items.get(i), s[i]));
                    }
                    scored.add(s.length);
                }
            }
            return found.iterator();
        });
        SparkOutput.write(spark.createDataFrame(rows, PAIR_SCORES), out);
        log.println(String.format(Locale.ROOT, "scored %,d pairs of %s; wrote %s", scored.value(), pairs, out));
        return scored.value();
    }

    private static final StructType RECOMMENDATIONS = new StructType().add("user", DataTypes.StringType, false)
            .add("item", DataTypes.StringType, false).add("rank", DataTypes.IntegerType, false)
            .add("score", DataTypes.FloatType, false);

    /**
     * Writes every user's top-k items, columns user, item, rank, score, as
     * {@code embtrain recommend --all} does.
     *
     * @param spark the session
     * @param dir the ratings run
     * @param k items per user
     * @param includeSeen whether items rated in training may be recommended
     * @param out the output
     * @param log progress lines
     * @return users recommended for
     * @throws Exception when reading or writing fails
     */
    public static long recommend(SparkSession spark, Path dir, int k, boolean includeSeen, String out,
            PrintStream log) throws Exception {
        SparkOutput.check(out);
        List<String> users;
        try (SavedRun run = SavedRun.open(dir)) {
            users = new Recommender(run, includeSeen).users();
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String name = ship(spark, dir);
        int slices = Math.max(jsc.defaultParallelism(), users.size() / (16 * USER_BLOCK));
        JavaRDD<Row> rows = jsc.parallelize(new ArrayList<>(users), slices).mapPartitions((Iterator<String> part) -> {
            List<String> ids = new ArrayList<>();
            part.forEachRemaining(ids::add);
            List<Row> found = new ArrayList<>();
            if (ids.isEmpty()) {
                return found.iterator();
            }
            try (SavedRun shipped = SavedRun.open(Path.of(SparkFiles.get(name)))) {
                Recommender r = new Recommender(shipped, includeSeen);
                for (int from = 0; from < ids.size(); from += USER_BLOCK) {
                    List<String> block = ids.subList(from, Math.min(ids.size(), from + USER_BLOCK));
                    List<List<Recommender.Item>> tops = r.recommend(block, k);
                    for (int u = 0; u < block.size(); u++) {
                        List<Recommender.Item> top = tops.get(u);
                        for (int j = 0; j < top.size(); j++) {
                            found.add(RowFactory.create(block.get(u), top.get(j).item(), j + 1, top.get(j).score()));
                        }
                    }
                }
            }
            return found.iterator();
        });
        Dataset<Row> df = spark.createDataFrame(rows, RECOMMENDATIONS);
        SparkOutput.write(df, out);
        log.println(String.format(Locale.ROOT, "wrote the top %d of %,d users to %s", k, users.size(), out));
        return users.size();
    }
}
