package dev.embtrain.training.spark;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.TableFile;
import dev.embtrain.datasets.tables.PreparedRatings;
import dev.embtrain.datasets.tables.RatingsFile;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.RatingsColumnsConfig;
import dev.embtrain.training.config.RatingsFileConfig;
import dev.embtrain.training.config.SplitConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
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
 * {@code embtrain spark prepare}: reads a {@code dataset.type: ratings} input that one machine
 * cannot parse (one large file, a directory or a glob of CSV, TSV or Parquet files), checks every
 * value as the single-machine reader does, builds the user and item vocabularies and writes the
 * ratings encoded as vocabulary indices ({@link PreparedRatings}). {@code embtrain train} reads
 * the result through {@code dataset.path}, as it would have read the input, without parsing it.
 *
 * <p>The rows keep the input's order (a row number taken as it is read, sorted on at the end), so
 * a seeded split of the prepared table is the split of the input file.
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
        if (!(loaded.config().dataset() instanceof RatingsFileConfig c)) {
            throw loaded.error("dataset.type", "spark prepare reads dataset.type: ratings (a table of your own)");
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
        String name = c.path().getFileName() == null ? "" : c.path().getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".parquet")) {
            return "parquet";
        }
        if (name.endsWith(".tsv") || name.endsWith(".tsv.gz")) {
            return "tsv";
        }
        if (name.endsWith(".csv") || name.endsWith(".csv.gz")) {
            return "csv";
        }
        throw loaded.error("dataset.path", "spark prepare cannot tell the format of \"" + c.path()
                + "\" from its name; give --format csv, tsv or parquet");
    }

    /** The config's columns, the split column where {@code split.type: column} names one. */
    static RatingsFile.Columns columns(RatingsFileConfig c) {
        RatingsColumnsConfig cols = c.columns();
        SplitConfig split = c.split();
        return new RatingsFile.Columns(cols.user(), cols.item(), cols.rating(), cols.timestamp(),
                split.type() == SplitConfig.SplitType.COLUMN ? split.column() : null);
    }

    /**
     * Prepares a config's ratings input.
     *
     * @param spark the session
     * @param loaded the config, {@code dataset.type: ratings}
     * @param format csv, tsv or parquet ({@link #check})
     * @param out the output directory, which must not exist; written beside it and renamed into
     *     place once complete
     * @param log progress lines
     * @return ratings written
     * @throws IOException when writing the manifest or the rename fails
     */
    public static long prepare(SparkSession spark, ConfigLoader.Loaded loaded, String format, Path out,
            PrintStream log) throws IOException {
        RatingsFileConfig c = (RatingsFileConfig) loaded.config().dataset();
        RatingsFile.Columns columns = columns(c);
        String input = c.path().toString();
        long started = System.nanoTime();
        Dataset<Row> raw = format.equals("parquet") ? spark.read().parquet(input)
                : spark.read().option("header", "true").option("sep", format.equals("tsv") ? "\t" : ",")
                        .option("quote", "\"").option("escape", "\"").option("mode", "FAILFAST").csv(input);
        List<String> names = new ArrayList<>(List.of(columns.user(), columns.item(), columns.rating()));
        if (columns.timestamp() != null) {
            names.add(columns.timestamp());
        }
        if (columns.split() != null) {
            names.add(columns.split());
        }
        List<String> have = List.of(raw.columns());
        for (String name : names) {
            if (!have.contains(name)) {
                throw new DataFormatException(c.path(), 0, "missing column \"" + name + "\"; found " + have);
            }
        }
        List<Column> selected = new ArrayList<>();
        names.forEach(n -> selected.add(raw.col(n)));
        selected.add(functions.input_file_name().as("file"));
        selected.add(functions.monotonically_increasing_id().as("row"));
        Dataset<Row> source = raw.select(selected.toArray(Column[]::new));
        int n = names.size();
        boolean time = columns.timestamp() != null;
        boolean split = columns.split() != null;
        JavaRDD<Row> parsed = source.javaRDD().map(r -> parse(r, names, time, split));
        StructType schema = new StructType().add("user", DataTypes.StringType).add("item", DataTypes.StringType)
                .add("rating", DataTypes.FloatType).add("timestamp", DataTypes.LongType)
                .add("split", DataTypes.IntegerType).add("row", DataTypes.LongType).add("error", DataTypes.StringType)
                .add("file", DataTypes.StringType);
        Dataset<Row> rows = spark.createDataFrame(parsed, schema).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<Row> bad = rows.filter(functions.col("error").isNotNull()).orderBy("row").select("file", "error")
                    .limit(1).collectAsList();
            if (!bad.isEmpty()) {
                throw new DataFormatException(Path.of(bad.get(0).getString(0)), 0, bad.get(0).getString(1));
            }
            long count = rows.count();
            if (count == 0) {
                throw new DataFormatException(c.path(), 0, "no ratings: the input has a header and no rows");
            }
            Path partial = out.toAbsolutePath().resolveSibling(out.getFileName() + ".partial");
            delete(partial);
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
            int parts = (int) Math.max(1, (count + rowsAPart - 1) / rowsAPart);
            Dataset<Row> table = rows.as("r")
                    .join(users.as("u"), functions.col("r.user").equalTo(functions.col("u.id")))
                    .join(items.as("i"), functions.col("r.item").equalTo(functions.col("i.id")))
                    .select(encoded.toArray(Column[]::new))
                    .repartitionByRange(parts, functions.col("row")).sortWithinPartitions("row").drop("row");
            table.write().parquet(partial.resolve("ratings").toString());
            users.coalesce(1).write().parquet(partial.resolve("users").toString());
            items.coalesce(1).write().parquet(partial.resolve("items").toString());
            long userCount = users.count();
            long itemCount = items.count();
            PreparedRatings.writeManifest(partial, input, count, userCount, itemCount, columns);
            Files.move(partial, out.toAbsolutePath(), StandardCopyOption.ATOMIC_MOVE);
            log.printf(Locale.ROOT, "prepared %,d ratings of %,d users and %,d items from %s into %s in %.1f s;"
                    + " train on it with --set dataset.path=%s%n", count, userCount, itemCount, input, out,
                    (System.nanoTime() - started) / 1e9, out);
            return count;
        } finally {
            rows.unpersist();
        }
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
        String file = r.getString(n);
        if (file.startsWith("file:")) {
            file = Path.of(java.net.URI.create(file)).toString();
        }
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

    private static String bad(String column, String value, String expected) {
        return "column \"" + column + "\": " + (value == null ? "null" : "\"" + TableFile.abbreviate(value) + "\"")
                + " is not " + expected;
    }

    /** A value as the single-machine reader sees it: text as is, numbers as Java writes them. */
    private static String text(Object v) {
        return v == null ? null : v.toString();
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
