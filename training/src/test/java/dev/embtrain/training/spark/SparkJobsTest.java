package dev.embtrain.training.spark;

import static dev.embtrain.training.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.datasets.synthetic.SyntheticMovieLens;
import dev.embtrain.training.cli.CliRun.Result;
import dev.embtrain.training.export.Neighbors;
import dev.embtrain.training.recommend.Recommender;
import dev.embtrain.training.run.SavedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code embtrain spark} in local[2]: every job's table equals what the single-machine command
 * computes, row for row.
 */
class SparkJobsTest {

    @TempDir
    static Path tmp;

    private static Path runDir;

    @BeforeAll
    static void train() throws Exception {
        Path ml = tmp.resolve("ml");
        SyntheticMovieLens.write(new SyntheticMovieLens.Spec(60, 40, 1200, 2, 0.5, 3), ml);
        Path config = Files.writeString(tmp.resolve("dot.yaml"), """
                name: dot
                seed: 5
                dataset: {type: movielens, path: %s, item_key: id}
                model: {type: dot-product-bias, factors: 4, y_range: [0.5, 5.5]}
                training: {epochs: 2, batch_size: 64, optimizer: {type: adamw, learning_rate: 0.02}, progress: false}
                export: {embeddings: [], plots: false}
                """.formatted(ml));
        runDir = tmp.resolve("run");
        Result r = run("train", config.toString(), "--run-dir", runDir.toString());
        assertEquals(0, r.status(), r.err());
    }

    private static List<Row> read(String path) {
        SparkSession spark = SparkJobs.session("read", "local[1]");
        try {
            return path.endsWith(".csv") ? spark.read().option("header", "true").csv(path).collectAsList()
                    : spark.read().parquet(path).collectAsList();
        } finally {
            spark.stop();
        }
    }

    @Test
    void neighborsOfEveryRowEqualTheSingleMachineSearch() throws Exception {
        String out = tmp.resolve("near.parquet").toString();
        Result r = run("spark", "neighbors", "--master", "local[2]", "--run", runDir.toString(), "--table", "item",
                "-k", "5", "--all", "--out", out);
        assertEquals(0, r.status(), r.err());
        Map<Integer, Map<Integer, Row>> got = new HashMap<>();
        for (Row row : read(out)) {
            got.computeIfAbsent(row.getInt(1), q -> new HashMap<>()).put(row.getInt(2), row);
        }
        try (SavedRun saved = SavedRun.open(runDir)) {
            Neighbors.Table t = saved.tables().stream().filter(x -> x.name().equals("item")).findFirst()
                    .orElseThrow();
            int queried = 0;
            for (int q = 0; q < t.vectors().length; q++) {
                if (t.exclude().contains(q)) {
                    assertFalse(got.containsKey(q), "excluded row " + q + " was queried");
                    continue;
                }
                queried++;
                List<Neighbors.Neighbor> expected = Neighbors.nearest(t.vectors(), t.labels(), q, 5, t.exclude());
                Map<Integer, Row> ranks = got.get(q);
                assertEquals(expected.size(), ranks.size(), "row " + q);
                for (int j = 0; j < expected.size(); j++) {
                    Row row = ranks.get(j + 1);
                    assertEquals(t.labels().get(q), row.getString(0));
                    assertEquals(expected.get(j).index(), row.getInt(4), "row " + q + " rank " + (j + 1));
                    assertEquals(expected.get(j).label(), row.getString(3));
                    assertEquals(expected.get(j).cosine(), row.getDouble(5), 1e-12);
                }
            }
            assertEquals(queried, got.size());
        }
        // Nothing is written over.
        Result again = run("spark", "neighbors", "--master", "local[2]", "--run", runDir.toString(), "--all",
                "--out", out);
        assertEquals(2, again.status());
        assertEquals("embtrain: " + out + ": exists; remove it or pick another --out\n", again.err());
    }

