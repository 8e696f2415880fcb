package dev.embtrain.training.spark;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.TableFile;
import dev.embtrain.datasets.tables.PreparedRatings;
import dev.embtrain.datasets.tables.PreparedSessions;
import dev.embtrain.datasets.tables.RatingsFile;
import dev.embtrain.datasets.tables.SessionsFile;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.RatingsFileConfig;
import dev.embtrain.training.config.SessionsFileConfig;
import dev.embtrain.training.run.RunDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code embtrain spark prepare}: reads a {@code dataset.type: ratings} or {@code sessions} input
 * that one machine cannot parse (one large file, a directory or a glob of CSV, TSV or Parquet
 * files), checks every value as the single-machine reader does, builds the vocabularies and writes
 * the rows encoded as vocabulary indices ({@link PreparedRatings}, {@link PreparedSessions}).
 * {@code embtrain train} reads the result through {@code dataset.path}, as it would have read the
 * input, without parsing it.
 *
 * <p>The rows keep the input's order (a row number taken as it is read, sorted on at the end), so
 * a seeded split of prepared ratings is the split of the input file, and prepared sessions list
 * their items as the single-machine reader orders them.
 */
public final class SparkPrepare {

    /** Prepared rows a part file, at most (a test makes it small to see the parts' order). */
    static long rowsAPart = 4_000_000;

    private SparkPrepare() {}

