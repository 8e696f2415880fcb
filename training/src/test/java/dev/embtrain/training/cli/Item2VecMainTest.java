package dev.embtrain.training.cli;

import static dev.embtrain.training.cli.CliRun.run;
import dev.embtrain.training.cli.CliRun.Result;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.export.Npy;
import dev.embtrain.training.export.Neighbors;
import dev.embtrain.training.run.Provenance;
import dev.embtrain.training.train.Training;
import dev.embtrain.training.run.SavedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * item2vec end to end on synthetic sessions: training beats popularity, the kept epoch is the
 * best one and reloads to the same score, the exports and neighbours round trip, and the
 * refusals are one line.
 */
class Item2VecMainTest {

    /** 120 items in 12 clusters of 10; 90% of a session's items come from its cluster. */
    static final String SMALL = """
            name: small-i2v
            seed: 7
            dataset:
              type: synthetic-sessions
              items: 120
              clusters: 12
              sessions: 800
              min_length: 4
              max_length: 10
              stay: 0.9
              evaluation: {validation: 200, test: 200, seed: 1}
            model:
              type: embedding-bag
              vector_size: 16
              window: 2
              negative: 4
            training:
              epochs: 6
              batch_size: 256
              optimizer: {type: adam, learning_rate: 5.0e-2, weight_decay: 0.0}
              schedule: {type: constant}
              progress: false
            """;

    @TempDir
    static Path dir;
    static Path runDir;
    static Training.Outcome outcome;
    static Map<String, Object> resolved;

    /** Trains a config through the engine, as embtrain train does. */
    static Training.Outcome train(Path config, Path runDir, List<String> lines) throws Exception {
        return new Training(ConfigLoader.load(config, List.of()), runDir, false, List.of(), lines::add).run();
    }

    /** A number of a run's resolved section. */
    static double num(Map<String, Object> resolved, String key) {
        return ((Number) resolved.get(key)).doubleValue();
    }

    @BeforeAll
    static void train() throws Exception {
        Path config = Files.writeString(dir.resolve("c.yaml"), SMALL);
        runDir = dir.resolve("run");
        outcome = train(config, runDir, new ArrayList<>());
        resolved = Provenance.resolved(runDir);
    }

    @Test
    void learnsTheClustersFarBeyondPopularity() {
        assertTrue(num(resolved, "test_recall_at_10") > num(resolved, "popularity_test_recall_at_10") + 0.4,
                resolved.toString());
        assertTrue(num(resolved, "test_mrr_at_10") > num(resolved, "popularity_test_mrr_at_10") + 0.2,
                resolved.toString());
    }

    @Test
    void theKeptEpochIsTheBestAndReloadsToItsStoredScore() throws Exception {
        List<String> rows = Files.readAllLines(runDir.resolve("metrics.csv"));
        assertEquals("epoch,train_loss,valid_recall_at_10,valid_mrr_at_10,seconds,samples_per_second,learning_rate",
                rows.get(0));
        assertEquals(outcome.fit().history().size() + 1, rows.size());
        double best = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        for (int e = 1; e < rows.size(); e++) {
            double recall = Double.parseDouble(rows.get(e).split(",")[2]);
            if (recall > best) {
                best = recall;
                bestEpoch = e;
            }
        }
        assertEquals(bestEpoch, outcome.fit().bestEpoch());
        // The run must have gone on past its best epoch for this test to show anything.
        int last = outcome.fit().history().size();
        assertTrue(bestEpoch < last, "best epoch " + bestEpoch + " is the last; change the settings");
        double lastRecall = Double.parseDouble(rows.get(last).split(",")[2]);
        double bestMrr = Double.parseDouble(rows.get(bestEpoch).split(",")[3]);
        String test = String.format(Locale.ROOT, "test_recall_at_10 %.6f, test_mrr_at_10 %.6f on 200 test pairs",
                num(resolved, "test_recall_at_10"), num(resolved, "test_mrr_at_10"));
        try (SavedRun saved = SavedRun.open(runDir)) {
            SavedRun.Evaluation again = saved.evaluate();
            assertEquals(best, again.metrics().get("valid_recall_at_10"));
            assertEquals(bestMrr, again.metrics().get("valid_mrr_at_10"));
            assertNotEquals(lastRecall, again.metrics().get("valid_recall_at_10"));
            assertEquals(List.of(test), again.more());
        }
        Result r = run("evaluate", "--run", runDir.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(String.format(Locale.ROOT, "valid_recall_at_10 %.6f, valid_mrr_at_10 %.6f on the validation split%n"
                        + "%s%n", best, bestMrr, test), r.out());
    }

    @Test
    void exportsBothTablesWithIdAndLabelMetadata() throws Exception {
        Path emb = runDir.resolve("embeddings");
        try (SavedRun saved = SavedRun.open(runDir)) {
            for (String table : List.of("item", "item_output")) {
                float[][] npy = Npy.readFloat32Matrix(emb.resolve(table + ".npy"));
                float[][] params = saved.tables().stream().filter(t -> t.name().equals(table)).findFirst()
                        .map(Neighbors.Table::vectors).orElseThrow();
                assertEquals(121, npy.length);
                assertEquals(16, npy[0].length);
                for (int i = 0; i < npy.length; i++) {
                    assertArrayEquals(params[i], npy[i]);
                }
                List<String> meta = Files.readAllLines(emb.resolve(table + "_metadata.tsv"));
                assertEquals(122, meta.size());
                assertEquals("id\tlabel", meta.get(0));
                assertEquals("<unk>\t<unk>", meta.get(1));
                String first = meta.get(2);
                String id = first.substring(0, first.indexOf('\t'));
                int n = Integer.parseInt(id.substring(1));
                assertEquals(id + "\titem " + n + " (cluster " + ((n - 1) % 12) + ")", first);
                List<String> vectors = Files.readAllLines(emb.resolve(table + "_vectors.tsv"));
                assertEquals(121, vectors.size());
                assertEquals(Float.toString(npy[1][0]), vectors.get(1).split("\t")[0]);
            }
        }
        String config = Files.readString(runDir.resolve("config.yaml"));
        assertTrue(config.contains("  test_recall_at_10: " + resolved.get("test_recall_at_10") + "\n"), config);
        assertTrue(config.contains("  best_epoch: " + outcome.fit().bestEpoch() + "\n"), config);
        assertTrue(config.contains("  kind: sessions\n"), config);
        assertTrue(Files.isRegularFile(runDir.resolve("plots/metrics.png")));
        assertTrue(Files.isRegularFile(runDir.resolve("vocab/item.labels.txt")));
    }

    @Test
    void neighboursAreClusterMatesByLabelOrById() {
        Result byLabel = run("neighbors", "--run", runDir.toString(), "--query", "item 1 (cluster 0)", "-k", "5");
        assertEquals(0, byLabel.status(), byLabel.err());
        List<String> lines = byLabel.out().lines().toList();
        assertEquals("nearest to \"item 1 (cluster 0)\" in table item (cosine similarity):", lines.get(0));
        assertEquals(6, lines.size());
        for (String line : lines.subList(1, 6)) {
            assertTrue(line.endsWith("(cluster 0)"), byLabel.out());
        }
        Result byId = run("neighbors", "--run", runDir.toString(), "--query", "i1", "-k", "5");
        assertEquals(byLabel, byId);
        Result unknown = run("neighbors", "--run", runDir.toString(), "--query", "item 1 (cluster 9)");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().startsWith("embtrain: neighbors: no item labelled \"item 1 (cluster 9)\" in table item;"),
                unknown.err());
    }

