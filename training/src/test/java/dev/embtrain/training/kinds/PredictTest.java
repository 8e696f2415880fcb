package dev.embtrain.training.kinds;

import dev.embtrain.training.train.Training;
import dev.embtrain.training.run.SavedRun;
import static dev.embtrain.training.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.cli.CliRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code embtrain predict}: a file through the serving translator gives the in-process answers. */
class PredictTest {

    private static final String TRAINING = """
            training: {epochs: 2, batch_size: 64, progress: false}
            export: {embeddings: [], plots: false}
            """;

    @Test
    void ratingsFromACsvWhoseColumnsAreNamedNotPlaced(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("c.yaml"), """
                name: p
                dataset: {type: synthetic-movielens, path: %s, users: 30, items: 20, ratings: 500}
                model: {type: dot-product-bias, factors: 3}
                """.formatted(tmp.resolve("data")) + TRAINING);
        Path runDir = tmp.resolve("run");
        Result trained = run("train", config.toString(), "--run-dir", runDir.toString());
        assertEquals(0, trained.status(), trained.err());
        List<String> users = List.of("1", "7", "30", "12", "3");
        List<String> items = List.of("1", "20", "5", "5", "9");
        List<String> csv = new ArrayList<>(List.of("item,note,user"));
        for (int i = 0; i < users.size(); i++) {
            csv.add(items.get(i) + ",\"a, b\"," + users.get(i));
        }
        Path in = Files.write(tmp.resolve("pairs.csv"), csv);
        Path out = tmp.resolve("ratings.csv");
        Result r = run("predict", "--run", runDir.toString(), "--in", in.toString(), "--out", out.toString(),
                "--batch", "2");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("predicted 5 rows in "), r.out());
        float[] expected;
        try (SavedRun saved = SavedRun.open(runDir)) {
            expected = saved.predict(users, items);
        }
        List<String> lines = Files.readAllLines(out);
        assertEquals("user,item,rating", lines.get(0));
        assertEquals(6, lines.size());
        for (int i = 0; i < users.size(); i++) {
            String[] f = lines.get(i + 1).split(",");
            assertEquals(users.get(i), f[0]);
            assertEquals(items.get(i), f[1]);
            assertEquals(expected[i], Float.parseFloat(f[2]), 1e-6f);
        }

        // An unknown user names the file and its line; nothing is written.
        csv.set(3, "5,x,9999");
        Files.write(in, csv);
        Path none = tmp.resolve("none.csv");
        Result bad = run("predict", "--run", runDir.toString(), "--in", in.toString(), "--out", none.toString(),
                "--batch", "2");
        assertEquals(1, bad.status());
        assertEquals("embtrain: " + in + ":4: unknown user \"9999\": the model was not trained on it\n", bad.err());
        assertFalse(Files.exists(none));
        Files.write(in, List.of("uid,item", "1,1"));
        Result column = run("predict", "--run", runDir.toString(), "--in", in.toString(), "--out", none.toString());
        assertEquals(1, column.status());
        assertEquals("embtrain: " + in + ":1: no \"user\" column; the columns are [uid, item]\n", column.err());
    }

    @Test
    void classifierScoresEqualWhatTrainingScoredInProcess(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        Path config = Files.writeString(tmp.resolve("c.yaml"), """
                name: p
                dataset: {type: synthetic-labelled-embeddings, path: %s, ids: 300, width: 5, format: csv}
                model: {type: wide-and-deep, layers: []}
                """.formatted(data) + TRAINING);
        Path runDir = tmp.resolve("run");
        Result trained = run("train", config.toString(), "--run-dir", runDir.toString());
        assertEquals(0, trained.status(), trained.err());
        Path embeddings;
        try (var files = Files.list(data)) {
            embeddings = files.filter(f -> f.getFileName().toString().startsWith("embeddings")).findFirst()
                    .orElseThrow();
        }
        Path predicted = tmp.resolve("predicted.csv");
        Result predict = run("predict", "--run", runDir.toString(), "--in", embeddings.toString(), "--out",
                predicted.toString(), "--batch", "64");
        assertEquals(0, predict.status(), predict.err());
        java.util.Map<String, Float> scores = new java.util.HashMap<>();
        List<String> lines = Files.readAllLines(predicted);
        assertEquals("rid,score", lines.get(0));
        assertEquals(301, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            scores.put(line.split(",")[0], Float.parseFloat(line.split(",")[1]));
        }
        // Training scored its test rows in process (LabelledKind); the file's scores must agree.
        List<String> test = Files.readAllLines(runDir.resolve(LabelledKind.TEST_PREDICTIONS));
        assertTrue(test.size() > 10, test.toString());
        for (String line : test.subList(1, test.size())) {
            String[] f = line.split(",");
            assertEquals(Float.parseFloat(f[2]), scores.get(f[0]), 1e-6f, f[0]);
        }
    }
}