    /**
     * Checks what a prepare run needs before Spark starts.
     *
     * @param loaded the config
     * @param out the output directory
     * @param format csv, tsv or parquet, or null to take it from the input's name
     * @return the input's format
     * @throws FileAlreadyExistsException when the output exists
     */
    public static String check(ConfigLoader.Loaded loaded, Path out, String format) throws FileAlreadyExistsException {
        Path path;
        if (loaded.config().dataset() instanceof RatingsFileConfig c) {
            path = c.path();
        } else if (loaded.config().dataset() instanceof SessionsFileConfig c) {
            path = c.path();
            if (SessionsFile.isText(path)) {
                throw loaded.error("dataset.path", "spark prepare reads a table of events; a .txt file of one session"
                        + " a line is read as it streams, with nothing to prepare");
            }
        } else {
            throw loaded.error("dataset.type", "spark prepare reads dataset.type: ratings or sessions (a table of your"
                    + " own)");
        }
        if (Files.exists(out)) {
            throw new FileAlreadyExistsException(out.toString(), null, "exists; remove it or pick another --out");
        }
        if (format != null) {
            if (!List.of("csv", "tsv", "parquet").contains(format)) {
                throw new IllegalArgumentException("--format: \"" + format + "\" is not csv, tsv or parquet");
            }
            return format;
        }
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".parquet")) {
            return "parquet";
        }
        if (name.endsWith(".tsv") || name.endsWith(".tsv.gz")) {
            return "tsv";
        }
        if (name.endsWith(".csv") || name.endsWith(".csv.gz")) {
            return "csv";
        }
        throw loaded.error("dataset.path", "spark prepare cannot tell the format of \"" + path
                + "\" from its name; give --format csv, tsv or parquet");
    }

    /**
     * Prepares a config's ratings or sessions input.
     *
     * @param spark the session
     * @param loaded the config, {@code dataset.type: ratings} or {@code sessions}
     * @param format csv, tsv or parquet ({@link #check})
     * @param out the output directory, which must not exist; written beside it and renamed into
     *     place once complete
     * @param log progress lines
     * @throws IOException when writing the manifest or the rename fails
     */
    public static void prepare(SparkSession spark, ConfigLoader.Loaded loaded, String format, Path out,
            PrintStream log) throws IOException {
        long started = System.nanoTime();
        Path partial = out.toAbsolutePath().resolveSibling(out.getFileName() + ".partial");
        RunDirectory.deleteTree(partial);
        String summary;
        try {
            summary = loaded.config().dataset() instanceof RatingsFileConfig c ? ratings(spark, c, format, partial)
                    : sessions(spark, (SessionsFileConfig) loaded.config().dataset(), format, partial);
            Files.move(partial, out.toAbsolutePath(), StandardCopyOption.ATOMIC_MOVE);
        } catch (Exception e) {
            // (Scala's exceptions are undeclared: a failed job's SparkException is caught here too.)
            RunDirectory.deleteTree(partial);
            throw e;
        }
        log.printf(Locale.ROOT, "prepared %s into %s in %.1f s; train on it with --set dataset.path=%s%n", summary, out,
                (System.nanoTime() - started) / 1e9, out);
    }

    /** Reads the input's columns as they are, with each row's file and number in the input's order. */
    private static Dataset<Row> source(SparkSession spark, Path path, String format, List<String> names) {
        String input = path.toString();
        Dataset<Row> raw = format.equals("parquet") ? spark.read().parquet(input)
                : spark.read().option("header", "true").option("sep", format.equals("tsv") ? "\t" : ",")
                        .option("quote", "\"").option("escape", "\"").option("mode", "FAILFAST").csv(input);
        List<String> have = List.of(raw.columns());
        for (String name : names) {
            if (!have.contains(name)) {
                throw new DataFormatException(path, 0, "missing column \"" + name + "\"; found " + have);
            }
        }
        List<Column> selected = new ArrayList<>();
        names.forEach(n -> selected.add(raw.col(n)));
        selected.add(functions.input_file_name().as("file"));
        selected.add(functions.monotonically_increasing_id().as("row"));
        return raw.select(selected.toArray(Column[]::new));
    }

    /** Stops at the first row, in the input's order, whose error column is set; else counts the rows. */
    private static long check(Dataset<Row> rows, Path path, String what) {
        List<Row> bad = rows.filter(functions.col("error").isNotNull()).orderBy("row").select("file", "error")
                .limit(1).collectAsList();
        if (!bad.isEmpty()) {
            throw new DataFormatException(Path.of(bad.get(0).getString(0)), 0, bad.get(0).getString(1));
        }
        long count = rows.count();
        if (count == 0) {
            throw new DataFormatException(path, 0, "no " + what + ": the input has a header and no rows");
        }
        return count;
    }

    private static String ratings(SparkSession spark, RatingsFileConfig c, String format, Path partial)
            throws IOException {
        RatingsFile.Columns columns = c.tableColumns();
        List<String> names = new ArrayList<>(List.of(columns.user(), columns.item(), columns.rating()));
        if (columns.timestamp() != null) {
            names.add(columns.timestamp());
        }
        if (columns.split() != null) {
            names.add(columns.split());
        }
        boolean time = columns.timestamp() != null;
        boolean split = columns.split() != null;
        JavaRDD<Row> parsed = source(spark, c.path(), format, names).javaRDD().map(r -> parse(r, names, time, split));
        StructType schema = new StructType().add("user", DataTypes.StringType).add("item", DataTypes.StringType)
                .add("rating", DataTypes.FloatType).add("timestamp", DataTypes.LongType)
                .add("split", DataTypes.IntegerType).add("row", DataTypes.LongType).add("error", DataTypes.StringType)
                .add("file", DataTypes.StringType);
        Dataset<Row> rows = spark.createDataFrame(parsed, schema).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long count = check(rows, c.path(), "ratings");
            Dataset<Row> users = vocabulary(spark, rows, "user");
            Dataset<Row> items = vocabulary(spark, rows, "item");
            List<Column> encoded = new ArrayList<>(List.of(functions.col("u.index").as("user"),
                    functions.col("i.index").as("item"), functions.col("rating")));
            if (time) {
                encoded.add(functions.col("timestamp"));
            }
            if (split) {
                encoded.add(functions.col("split"));
            }
            encoded.add(functions.col("row"));
            Dataset<Row> table = rows.as("r")
                    .join(users.as("u"), functions.col("r.user").equalTo(functions.col("u.id")))
                    .join(items.as("i"), functions.col("r.item").equalTo(functions.col("i.id")))
                    .select(encoded.toArray(Column[]::new))
                    .repartitionByRange(parts(count), functions.col("row")).sortWithinPartitions("row").drop("row");
            table.write().parquet(partial.resolve("ratings").toString());
            users.coalesce(1).write().parquet(partial.resolve("users").toString());
            items.coalesce(1).write().parquet(partial.resolve("items").toString());
            long userCount = users.count();
            long itemCount = items.count();
            PreparedRatings.writeManifest(partial, c.path().toString(), count, userCount, itemCount, columns);
            return String.format(Locale.ROOT, "%,d ratings of %,d users and %,d items from %s", count, userCount,
                    itemCount, c.path());
        } finally {
            rows.unpersist();
        }
    }

    private static String sessions(SparkSession spark, SessionsFileConfig c, String format, Path partial)
            throws IOException {
        SessionsFile.Columns columns = c.tableColumns();
        List<String> names = new ArrayList<>(List.of(columns.session(), columns.item()));
        if (columns.order() != null) {
            names.add(columns.order());
        }
        if (columns.label() != null) {
            names.add(columns.label());
        }
        boolean order = columns.order() != null;
        boolean label = columns.label() != null;
        JavaRDD<Row> parsed = source(spark, c.path(), format, names).javaRDD()
                .map(r -> parseEvent(r, names, order, label));
        StructType schema = new StructType().add("session", DataTypes.StringType).add("item", DataTypes.StringType)
                .add("order", DataTypes.DoubleType).add("label", DataTypes.StringType).add("row", DataTypes.LongType)
                .add("error", DataTypes.StringType).add("file", DataTypes.StringType);
        Dataset<Row> rows = spark.createDataFrame(parsed, schema).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long count = check(rows, c.path(), "sessions");
            // Sessions are indexed in the order of their first row, as the single-machine reader lists them.
            Dataset<Row> firsts = rows.groupBy("session").agg(functions.min("row").as("first")).orderBy("first");
            JavaRDD<Row> indexed = firsts.javaRDD().zipWithIndex()
                    .map(t -> RowFactory.create(Math.toIntExact(t._2()), t._1().getString(0)));
            Dataset<Row> sessions = spark.createDataFrame(indexed, new StructType()
                    .add("index", DataTypes.IntegerType, false).add("id", DataTypes.StringType, false))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            // An item's label is its first non-blank one in the input's order.
            Dataset<Row> labels = rows.filter(functions.col("label").isNotNull()).groupBy("item")
                    .agg(functions.min_by(functions.col("label"), functions.col("row")).as("label"));
            Dataset<Row> items = vocabulary(spark, rows, "item");
            Dataset<Row> labelled = items.as("v").join(labels.as("l"),
                            functions.col("v.id").equalTo(functions.col("l.item")), "left")
                    .select(functions.col("v.index"), functions.col("v.id"), functions.col("v.count"),
                            functions.col("l.label"));
            Dataset<Row> events = rows.as("r")
                    .join(sessions.as("s"), functions.col("r.session").equalTo(functions.col("s.id")))
                    .join(items.as("i"), functions.col("r.item").equalTo(functions.col("i.id")))
                    .select(functions.col("s.index").as("session"), functions.col("i.index").as("item"),
                            functions.col("r.order").as("order"), functions.col("r.row").as("row"))
                    .repartitionByRange(parts(count), functions.col("session"), functions.col("order"),
                            functions.col("row"))
                    .sortWithinPartitions("session", "order", "row").select("session", "item");
            events.write().parquet(partial.resolve("events").toString());
            sessions.coalesce(1).write().parquet(partial.resolve("sessions").toString());
            labelled.coalesce(1).write().parquet(partial.resolve("items").toString());
            long sessionCount = sessions.count();
            long itemCount = items.count();
            PreparedSessions.writeManifest(partial, c.path().toString(), count, sessionCount, itemCount, columns);
            return String.format(Locale.ROOT, "%,d events in %,d sessions of %,d items from %s", count, sessionCount,
                    itemCount, c.path());
        } finally {
            rows.unpersist();
        }
    }

    private static int parts(long rows) {
        return (int) Math.max(1, (rows + rowsAPart - 1) / rowsAPart);
    }

    /** Distinct ids with their counts, indexed from 0 by descending count, then id. */
    private static Dataset<Row> vocabulary(SparkSession spark, Dataset<Row> rows, String column) {
        Dataset<Row> counted = rows.groupBy(column).count()
                .orderBy(functions.col("count").desc(), functions.col(column).asc());
        JavaRDD<Row> indexed = counted.javaRDD().zipWithIndex()
                .map(t -> RowFactory.create(Math.toIntExact(t._2()), t._1().getString(0), t._1().getLong(1)));
        StructType schema = new StructType().add("index", DataTypes.IntegerType, false)
                .add("id", DataTypes.StringType, false).add("count", DataTypes.LongType, false);
        return spark.createDataFrame(indexed, schema).persist(StorageLevel.MEMORY_AND_DISK());
    }

    /**
     * One input row, checked as {@link RatingsFile} checks it: an id is a non-empty value, a
     * rating a finite number, a timestamp unix seconds or ISO-8601, a split train, validation
     * (valid) or test. A value that is not is an error naming the file, the column and the value.
     */
    static Row parse(Row r, List<String> names, boolean time, boolean split) {
        int n = names.size();
        String file = file(r.getString(n));
        long row = r.getLong(n + 1);
        String user = text(r.get(0));
        String item = text(r.get(1));
        String rating = text(r.get(2));
        String error = null;
        Float value = RatingsFile.parseRating(rating);
        Long timestamp = 0L;
        int part = RatingsFile.TRAIN;
        if (user == null || user.isEmpty()) {
            error = "column \"" + names.get(0) + "\" is empty";
        } else if (item == null || item.isEmpty()) {
            error = "column \"" + names.get(1) + "\" is empty";
        } else if (value == null) {
            error = bad(names.get(2), rating, RatingsFile.EXPECTED_RATING);
        } else if (time && (timestamp = RatingsFile.parseTimestamp(text(r.get(3)))) == null) {
            error = bad(names.get(3), text(r.get(3)), RatingsFile.EXPECTED_TIMESTAMP);
        } else if (split && (part = RatingsFile.parseSplit(text(r.get(n - 1)))) < 0) {
            error = bad(names.get(n - 1), text(r.get(n - 1)), RatingsFile.EXPECTED_SPLIT);
        }
        if (error != null) {
            error = "a row" + (user == null || user.isEmpty() ? "" : " of user \"" + user + "\"") + ": " + error;
        }
        return RowFactory.create(user, item, value, timestamp, part, row, error, error == null ? null : file);
    }

    /**
     * One event, checked as {@link SessionsFile} checks it: ids non-empty, an order a number or
     * an ISO-8601 date-time; a blank label is none, a label is stripped.
     */
    static Row parseEvent(Row r, List<String> names, boolean order, boolean label) {
        int n = names.size();
        String file = file(r.getString(n));
        long row = r.getLong(n + 1);
        String session = text(r.get(0));
        String item = text(r.get(1));
        Double position = 0.0;
        String error = null;
        if (session == null || session.isEmpty()) {
            error = "column \"" + names.get(0) + "\" is empty";
        } else if (item == null || item.isEmpty()) {
            error = "column \"" + names.get(1) + "\" is empty";
        } else if (order && (position = SessionsFile.parseOrder(text(r.get(2)))) == null) {
            error = bad(names.get(2), text(r.get(2)), SessionsFile.EXPECTED_ORDER);
        }
        if (error != null) {
            error = "a row" + (session == null || session.isEmpty() ? "" : " of session \"" + session + "\"") + ": "
                    + error;
        }
        String l = label ? text(r.get(n - 1)) : null;
        return RowFactory.create(session, item, position, l == null || l.isBlank() ? null : l.strip(), row, error,
                error == null ? null : file);
    }

    /** The path of Spark's {@code input_file_name()}, a {@code file:} URI for a local file. */
    private static String file(String name) {
        return name.startsWith("file:") ? Path.of(java.net.URI.create(name)).toString() : name;
    }

    private static String bad(String column, String value, String expected) {
        return "column \"" + column + "\": " + (value == null ? "null" : "\"" + TableFile.abbreviate(value) + "\"")
                + " is not " + expected;
    }

    /** A value as the single-machine reader sees it: text as is, numbers as Java writes them. */
    private static String text(Object v) {
        return v == null ? null : v.toString();
    }
}