    @Test
    void refusalsAreOneLineNamingKeyAndLine() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), SMALL.replace("  progress: false",
                "  progress: false\n  early_stopping: {metric: valid_mse}"));
        Result r = run("train", bad.toString(), "--run-dir", dir.resolve("bad-run").toString());
        assertEquals(2, r.status());
        assertEquals("embtrain: training.early_stopping.metric: valid_mse is not measured by sessions runs of"
                + " embedding-bag; expected one of auto, valid_recall_at_10, valid_mrr_at_10, train_loss (" + bad
                + ":23)\n", r.err());
        r = run("train", bad.toString(), "--set", "training.early_stopping.metric=auto", "--set",
                "dataset.evaluation.validation=700", "--run-dir", dir.resolve("bad-run").toString());
        assertEquals(2, r.status());
        assertEquals("embtrain: dataset.evaluation: validation + test = 900 pairs need as many sessions of two or more"
                + " items, but there are 800 (" + bad + ":11)\n", r.err());
        assertTrue(!Files.exists(dir.resolve("bad-run")));
    }

    @Test
    void cbowWithSampledSoftmaxTrainsToo(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("c.yaml"), SMALL.replace("  negative: 4",
                "  negative: 4\n  mode: cbow\n  loss: sampled-softmax").replace("epochs: 6", "epochs: 2"));
        Result r = run("train", config.toString(), "--run-dir", tmp.resolve("run").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("embedding-bag cbow"), r.out());
        assertTrue(num(Provenance.resolved(tmp.resolve("run")), "test_recall_at_10")
                > num(resolved, "popularity_test_recall_at_10") + 0.2);
    }

    @Test
    void aSharedNegativePoolLearnsTheClustersAsWellInSkipGramAndCbow(@TempDir Path tmp) throws Exception {
        for (String mode : List.of("skip-gram", "cbow")) {
            Path config = Files.writeString(tmp.resolve(mode + ".yaml"), SMALL.replace("  negative: 4",
                    "  negative: 4\n  mode: " + mode + "\n  shared_negatives: 32"));
            List<String> lines = new ArrayList<>();
            train(config, tmp.resolve(mode), lines);
            assertTrue(lines.stream().anyMatch(l -> l.contains("negative 4 (from a pool of 32 shared by each batch)")),
                    String.join("\n", lines));
            double shared = num(Provenance.resolved(tmp.resolve(mode)), "test_recall_at_10");
            // within a few pairs of the per-example draws' test recall, far above popularity
            assertTrue(shared > num(resolved, "test_recall_at_10") - 0.05, mode + ": " + shared + " vs per-example "
                    + resolved.get("test_recall_at_10"));
            assertTrue(shared > num(resolved, "popularity_test_recall_at_10") + 0.4, mode + ": " + shared);
        }
    }
}
