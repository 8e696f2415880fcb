package dev.embtrain.training.kinds;

import dev.embtrain.training.run.RunFiles;
import dev.embtrain.training.run.SavedRun;
import static dev.embtrain.training.cli.CliRun.run;
import dev.embtrain.training.cli.CliRun.Result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.metrics.BinaryMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Side features, crosses and binary labels from YAML, end to end through the command line: the
 * errors a user sees, and small synthetic runs of the factorization machine and wide-and-deep.
 */
class FeatureModelsTest {

    /** A hand-written ml-100k directory: four ratings, two users with demographics, two movies. */
    private static Path tinyMl100k(Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("ml-100k"));
        Files.writeString(data.resolve("u.data"), "1\t1\t5\t10\n2\t1\t3\t11\n1\t2\t4\t12\n2\t2\t2\t13\n");
        Files.writeString(data.resolve("u.user"), "1|24|M|technician|85711\n2|53|F|other|K1A0B\n");
        String flags = "|0|0|0|0|0|1|0|0|1|0|0|0|0|0|0|0|0|0|0\n";
        Files.writeString(data.resolve("u.item"), "1|Toy Story (1995)|01-Jan-1995||http://x" + flags
                + "2|GoldenEye (1995)|01-Jan-1995||http://y" + flags);
        return data;
    }

    private static Path config(Path dir, String body) throws Exception {
        return Files.writeString(dir.resolve("c.yaml"), body);
    }

    @Test
    void aFieldTheDatasetLacksIsNamedWithTheFieldsThereAreAndTheLine(@TempDir Path dir) throws Exception {
        Path data = tinyMl100k(dir);
        Path c = config(dir, """
                name: x
                dataset:
                  type: movielens
                  path: %s
                  split: {type: random, validation: 0.5, seed: 1}
                  features:
                    - user
                    - item
                    - salary
                model: {type: factorization-machine, factors: 2}
                """.formatted(data));
        Result r = run("train", c.toString(), "--run-dir", dir.resolve("run").toString());
        assertEquals(2, r.status(), r.err());
        assertEquals("embtrain: dataset.features: no field \"salary\" in ml-100k; available: user, item, age, gender,"
                + " occupation, zip_prefix, genres, year (" + c + ":7)\n", r.err());
        assertFalse(Files.exists(dir.resolve("run")));
    }

    @Test
    void modelsAndLabelsThatDoNotFitAreConfigErrors(@TempDir Path dir) throws Exception {
        Path data = tinyMl100k(dir);
        String base = """
                name: x
                dataset:
                  type: movielens
                  path: %s
                  split: {type: random, validation: 0.5, seed: 1}
                  features: [user, item, genres]
                  crosses: [{fields: [user, genres], buckets: 10}]
                  label: {type: LABEL}
                model:
                  MODEL
                """.formatted(data);
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("rating|type: wide-and-deep", "model.objective: binary needs a binary label; add dataset.label:"
                + " {type: binary, threshold: 4} (c.yaml:10)");
        cases.put("binary|type: factorization-machine", "model.objective: regression predicts the rating, but"
                + " dataset.label is binary; set model.objective: binary or dataset.label.type: rating (c.yaml:10)");
        cases.put("binary|{type: factorization-machine, objective: implicit}", "dataset.crosses: implicit training"
                + " embeds every field and bag and interacts them all already; leave out dataset.crosses (c.yaml:7)");
        cases.put("binary|{type: factorization-machine, objective: binary}", "dataset.crosses: cross user_x_genres"
                + " involves a bag (one bucket per element), which the factorization machine cannot take: its"
                + " pairwise terms already cross every field; cross single-valued fields, or use wide-and-deep"
                + " (c.yaml:7)");
        cases.put("rating|type: dot-product-bias", "dataset.features: model.type dot-product-bias uses user and item"
                + " alone; leave out dataset.features and dataset.crosses, or use deep-collaborative,"
                + " factorization-machine or wide-and-deep for side features (c.yaml:6)");
        cases.put("rating|type: deep-collaborative", "dataset.crosses: deep-collaborative has no wide part for hashed"
                + " crosses; leave out dataset.crosses, or use wide-and-deep (c.yaml:7)");
        cases.put("binary|{type: wide-and-deep, embedding_sizes: [{field: salary, size: 3}]}", "model.embedding_sizes:"
                + " no embedded field \"salary\"; the embedded fields are [user, item] (c.yaml:10)");
        for (Map.Entry<String, String> e : cases.entrySet()) {
            String[] parts = e.getKey().split("\\|");
            Path c = config(dir, base.replace("LABEL", parts[0]).replace("MODEL", parts[1]));
            Result r = run("train", c.toString(), "--run-dir", dir.resolve("run").toString());
            assertEquals(2, r.status(), e.getKey() + ": " + r.err());
            assertEquals("embtrain: " + e.getValue().replace("c.yaml", c.toString()) + "\n", r.err(), e.getKey());
        }
        assertFalse(Files.exists(dir.resolve("run")));
    }

    private static final String SYNTHETIC = """
            name: s
            seed: 7
            dataset:
              type: synthetic-movielens
              path: %s
              users: 60
              items: 40
              ratings: 2400
              factors: 2
              noise: 0.5
              features: [user, item, age, gender, occupation, genres, year]
            %s
            training:
              epochs: 4
              batch_size: 64
              optimizer: {learning_rate: 2.0e-2, weight_decay: 0.01}
              progress: false
            export: {embeddings: [npy], plots: false}
            """;

    @Test
    void wideAndDeepLearnsABinaryLabelWellAboveChanceAndEvaluatesTheSame(@TempDir Path dir) throws Exception {
        Path c = config(dir, SYNTHETIC.formatted(dir.resolve("data"), """
                  crosses: [{fields: [user, genres], buckets: 500}]
                  label: {type: binary, threshold: 4}
                model: {type: wide-and-deep, layers: [16], embedding_sizes: [{field: user, size: 5}]}
                """));
        Path runDir = dir.resolve("run");
        Result r = run("train", c.toString(), "--run-dir", runDir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("epoch  train_loss  valid_auc  valid_log_loss  valid_accuracy   seconds"), r.out());
        assertTrue(r.out().contains("baseline valid_auc "), r.out());
        List<String> csv = Files.readAllLines(runDir.resolve(RunFiles.METRICS));
        assertEquals("epoch,train_loss,valid_auc,valid_log_loss,valid_accuracy,seconds,samples_per_second,learning_rate",
                csv.get(0));
        try (SavedRun saved = SavedRun.open(runDir)) {
            SavedRun.Evaluation e = saved.evaluate();
            double best = Double.parseDouble(resolved(runDir, "best_valid_auc"));
            assertEquals(best, e.metrics().get("valid_auc"), 1e-6);
            // The generator's ratings follow user and item factors: the model must rank far better than
            // chance, and random scores on the same validation labels must fail the same bound.
            assertTrue(best > 0.7, "valid_auc " + best);
            float[] labels = RatingsData.load(ConfigLoader.load(c, List.of())).valid().labels();
            assertTrue(randomAuc(labels) < 0.7);
            // The rule gave the others their widths; the override held; the cross is wide only.
            assertEquals(List.of("user", "item", "age", "gender", "occupation", "year", "user_wide", "item_wide",
                    "age_wide", "gender_wide", "occupation_wide", "year_wide", "user_x_genres_wide"), saved.tableNames());
            assertEquals(5, saved.table("user")[0].length);
            assertEquals(13, saved.table("item")[0].length); // fastai: round(1.6 * 41^0.56) = 13
            assertEquals(501, saved.table("user_x_genres_wide").length);
            // Served requests are encoded from the exported side tables; on known pairs that must give
            // exactly the training encoding (a user x genres cross over a bag included).
            RatingsData data = RatingsData.load(ConfigLoader.load(c, List.of()));
            int[] rows = java.util.Arrays.copyOf(data.split().train(), 50);
            List<String> users = java.util.Arrays.stream(rows).mapToObj(i -> data.table().users()[i]).toList();
            List<String> items = java.util.Arrays.stream(rows).mapToObj(i -> data.table().items()[i]).toList();
            dev.embtrain.datasets.features.FeatureSchema.Encoded direct = data.schema().encode(data.features(), rows);
            org.junit.jupiter.api.Assertions.assertArrayEquals(saved.predictRows(direct.ids(), direct.dense(), 50),
                    saved.predict(users, items), 1e-6f);
            assertEquals("bucket 500", saved.labels("user_x_genres_wide").get(500));
        }
        Result eval = run("evaluate", "--run", runDir.toString());
        assertEquals(0, eval.status(), eval.err());
        assertTrue(eval.out().startsWith("valid_auc "), eval.out());
    }

    private static double randomAuc(float[] labels) {
        SplittableRandom random = new SplittableRandom(1);
        double[] scores = new double[labels.length];
        int[] y = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            scores[i] = random.nextDouble();
            y[i] = (int) labels[i];
        }
        return BinaryMetrics.auc(scores, y);
    }

    @Test
    void factorizationMachineWithSideFeaturesTrainsExportsEveryTableAndEvaluatesTheSame(@TempDir Path dir)
            throws Exception {
        Path c = config(dir, SYNTHETIC.formatted(dir.resolve("data"), """
                  crosses: [{fields: [age, gender], buckets: 50}]
                model: {type: factorization-machine, factors: 4, field_modes: [{field: year, mode: bias_only}]}
                """));
        Path runDir = dir.resolve("run");
        Result r = run("train", c.toString(), "--run-dir", runDir.toString());
        assertEquals(0, r.status(), r.err());
        try (SavedRun saved = SavedRun.open(runDir)) {
            SavedRun.Evaluation e = saved.evaluate();
            assertEquals(Double.parseDouble(resolved(runDir, "best_valid_mse")), e.metrics().get("valid_mse"), 1e-6);
            assertEquals(List.of("user", "user_bias", "item", "item_bias", "age", "age_bias", "gender", "gender_bias",
                    "occupation", "occupation_bias", "year_bias", "age_x_gender", "age_x_gender_bias", "genres",
                    "genres_bias"), saved.tableNames());
            // The genres table has a row per genre column, labelled by the genre vocabulary.
            assertEquals(saved.schema().vocabulary("genres").tokens(), saved.labels("genres"));
            assertEquals(saved.schema().vocabulary("genres").size(), saved.table("genres").length);
        }
        for (String table : List.of("genres", "occupation", "age_x_gender", "year_bias")) {
            assertTrue(Files.isRegularFile(runDir.resolve("embeddings").resolve(table + ".npy")), table);
        }
        Result neighbors = run("neighbors", "--run", runDir.toString(), "--table", "occupation", "--query", "writer",
                "-k", "2");
        assertEquals(0, neighbors.status(), neighbors.err());
        assertTrue(neighbors.out().startsWith("nearest to \"writer\" in table occupation"), neighbors.out());
    }

    private static String resolved(Path runDir, String key) throws Exception {
        for (String line : Files.readAllLines(runDir.resolve(RunFiles.CONFIG))) {
            if (line.trim().startsWith(key + ":")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        throw new AssertionError("no " + key + " in the resolved config");
    }
}
