package dev.embtrain.training.spark;

import static dev.embtrain.training.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.datasets.tables.PreparedRatings;
import dev.embtrain.datasets.tables.PreparedSessions;
import dev.embtrain.datasets.tables.RatingsFile;
import dev.embtrain.datasets.tables.SessionsFile;
import dev.embtrain.training.cli.CliRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code embtrain spark prepare} in local[2]: the prepared directory reads back as exactly the
 * table the single-machine reader makes of the input, row for row, from an input Spark reads in
 * several partitions into several parts, and trains the same run.
 */
class SparkPrepareTest {

    @TempDir
    static Path tmp;

    private static Path csv;

    private static final RatingsFile.Columns COLUMNS = new RatingsFile.Columns("customer", "product", "stars", "ts",
            "part");

    @BeforeAll
    static void write() throws Exception {
        StringBuilder sb = new StringBuilder("customer,product,stars,ts,part\n");
        String[] parts = {"train", "train", "train", "valid", "test", "validation"};
        for (int i = 0; i < 3000; i++) {
            // Ids with a comma and doubled quotes, ISO and unix timestamps, half stars.
            String item = i % 7 == 0 ? "\"item, \"\"" + (i % 53) + "\"\"\"" : "p" + (i % 53);
            String ts = i % 2 == 0 ? Long.toString(1_600_000_000L + i * 37L) : "2020-03-" + (10 + i % 9) + " 08:26:0"
                    + (i % 10);
            sb.append('u').append(i * 7 % 97).append(',').append(item).append(',').append(1 + (i * 13 % 9) / 2.0)
                    .append(',').append(ts).append(',').append(parts[i % parts.length]).append('\n');
        }
        csv = Files.writeString(tmp.resolve("ratings.csv"), sb.toString());
    }

    private static Path config(String name, Path data, String columns) throws Exception {
        return Files.writeString(tmp.resolve(name + ".yaml"), """
                name: %s
                seed: 3
                dataset:
                  type: ratings
                  path: %s
                  columns: %s
                  split: {type: column, column: part}
                model: {type: dot-product-bias, factors: 4, y_range: [0.5, 5.5]}
                training: {epochs: 2, batch_size: 128, optimizer: {type: adamw, learning_rate: 0.02}, progress: false}
                export: {embeddings: [], plots: false}
                """.formatted(name, data, columns));
    }

    /** Runs spark prepare in local[2] reading 8 KB input partitions and writing rowsAPart rows a part. */
    private static Result prepareInSmallParts(Path config, Path out, long rowsAPart) {
        long saved = SparkPrepare.rowsAPart;
        SparkPrepare.rowsAPart = rowsAPart;
        System.setProperty("spark.sql.files.maxPartitionBytes", "8192");
        try {
            return run("spark", "prepare", config.toString(), "--master", "local[2]", "--out", out.toString());
        } finally {
            SparkPrepare.rowsAPart = saved;
            System.clearProperty("spark.sql.files.maxPartitionBytes");
        }
    }

    private static final String CONFIG_COLUMNS = "{user: customer, item: product, rating: stars, timestamp: ts}";

    @Test
    void thePreparedTableIsTheInputRowForRowAndTrainsTheSameRun() throws Exception {
        Path out = tmp.resolve("prepared");
        Result r = prepareInSmallParts(config("input", csv, CONFIG_COLUMNS), out, 700);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("prepared 3,000 ratings of 97 users and 106 items from " + csv + " into " + out),
                r.out() + r.err());
        try (Stream<Path> s = Files.list(out.resolve("ratings"))) {
            assertEquals(5, s.filter(p -> p.getFileName().toString().endsWith(".parquet")).count());
        }
        RatingsFile.Read expected = RatingsFile.read(csv, COLUMNS);
        RatingsFile.Read got = PreparedRatings.read(out, COLUMNS);
        assertArrayEquals(expected.table().users(), got.table().users());
        assertArrayEquals(expected.table().items(), got.table().items());
        assertArrayEquals(expected.table().ratings(), got.table().ratings());
        assertArrayEquals(expected.table().timestamps(), got.table().timestamps());
        assertArrayEquals(expected.splits(), got.splits());
        assertEquals(List.copyOf(expected.table().itemLabels().entrySet()),
                List.copyOf(got.table().itemLabels().entrySet()));
        assertFalse(Files.exists(tmp.resolve("prepared.partial")));

        Result fromCsv = run("train", config("input", csv, CONFIG_COLUMNS).toString(), "--run-dir",
                tmp.resolve("run-csv").toString());
        Result fromPrepared = run("train", config("input", out, CONFIG_COLUMNS).toString(), "--run-dir",
                tmp.resolve("run-prepared").toString());
        assertEquals(0, fromPrepared.status(), fromPrepared.err());
        assertEquals(best(fromCsv.out()), best(fromPrepared.out()));

        Result other = run("train", config("other", out, "{user: customer, item: product, rating: stars}").toString(),
                "--run-dir", tmp.resolve("run-other").toString());
        assertEquals(1, other.status());
        assertEquals("embtrain: " + out.resolve("prepared.properties") + ": prepared from columns user=customer,"
                + " item=product, rating=stars, timestamp=ts, split=part, but the config reads user=customer,"
                + " item=product, rating=stars, split=part: prepare it again with this config\n", other.err());