    @Test
    void everyUsersTopKEqualsRecommend() throws Exception {
        String out = tmp.resolve("recs.csv").toString();
        Result r = run("spark", "recommend", "--master", "local[2]", "--run", runDir.toString(), "-k", "4", "--all",
                "--out", out);
        assertEquals(0, r.status(), r.err());
        List<String> lines = Files.readAllLines(Path.of(out));
        assertEquals("user,item,rank,score", lines.get(0));
        Map<String, String[]> got = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            got.put(f[0] + "#" + f[2], f);
        }
        try (SavedRun saved = SavedRun.open(runDir)) {
            Recommender rec = new Recommender(saved, false);
            List<String> users = rec.users();
            List<List<Recommender.Item>> tops = rec.recommend(users, 4);
            int rows = 0;
            for (int u = 0; u < users.size(); u++) {
                for (int j = 0; j < tops.get(u).size(); j++) {
                    String[] f = got.get(users.get(u) + "#" + (j + 1));
                    assertEquals(tops.get(u).get(j).item(), f[1], users.get(u) + " rank " + (j + 1));
                    assertEquals(tops.get(u).get(j).score(), Float.parseFloat(f[3]), 1e-6);
                    rows++;
                }
            }
            assertEquals(rows, lines.size() - 1);
        }
    }

    @Test
    void exportWritesEveryTableRowByRow() throws Exception {
        String out = tmp.resolve("tables.parquet").toString();
        Result r = run("spark", "export", "--master", "local[2]", "--run", runDir.toString(), "--out", out);
        assertEquals(0, r.status(), r.err());
        Map<String, Row> got = new HashMap<>();
        for (Row row : read(out)) {
            got.put(row.getString(0) + "#" + row.getInt(1), row);
        }
        try (SavedRun saved = SavedRun.open(runDir)) {
            int rows = 0;
            for (Neighbors.Table t : saved.tables()) {
                for (int i = 0; i < t.vectors().length; i++) {
                    Row row = got.get(t.name() + "#" + i);
                    assertEquals(t.labels().get(i), row.getString(2));
                    List<Float> v = row.getList(3);
                    float[] vector = new float[v.size()];
                    for (int j = 0; j < vector.length; j++) {
                        vector[j] = v.get(j);
                    }
                    assertArrayEquals(t.vectors()[i], vector);
                    rows++;
                }
            }
            assertEquals(rows, got.size());
        }
    }

    /** A labelled-embeddings classifier scores a Parquet table as embtrain score scores the file. */
    @Test
    void scoresEqualTheSingleMachineScores() throws Exception {
        Path data = tmp.resolve("labelled");
        Path config = Files.writeString(tmp.resolve("labelled.yaml"), """
                name: labelled
                dataset: {type: synthetic-labelled-embeddings, path: %s, ids: 3000, width: 6, format: parquet}
                model: {type: wide-and-deep, layers: [8]}
                training: {epochs: 2, batch_size: 64, progress: false}
                export: {plots: false}
                """.formatted(data));
        Path labelled = tmp.resolve("labelled-run");
        Result trained = run("train", config.toString(), "--run-dir", labelled.toString());
        assertEquals(0, trained.status(), trained.err());
        Path single = tmp.resolve("single.csv");
        Result one = run("score", "--run", labelled.toString(), "--embeddings", data.resolve("embeddings.parquet")
                .toString(), "--out", single.toString());
        assertEquals(0, one.status(), one.err());
        String out = tmp.resolve("scores.parquet").toString();
        Result r = run("spark", "score", "--master", "local[2]", "--run", labelled.toString(), "--embeddings",
                data.resolve("embeddings.parquet").toString(), "--batch", "100", "--out", out);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("scored 3,000 ids of "), r.out());
        Map<String, Float> expected = new HashMap<>();
        for (String line : Files.readAllLines(single).subList(1, 3001)) {
            String[] f = line.split(",");
            expected.put(f[0], Float.parseFloat(f[1]));
        }
        List<Row> got = read(out);
        assertEquals(3000, got.size());
        for (Row row : got) {
            assertEquals(expected.get(row.getString(0)), row.getFloat(1), 1e-6, row.getString(0));
        }

        // The same vectors as shards: rows 0-999 a packed CSV, 1000-1999 and 2000-2999 .npy files with
        // their ids beside them; a directory of them, then a glob of the .npy ones.
        List<String> ids = new java.util.ArrayList<>();
        List<float[]> vectors = new java.util.ArrayList<>();
        new dev.embtrain.datasets.labelled.EmbeddingsFile(data.resolve("embeddings.parquet"), "bottleneck", null)
                .stream(500, c -> {
                    for (int i = 0; i < c.size(); i++) {
                        ids.add(c.ids()[i]);
                        vectors.add(c.vectors()[i].clone());
                    }
                });
        Path shards = Files.createDirectories(tmp.resolve("shards"));
        StringBuilder csv = new StringBuilder("rid,bottleneck\n");
        for (int i = 0; i < 1000; i++) {
            StringBuilder v = new StringBuilder();
            for (float x : vectors.get(i)) {
                v.append(v.length() == 0 ? "" : " ").append(x);
            }
            csv.append(ids.get(i)).append(',').append(v).append('\n');
        }
        Files.writeString(shards.resolve("a.csv"), csv.toString());
        for (String shard : List.of("b", "c")) {
            int from = shard.equals("b") ? 1000 : 2000;
            dev.embtrain.training.export.Npy.writeFloat32(shards.resolve(shard + ".npy"),
                    vectors.subList(from, from + 1000).toArray(float[][]::new));
            Files.writeString(shards.resolve(shard + ".ids.csv"), "rid\n" + String.join("\n", ids.subList(from,
                    from + 1000)) + "\n");
        }
        String fromShards = tmp.resolve("shard-scores.parquet").toString();
        long saved = EmbeddingShards.rowsATask;
        EmbeddingShards.rowsATask = 300; // each .npy file read by 4 tasks, a range of rows each
        Result sharded;
        try {
            sharded = run("spark", "score", "--master", "local[2]", "--run", labelled.toString(), "--embeddings",
                    shards.toString(), "--out", fromShards);
        } finally {
            EmbeddingShards.rowsATask = saved;
        }
        assertEquals(0, sharded.status(), sharded.err());
        assertTrue(sharded.out().contains("scored 3,000 ids of " + shards + " (9 tasks)"), sharded.out());
        List<Row> scoredShards = read(fromShards);
        assertEquals(3000, scoredShards.size());
        for (Row row : scoredShards) {
            assertEquals(expected.get(row.getString(0)), row.getFloat(1), 1e-6, row.getString(0));
        }
        String fromGlob = tmp.resolve("glob-scores.csv").toString();
        Result globbed = run("spark", "score", "--master", "local[2]", "--run", labelled.toString(), "--embeddings",
                shards.resolve("*.npy").toString(), "--out", fromGlob);
        assertEquals(0, globbed.status(), globbed.err());
        List<String> lines = Files.readAllLines(Path.of(fromGlob));
        assertEquals(2001, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertEquals(expected.get(f[0]), Float.parseFloat(f[1]), 1e-6, f[0]);
            assertTrue(ids.indexOf(f[0]) >= 1000, f[0]);
        }
        Files.delete(shards.resolve("c.ids.csv"));
        Result missing = run("spark", "score", "--run", labelled.toString(), "--embeddings", shards.toString(),
                "--out", tmp.resolve("never.parquet").toString());
        assertEquals("embtrain: " + shards.resolve("c.npy").toAbsolutePath() + ": a .npy shard needs its ids: "
                + shards.resolve("c.ids.csv").toAbsolutePath() + " (a CSV with a rid column) is missing\n",
                missing.err());
        Files.writeString(shards.resolve("a.csv"), "rid,bottleneck\nx1,1 2 3\n");
        Path failed = tmp.resolve("failed.parquet");
        Result bad = run("spark", "score", "--master", "local[1]", "--run", labelled.toString(), "--embeddings",
                shards.resolve("a.csv").toString(), "--out", failed.toString());
        assertEquals(1, bad.status());
        assertEquals("embtrain: " + shards.resolve("a.csv").toAbsolutePath() + ":2: bottleneck has 3 values, expected"
                + " 6\n", bad.err().lines().filter(l -> l.startsWith("embtrain:")).findFirst().orElse("") + "\n");
        assertFalse(Files.exists(failed), "a failed job left its output");
    }

    /** A ratings model scores a table of pairs as SavedRun.predict (embtrain predict's path) does. */
    @Test
    void pairScoresEqualTheSingleMachineScores() throws Exception {
        List<String> users = List.of("1", "2", "3", "7", "12", "1");
        List<String> items = List.of("3", "5", "9", "1", "30", "2");
        StringBuilder csv = new StringBuilder("user,item\n");
        for (int i = 0; i < users.size(); i++) {
            csv.append(users.get(i)).append(',').append(items.get(i)).append('\n');
        }
        Path pairs = Files.writeString(tmp.resolve("pairs.csv"), csv);
        String out = tmp.resolve("pair-scores.parquet").toString();
        Result r = run("spark", "score", "--master", "local[2]", "--run", runDir.toString(), "--pairs",
                pairs.toString(), "--batch", "4", "--out", out);
        assertEquals(0, r.status(), r.err());
        float[] expected;
        try (SavedRun saved = SavedRun.open(runDir)) {
            expected = saved.predict(users, items);
        }
        Map<String, Float> got = new HashMap<>();
        for (Row row : read(out)) {
            got.put(row.getString(0) + "," + row.getString(1), row.getFloat(2));
        }
        assertEquals(users.size(), got.size());
        for (int i = 0; i < users.size(); i++) {
            assertEquals(expected[i], got.get(users.get(i) + "," + items.get(i)), 1e-6);
        }
        Result both = run("spark", "score", "--run", runDir.toString(), "--out", tmp.resolve("y.csv").toString());
        assertEquals("embtrain: spark score: give --embeddings (a labelled-embeddings run) or --pairs (a ratings run),"
                + " one of them\n", both.err());
    }

    @Test
    void aJobWithoutAllOrWithABadOutIsAUsageError() {
        Result r = run("spark", "recommend", "--run", runDir.toString(), "--out", tmp.resolve("x.parquet").toString());
        assertEquals(2, r.status());
        assertEquals("embtrain: spark recommend: --all is required (one row or user at a time is embtrain"
                + " recommend)\n", r.err());
        Result bad = run("spark", "export", "--master", "local[1]", "--run", runDir.toString(), "--out",
                tmp.resolve("x.json").toString());
        assertEquals(2, bad.status());
        assertEquals("embtrain: spark export: --out " + tmp.resolve("x.json") + ": expected a name ending .parquet"
                + " (a directory of part files) or .csv (one file)\n", bad.err());
        Result job = run("spark", "sort");
        assertEquals("embtrain: spark: unknown job \"sort\"; expected export, neighbors, recommend, score,"
                + " search or prepare (embtrain spark --help)\n", job.err());
    }
}
