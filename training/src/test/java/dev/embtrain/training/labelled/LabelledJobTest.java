package dev.embtrain.training.labelled;

import static dev.embtrain.training.cli.CliRun.run;
import dev.embtrain.training.cli.CliRun.Result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The labelled-embeddings job end to end through the command line: quality, files, score, search, errors. */
public class LabelledJobTest {

    static Path config(Path dir, String body) throws Exception {
        return Files.writeString(dir.resolve("c.yaml"), body.replace("DATA", dir.resolve("data").toString()));
    }

    /** 20,000 ids × 16: large enough that the test split's AUC (3,000 rows) is within ±0.01 of the population's. */
    static final String SYNTHETIC = """
            name: lab
            seed: 7
            dataset:
              type: synthetic-labelled-embeddings
              path: DATA
              ids: 20000
              width: 16
              strength: 2.0
              prevalence: 0.35
            model:
              type: wide-and-deep
              layers: []
            training:
              epochs: 6
              batch_size: 256
              optimizer: {learning_rate: 2.0e-2, weight_decay: 0.0}
              early_stopping: {patience: 2}
            export: {plots: false}
            """;

    static Map<String, String> resolved(Path run) throws Exception {
        Map<String, String> out = new HashMap<>();
        boolean in = false;
        for (String line : Files.readAllLines(run.resolve("config.yaml"))) {
            if (line.equals("resolved:")) {
                in = true;
            } else if (in && line.startsWith("  ") && line.contains(": ")) {
                String[] kv = line.trim().split(": ", 2);
                out.put(kv[0], kv[1]);
            }
        }
        return out;
    }