        Result again = run("spark", "prepare", config("input", csv, CONFIG_COLUMNS).toString(), "--master",
                "local[1]", "--out", out.toString());
        assertEquals(2, again.status());
        assertEquals("embtrain: " + out + ": exists; remove it or pick another --out\n", again.err());
    }

    private static String best(String out) {
        return out.lines().filter(l -> l.startsWith("best epoch")).findFirst().orElseThrow(() -> new AssertionError(out));
    }

    @Test
    void preparedSessionsAreTheInputsSessionsAndTrainTheSameRun() throws Exception {
        // Events of 400 sessions interleaved, orders as positions, unix times and ISO date-times (ties
        // kept in input order), labels blank, repeated or padded.
        StringBuilder sb = new StringBuilder("sid,iid,when,title\n");
        for (int i = 0; i < 4000; i++) {
            int session = i * 31 % 400;
            String when = session % 3 == 0 ? Integer.toString((i * 17) % 11) : session % 3 == 1
                    ? Long.toString(1_700_000_000L + (i * 7919L) % 50) : "2026-01-0" + (1 + i % 9) + "T10:00:00Z";
            String title = i % 5 == 0 ? "" : i % 5 == 1 ? "  item " + (i % 61) + "  " : "item " + (i % 61) + " #" + i;
            sb.append('s').append(session).append(",i").append(i * 13 % 61).append(',').append(when).append(',')
                    .append(title).append('\n');
        }
        Path events = Files.writeString(tmp.resolve("events.csv"), sb.toString());
        String yaml = """
                name: %s
                seed: 3
                dataset:
                  type: sessions
                  path: %s
                  columns: {session: sid, item: iid, order: when, label: title}
                  evaluation: {validation: 40, test: 40, seed: 1}
                model: {type: embedding-bag, vector_size: 8, window: 2, negative: 2}
                training: {epochs: 1, batch_size: 256, progress: false}
                export: {embeddings: [], plots: false}
                """;
        Path out = tmp.resolve("sessions-prepared");
        Result r = prepareInSmallParts(Files.writeString(tmp.resolve("s.yaml"), yaml.formatted("s", events)), out,
                1000);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("prepared 4,000 events in 400 sessions of 61 items from " + events + " into "
                + out), r.out());
        SessionsFile.Columns columns = new SessionsFile.Columns("sid", "iid", "when", "title");
        SessionsFile.Read expected = SessionsFile.read(events, columns);
        SessionsFile.Read got = PreparedSessions.read(out, columns);
        assertEquals(expected.sessions(), got.sessions());
        assertEquals(expected.labels(), got.labels());
        assertEquals(expected.rows(), got.rows());

        Result fromCsv = run("train", Files.writeString(tmp.resolve("s.yaml"), yaml.formatted("s", events))
                .toString(), "--run-dir", tmp.resolve("run-s-csv").toString());
        Result fromPrepared = run("train", Files.writeString(tmp.resolve("s.yaml"), yaml.formatted("s", out))
                .toString(), "--run-dir", tmp.resolve("run-s-prepared").toString());
        assertEquals(0, fromPrepared.status(), fromPrepared.err());
        assertEquals(best(fromCsv.out()), best(fromPrepared.out()));

        Result ratings = run("train", config("wrong", out, CONFIG_COLUMNS).toString(), "--run-dir",
                tmp.resolve("run-wrong").toString());
        assertEquals("embtrain: " + out.resolve("prepared.properties") + ": format is \"embtrain-prepared-sessions-1\","
                + " expected embtrain-prepared-ratings-1: prepare it again with this version's embtrain spark prepare"
                + " and this dataset type\n", ratings.err());
    }

    @Test
    void aValueTheReaderRefusesNamesTheFileTheColumnAndTheValue() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.csv"), "customer,product,stars,ts,part\nu1,p1,4,1600000000,train\n"
                + "u2,p2,four,1600000001,train\nu3,p3,3,yesterday,valid\n");
        Result r = run("spark", "prepare", config("bad", bad, CONFIG_COLUMNS).toString(), "--master", "local[1]",
                "--out", tmp.resolve("bad-prepared").toString());
        assertEquals(1, r.status());
        assertEquals("embtrain: " + bad + ": a row of user \"u2\": column \"stars\": \"four\" is not a number\n",
                r.err());
        assertFalse(Files.exists(tmp.resolve("bad-prepared")));

        Result format = run("spark", "prepare", config("bad", bad, CONFIG_COLUMNS).toString(), "--format", "xlsx",
                "--out", tmp.resolve("x").toString());
        assertEquals(2, format.status());
        assertEquals("embtrain: spark prepare: --format: \"xlsx\" is not csv, tsv or parquet\n", format.err());

        Result notRatings = run("spark", "prepare", "../configs/quickstart.yaml", "--out",
                tmp.resolve("q").toString());
        assertEquals(2, notRatings.status());
        assertTrue(notRatings.err().startsWith("embtrain: dataset.type: spark prepare reads dataset.type: ratings or"
                + " sessions"),
                notRatings.err());
    }
}
