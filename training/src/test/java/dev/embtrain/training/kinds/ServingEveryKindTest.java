package dev.embtrain.training.kinds;

import dev.embtrain.training.run.RunFiles;
import dev.embtrain.training.run.SavedRun;
import static dev.embtrain.training.kinds.ServingExportTest.body;
import static dev.embtrain.training.kinds.ServingExportTest.runClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.embtrain.models.shared.Cosine;
import dev.embtrain.models.shared.Preprocessing;
import dev.embtrain.training.cli.CliRun;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.WideAndDeepConfig;
import dev.embtrain.training.export.Neighbors;
import dev.embtrain.training.labelled.LabelledModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving directories of the kinds beyond ratings, loaded as DJL Serving loads them (a JVM
 * with DJL's jars alone): item2vec neighbours, feat2vec lookups and labelled classifier scores
 * equal the in-process answers to 1e-5, and bad requests are a 400 after which the worker
 * still answers.
 */
class ServingEveryKindTest {

    private static final String TRAINING = """
            training: {epochs: 2, batch_size: 64, optimizer: {type: adam, learning_rate: 1.0e-2, weight_decay: 0.0},
              schedule: {type: constant}, progress: false}
            export: {embeddings: [npy], plots: false, serving: true}
            """;

    private static Path train(Path tmp, String yaml) throws Exception {
        Path config = Files.writeString(tmp.resolve("c.yaml"), yaml + TRAINING);
        Path run = tmp.resolve("run");
        CliRun.Result r = CliRun.run("train", config.toString(), "--run-dir", run.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.isRegularFile(run.resolve("serving/serving.properties")));
        return run;
    }

    private static List<String> answers(Path run, Path tmp, List<String> requests) throws Exception {
        List<String> lines = runClient(run.resolve("serving"), Files.write(tmp.resolve("requests.txt"), requests), tmp);
        assertEquals("CLEAN", lines.get(lines.size() - 1), String.join("\n", lines));
        List<String> answers = lines.stream().filter(l -> l.matches("\\d{3}\t.*")).toList();
        assertEquals(requests.size(), answers.size(), String.join("\n", lines));
        return answers;
    }

    @Test
    void item2vecServesNeighboursByIdLabelAndBasket(@TempDir Path tmp) throws Exception {
        Path run = train(tmp, """
                name: i2v
                dataset: {type: synthetic-sessions, items: 40, clusters: 4, sessions: 200, min_length: 4, max_length: 8,
                  evaluation: {validation: 30, test: 30, seed: 1}}
                model: {type: embedding-bag, vector_size: 8, window: 2, negative: 3}
                """);
        Neighbors.Table items;
        try (SavedRun saved = SavedRun.open(run)) {
            items = saved.tables().get(0);
        }
        assertEquals("item", items.name());
        List<String> ids = Files.readAllLines(run.resolve(RunFiles.vocabulary("item")));
        int row = 1;
        List<Neighbors.Neighbor> expected = Neighbors.nearest(items.vectors(), items.labels(), row, 3, Set.of(0));
        boolean[] skip = new boolean[items.vectors().length];
        skip[0] = true;
        skip[1] = true;
        skip[2] = true;
        var basket = Cosine.nearest(items.vectors(), Cosine.mean(items.vectors(), new int[] {1, 2}), 3, skip);
        List<String> answers = answers(run, tmp, List.of(
                "{\"item\": \"" + ids.get(row) + "\", \"k\": 3}",
                "{\"item\": \"" + items.labels().get(row).toUpperCase(java.util.Locale.ROOT) + "\", \"k\": 3}",
                "{\"items\": [\"" + ids.get(1) + "\", \"" + ids.get(2) + "\"], \"k\": 3}",
                "{\"item\": \"nope\"}",
                "{\"item\": ",
                "{\"item\": \"" + ids.get(row) + "\", \"k\": 0}",
                "{\"item\": \"" + ids.get(row) + "\"}"));
        JsonObject byId = JsonParser.parseString(body(answers.get(0), 200)).getAsJsonObject();
        assertEquals(ids.get(row), byId.get("item").getAsString());
        assertEquals(items.labels().get(row), byId.get("label").getAsString());
        JsonArray neighbors = byId.getAsJsonArray("neighbors");
        assertEquals(3, neighbors.size());
        for (int i = 0; i < 3; i++) {
            JsonObject n = neighbors.get(i).getAsJsonObject();
            assertEquals(ids.get(expected.get(i).index()), n.get("item").getAsString());
            assertEquals(expected.get(i).label(), n.get("label").getAsString());
            assertEquals(expected.get(i).cosine(), n.get("score").getAsDouble(), 1e-5);
        }
        assertEquals(byId, JsonParser.parseString(body(answers.get(1), 200)).getAsJsonObject());
        JsonArray fromBasket = JsonParser.parseString(body(answers.get(2), 200)).getAsJsonObject()
                .getAsJsonArray("neighbors");
        for (int i = 0; i < 3; i++) {
            assertEquals(ids.get(basket.indices()[i]), fromBasket.get(i).getAsJsonObject().get("item").getAsString());
            assertEquals(basket.scores()[i], fromBasket.get(i).getAsJsonObject().get("score").getAsDouble(), 1e-5);
        }
        assertEquals("{\"error\":\"unknown item \\\"nope\\\": neither an id nor a label the model was trained on\"}",
                body(answers.get(3), 400));
        assertTrue(body(answers.get(4), 400).startsWith("{\"error\":\"the request is not valid JSON: "));
        assertEquals("{\"error\":\"\\\"k\\\" must be a whole number from 1 to 10000, found 0\"}",
                body(answers.get(5), 400));
        assertEquals(10, JsonParser.parseString(body(answers.get(6), 200)).getAsJsonObject()
                .getAsJsonArray("neighbors").size());
    }

    @Test
    void feat2vecServesVectorsAndNeighboursAcrossTables(@TempDir Path tmp) throws Exception {
        Path run = train(tmp, """
                name: f2v
                dataset: {type: synthetic-feat2vec, rows: 600, split: {validation: 0.1}}
                model: {type: factorization-machine, objective: implicit, factors: 4, negatives: 2}
                """);
        List<Neighbors.Table> tables;
        try (SavedRun saved = SavedRun.open(run)) {
            tables = saved.tables();
        }
        Neighbors.Table y = tables.stream().filter(t -> t.name().equals("y")).findFirst().orElseThrow();
        int zero = y.labels().indexOf("0");
        List<Neighbors.TableNeighbor> expected = Neighbors.nearestAcross(tables, "y", zero, 4);
        List<String> answers = answers(run, tmp, List.of(
                "{\"feature\": \"y\", \"value\": \"0\", \"k\": 4}",
                "{\"feature\": \"y\", \"value\": 0}",
                "{\"feature\": \"colour\", \"value\": \"0\"}",
                "{\"feature\": \"y\", \"value\": \"7\"}",
                "{\"feature\": \"y\", \"value\": \"<unk>\", \"k\": 2}",
                "[1, 2]",
                "{\"feature\": \"y\", \"value\": \"0\", \"k\": 4}"));
        JsonObject near = JsonParser.parseString(body(answers.get(0), 200)).getAsJsonObject();
        JsonArray neighbors = near.getAsJsonArray("neighbors");
        assertEquals(4, neighbors.size());
        for (int i = 0; i < 4; i++) {
            JsonObject n = neighbors.get(i).getAsJsonObject();
            assertEquals(expected.get(i).table(), n.get("feature").getAsString());
            assertEquals(expected.get(i).label(), n.get("value").getAsString());
            assertEquals(expected.get(i).cosine(), n.get("score").getAsDouble(), 1e-5);
        }
        JsonArray vector = JsonParser.parseString(body(answers.get(1), 200)).getAsJsonObject().getAsJsonArray("vector");
        assertEquals(y.vectors()[zero].length, vector.size());
        for (int j = 0; j < vector.size(); j++) {
            assertEquals(y.vectors()[zero][j], vector.get(j).getAsFloat(), 1e-6f);
        }
        assertEquals("{\"error\":\"unknown feature \\\"colour\\\"; the features are [item, id, y, attrs]\"}",
                body(answers.get(2), 400));
        assertEquals("{\"error\":\"unknown value \\\"7\\\" of feature \\\"y\\\": the model was not trained on it\"}",
                body(answers.get(3), 400));
        assertEquals("{\"error\":\"unknown value \\\"<unk>\\\" of feature \\\"y\\\": the model was not trained on it\"}",
                body(answers.get(4), 400));
        assertEquals("{\"error\":\"expected {\\\"feature\\\": ..., \\\"value\\\": ..., \\\"k\\\": 10}\"}",
                body(answers.get(5), 400));
        assertEquals(near, JsonParser.parseString(body(answers.get(6), 200)).getAsJsonObject());
    }

    @Test
    void aClassifierScoresRawVectorsThroughTheRunsPreprocessing(@TempDir Path tmp) throws Exception {
        Path run = train(tmp, """
                name: le
                dataset: {type: synthetic-labelled-embeddings, path: %s, ids: 400, width: 6, select_k_best: 4}
                model: {type: wide-and-deep, layers: [4]}
                """.formatted(tmp.resolve("data")));
        SplittableRandom random = new SplittableRandom(3);
        float[][] vectors = new float[3][6];
        for (float[] v : vectors) {
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) random.nextGaussian();
            }
        }
        Preprocessing pre = Preprocessing.load(run.resolve(Preprocessing.FILE));
        assertEquals(4, pre.width());
        float[] expected;
        WideAndDeepConfig wd = (WideAndDeepConfig) ConfigLoader.load(run.resolve(RunFiles.CONFIG), List.of())
                .config().model();
        try (Model model = LabelledModel.load(LabelledScorer.spec(wd, pre.width()), run.resolve(RunFiles.MODEL_DIR), Device.cpu())) {
            float[] x = new float[3 * pre.width()];
            for (int i = 0; i < 3; i++) {
                pre.apply(vectors[i], x, i * pre.width());
            }
            float[] logits = LabelledModel.logits(model, x, 3, pre.width());
            expected = new float[3];
            for (int i = 0; i < 3; i++) {
                expected[i] = LabelledModel.probability(logits[i]);
            }
        }
        List<String> requests = new ArrayList<>();
        requests.add("{\"rid\": \"c0\", \"embedding\": " + java.util.Arrays.toString(vectors[0]) + "}");
        requests.add("[{\"rid\": \"c1\", \"embedding\": " + java.util.Arrays.toString(vectors[1]) + "}, {\"rid\": 2,"
                + " \"embedding\": " + java.util.Arrays.toString(vectors[2]) + "}]");
        requests.add("{\"rid\": \"c9\", \"embedding\": [1, 2, 3]}");
        requests.add("{\"rid\": \"c9\", \"embedding\": [1, 2, 3, 4, 5, \"x\"]}");
        requests.add("{\"embedding\": [1, 2, 3, 4, 5, 6]}");
        requests.add("not json");
        requests.add(requests.get(0));
        List<String> answers = answers(run, tmp, requests);
        JsonObject single = JsonParser.parseString(body(answers.get(0), 200)).getAsJsonObject();
        assertEquals("c0", single.get("rid").getAsString());
        assertEquals(expected[0], single.get("score").getAsFloat(), 1e-5f);
        JsonArray list = JsonParser.parseString(body(answers.get(1), 200)).getAsJsonArray();
        assertEquals("c1", list.get(0).getAsJsonObject().get("rid").getAsString());
        assertEquals("2", list.get(1).getAsJsonObject().get("rid").getAsString());
        assertEquals(expected[1], list.get(0).getAsJsonObject().get("score").getAsFloat(), 1e-5f);
        assertEquals(expected[2], list.get(1).getAsJsonObject().get("score").getAsFloat(), 1e-5f);
        assertEquals("{\"error\":\"the embedding of rid \\\"c9\\\" has 3 values, expected 6\"}", body(answers.get(2), 400));
        assertEquals("{\"error\":\"value 5 of the embedding of rid \\\"c9\\\" is not a number: \\\"x\\\"\"}",
                body(answers.get(3), 400));
        assertEquals("{\"error\":\"\\\"rid\\\" is missing\"}", body(answers.get(4), 400));
        assertTrue(body(answers.get(5), 400).startsWith("{\"error\":\"the request is not valid JSON: "), answers.get(5));
        assertEquals(single, JsonParser.parseString(body(answers.get(6), 200)).getAsJsonObject());
    }
}