    @Test
    void logisticRegressionReachesTheBayesAucAndWritesTheRun(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Result r = run("train", config(tmp, SYNTHETIC).toString(), "--run-dir", run.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, String> res = resolved(run);
        double bayes = Double.parseDouble(res.get("bayes_auc"));
        double auc = Double.parseDouble(res.get("test_auc"));
        assertTrue(Math.abs(auc - bayes) < 0.02, "test AUC " + auc + " vs Bayes " + bayes + "\n" + r.out());
        assertEquals("20000", res.get("joined"));
        // Each class is split on its own, round(n_c · 0.15) rows each to validation and test.
        int positives = Integer.parseInt(res.get("positives"));
        int perClass = (int) Math.round(positives * 0.15) + (int) Math.round((20000 - positives) * 0.15);
        assertEquals(Integer.toString(perClass), res.get("valid_rows"));
        assertEquals(Integer.toString(perClass), res.get("test_rows"));
        assertEquals(Integer.toString(20000 - 2 * perClass), res.get("train_rows"));
        assertEquals("synthetic", res.get("evkey"));
        for (String f : List.of("model", "preprocessing.tsv", "metrics.csv", "test_metrics.csv",
                "classification_report.csv", "test_predictions.csv")) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        assertEquals(perClass + 1, Files.readAllLines(run.resolve("test_predictions.csv")).size());
        assertTrue(r.out().contains("labels without embeddings"), r.out());
    }

    /** Writes a labels file and an embeddings file (packed vectors) by hand. */
    public static Path handConfig(Path tmp, String labels, String embeddings, String extra) throws Exception {
        Files.writeString(tmp.resolve("labels.csv"), labels);
        Files.writeString(tmp.resolve("emb.csv"), embeddings);
        return Files.writeString(tmp.resolve("c.yaml"), """
                name: hand
                dataset:
                  type: labelled-embeddings
                  labels: LABELS
                  embeddings: EMB
                model:
                  type: wide-and-deep
                  layers: []
                training: {epochs: 1, batch_size: 8}
                export: {plots: false}
                """.replace("LABELS", tmp.resolve("labels.csv").toString())
                .replace("EMB", tmp.resolve("emb.csv").toString()) + extra);
    }

    @Test
    void theJoinCountsLeftoversOnBothSides(@TempDir Path tmp) throws Exception {
        StringBuilder labels = new StringBuilder("rid,label,evkey\n");
        StringBuilder emb = new StringBuilder("rid,bottleneck\n");
        for (int i = 0; i < 43; i++) {
            labels.append("r").append(i).append(',').append(i % 3 == 0 ? 1 : 0).append(",vendor-v2\n");
        }
        // r40..r42 have no vector; e0..e4 have no label.
        for (int i = 0; i < 40; i++) {
            emb.append("r").append(i).append(',').append(i % 3 == 0 ? "1.5 0.25" : "-1 0.5").append('\n');
        }
        for (int i = 0; i < 5; i++) {
            emb.append("e").append(i).append(",0 0\n");
        }
        Path run = tmp.resolve("run");
        Result r = run("train", handConfig(tmp, labels.toString(), emb.toString(), "").toString(), "--run-dir",
                run.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains(": 40 joined (14 positive, 35.0%); 3 labels without embeddings, 5 embeddings"
                + " without labels; width 2"), r.out());
        Map<String, String> res = resolved(run);
        assertEquals("40", res.get("joined"));
        assertEquals("14", res.get("positives"));
        assertEquals("3", res.get("labels_without_embeddings"));
        assertEquals("5", res.get("embeddings_without_labels"));
        assertEquals("vendor-v2", res.get("evkey"));
        // The vectors separate the classes perfectly, so any trained direction ranks them perfectly.
        assertEquals("1.0", res.get("test_auc"));
    }

    private static void assertRefused(Path tmp, String labels, String emb, String extra, int status, String message)
            throws Exception {
        Result r = run("train", handConfig(tmp, labels, emb, extra).toString(), "--run-dir",
                tmp.resolve("run").toString());
        assertEquals(status, r.status(), r.out() + r.err());
        assertEquals("embtrain: " + message.replace("TMP", tmp.toString()) + "\n", r.err());
        assertFalse(Files.exists(tmp.resolve("run")));
    }

    private static final String GOOD_LABELS = "rid,label\na,1\nb,0\n";
    private static final String GOOD_EMB = "rid,bottleneck\na,1 2\nb,3 4\n";

    @Test
    void aRepeatedRidInTheLabelsNamesFileAndLine(@TempDir Path tmp) throws Exception {
        assertRefused(tmp, "rid,label\na,1\nb,0\na,0\n", GOOD_EMB, "", 1,
                "TMP/labels.csv:4: duplicate rid \"a\" (first on line 2)");
    }

    @Test
    void aLabelOtherThanZeroOrOneNamesFileAndLine(@TempDir Path tmp) throws Exception {
        assertRefused(tmp, "rid,label\na,1\nb,2\n", GOOD_EMB, "", 1,
                "TMP/labels.csv:3: label must be 0 or 1, found \"2\"");
    }

    @Test
    void aRepeatedRidInTheEmbeddingsNamesFileAndLine(@TempDir Path tmp) throws Exception {
        assertRefused(tmp, GOOD_LABELS, "rid,bottleneck\na,1 2\nb,3 4\na,5 6\n", "", 1,
                "TMP/emb.csv:4: duplicate rid \"a\" (first on line 2)");
    }

    @Test
    void aVectorOfAnotherWidthNamesFileAndLine(@TempDir Path tmp) throws Exception {
        assertRefused(tmp, GOOD_LABELS, "rid,bottleneck\na,1 2\nb,3 4 5\n", "", 1,
                "TMP/emb.csv:3: bottleneck has 3 values, expected 2");
    }

    @Test
    void aNonFiniteValueNamesFileAndLine(@TempDir Path tmp) throws Exception {
        assertRefused(tmp, GOOD_LABELS, "rid,bottleneck\na,1 2\nb,3 Infinity\n", "", 1,
                "TMP/emb.csv:3: bottleneck[1] is Infinity");
    }

    @Test
    void aRatingsModelOnLabelledEmbeddingsIsAConfigErrorWithItsLine(@TempDir Path tmp) throws Exception {
        Path c = handConfig(tmp, GOOD_LABELS, GOOD_EMB, "");
        Files.writeString(c, Files.readString(c).replace("  type: wide-and-deep\n  layers: []\n",
                "  type: dot-product-bias\n"));
        Result r = run("train", c.toString(), "--run-dir", tmp.resolve("run").toString());
        assertEquals(2, r.status());
        assertEquals("embtrain: model.type: dataset.type labelled-embeddings trains a binary classifier on dense"
                + " vectors: use wide-and-deep (layers: [] is logistic regression), found dot-product-bias (" + c
                + ":7)\n", r.err());
    }

    @Test
    void aRegressionHeadOnLabelledEmbeddingsIsAConfigErrorWithItsLine(@TempDir Path tmp) throws Exception {
        Path c = handConfig(tmp, GOOD_LABELS, GOOD_EMB, "");
        Files.writeString(c, Files.readString(c).replace("  layers: []\n", "  layers: []\n  objective: regression\n"));
        Result r = run("train", c.toString(), "--run-dir", tmp.resolve("run").toString());
        assertEquals(2, r.status());
        assertEquals("embtrain: model.objective: dataset.type labelled-embeddings has a 0/1 label: use binary, found"
                + " regression (" + c + ":9)\n", r.err());
    }

    @Test
    void splitSharesMustAddUpToOne(@TempDir Path tmp) throws Exception {
        Path c = handConfig(tmp, GOOD_LABELS, GOOD_EMB, "");
        Files.writeString(c, Files.readString(c).replace("  embeddings:", "  split: {train: 0.8, test: 0.1}\n"
                + "  embeddings:"));
        Result r = run("train", c.toString(), "--run-dir", tmp.resolve("run").toString());
        assertEquals(2, r.status());
        assertEquals("embtrain: dataset.split.test: train + validation + test must be 1, found 0.8 + 0.15 + 0.1 ="
                + " 1.05 (" + c + ":5)\n", r.err());
    }

    @Test
    void parquetCsvAndNpyFilesOfOneSpecTrainToTheSameModel(@TempDir Path tmp) throws Exception {
        String body = """
                name: fmt
                dataset:
                  type: synthetic-labelled-embeddings
                  path: DATA
                  ids: 600
                  width: 4
                  format: FORMAT
                model:
                  type: wide-and-deep
                  layers: []
                training: {epochs: 2, batch_size: 64}
                export: {plots: false}
                """;
        Map<String, String> first = null;
        for (String format : List.of("npy", "csv", "parquet")) {
            Path dir = Files.createDirectories(tmp.resolve(format));
            Path run = dir.resolve("run");
            Result r = run("train", config(dir, body.replace("FORMAT", format)).toString(), "--run-dir", run.toString());
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("/embeddings." + format + ": 600 joined"), r.out());
            Map<String, String> res = resolved(run);
            if (first == null) {
                first = res;
            } else {
                // The same floats, split and seed: the same test scores to the last digit.
                assertEquals(first.get("test_auc"), res.get("test_auc"), format);
                assertEquals(first.get("test_log_loss"), res.get("test_log_loss"), format);
            }
        }
    }

    @Test
    void refitTrainsTheChosenEpochsAgainOnTrainingAndValidationRows(@TempDir Path tmp) throws Exception {
        String body = """
                name: refit
                dataset:
                  type: synthetic-labelled-embeddings
                  path: DATA
                  ids: 2000
                  width: 4
                  split: {seed: 3, refit: true}
                model:
                  type: wide-and-deep
                  layers: []
                training: {epochs: 4, batch_size: 64, early_stopping: {patience: 0}}
                export: {plots: false}
                """;
        Path run = tmp.resolve("run");
        Result r = run("train", config(tmp, body).toString(), "--run-dir", run.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, String> res = resolved(run);
        int trainAndValid = Integer.parseInt(res.get("train_rows")) + Integer.parseInt(res.get("valid_rows"));
        int bestEpoch = Integer.parseInt(res.get("best_epoch"));
        assertEquals(Integer.toString(trainAndValid), res.get("rows"));
        assertEquals(Integer.toString(bestEpoch), res.get("epochs"));
        assertTrue(r.out().contains(String.format("refit    the chosen config again on %,d training + validation rows"
                + " for its %d epoch", trainAndValid, bestEpoch)), r.out());
        // The standardisation is fitted on exactly the training + validation rows: all but the test rows.
        java.util.Set<String> test = new java.util.HashSet<>();
        for (String line : Files.readAllLines(run.resolve("test_predictions.csv")).subList(1, Integer.parseInt(
                res.get("test_rows")) + 1)) {
            test.add(line.substring(0, line.indexOf(',')));
        }
        Path data = tmp.resolve("data");
        dev.embtrain.datasets.labelled.LabelledEmbeddings.Joined j = dev.embtrain.datasets.labelled.LabelledEmbeddings.read(
                data.resolve("labels.csv"), new dev.embtrain.datasets.labelled.EmbeddingsFile(data.resolve("embeddings.npy"),
                        "bottleneck", data.resolve("ids.csv")));
        double[] mean = new double[4];
        int n = 0;
        for (int i = 0; i < j.size(); i++) {
            if (!test.contains(j.ids()[i])) {
                n++;
                for (int k = 0; k < 4; k++) {
                    mean[k] += j.vectors()[i][k];
                }
            }
        }
        assertEquals(trainAndValid, n);
        List<String> pre = Files.readAllLines(run.resolve("preprocessing.tsv"));
        for (int k = 0; k < 4; k++) {
            String[] row = pre.get(2 + k).split("\t");
            assertEquals(Integer.toString(k), row[0]);
            assertEquals(mean[k] / n, Double.parseDouble(row[1]), 1e-6, "column " + k);
        }
        // The generator's own probabilities on the same test rows are the yardstick printed beside the model.
        double bayesOnTest = Double.parseDouble(res.get("test_bayes_auc"));
        assertTrue(bayesOnTest > 0.5 && bayesOnTest < 1, res.toString());
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "the Bayes-optimal AUC on the test rows is %.4f",
                bayesOnTest)), r.out());
    }

    @Test
    void aSearchOnARatingsRunMayNotVaryADatasetKey(@TempDir Path tmp) throws Exception {
        Path c = config(tmp, """
                name: t
                dataset: {type: synthetic-movielens, path: DATA}
                model: {type: dot-product-bias}
                search:
                  space: [{key: dataset.noise, type: uniform, low: 0.1, high: 0.9}]
                """);
        Result r = run("train", c.toString(), "--run-dir", tmp.resolve("run").toString());
        assertEquals(2, r.status());
        assertEquals("embtrain: search.space: dataset.noise cannot be searched: the search tunes how the model is"
                + " trained; of the dataset keys only [dataset.label.alpha, dataset.label.loss, dataset.label.negatives,"
                + " dataset.label.sampler] may vary (search.space[0].key) (" + c + ":5)\n", r.err());
    }

    @Test
    void aSearchKeyTheConfigDoesNotHaveIsAConfigError(@TempDir Path tmp) throws Exception {
        Path c = config(tmp, SYNTHETIC + """
                search:
                  space: [{key: training.optimizer.learning_rat, type: log-uniform, low: 1.0e-3, high: 1.0e-1}]
                """);
        Result r = run("train", c.toString(), "--run-dir", tmp.resolve("run").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("embtrain: search.space: entry 0 does not fit the config:"
                + " training.optimizer.learning_rat: unknown key (did you mean \"learning_rate\"?)"), r.err());
        assertTrue(r.err().endsWith("(" + c + ":20)\n"), r.err());
        assertFalse(Files.exists(tmp.resolve("data")), "refused before any data was generated");
    }
}
