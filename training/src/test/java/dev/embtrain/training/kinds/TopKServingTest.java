package dev.embtrain.training.kinds;

import static dev.embtrain.training.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.embtrain.datasets.synthetic.SyntheticMovieLens;
import dev.embtrain.training.cli.CliRun.Result;
import dev.embtrain.training.export.Neighbors;
import dev.embtrain.training.recommend.Recommender;
import dev.embtrain.training.run.SavedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rating model's DJL Serving directory answers {@code {"user": ..., "k": ...}} with the
 * top-k items {@code embtrain recommend} gives, in a JVM with DJL and nothing of embtrain's
 * trainer, for the ids-only translator and the side-feature one, and for implicit feedback.
 */
class TopKServingTest {

    @Test
    void theServedTopKIsWhatRecommendGives(@TempDir Path tmp) throws Exception {
        Path ml = tmp.resolve("ml");
        SyntheticMovieLens.write(new SyntheticMovieLens.Spec(40, 30, 600, 2, 0.5, 3), ml);
        for (String name : List.of("dot", "fm", "bpr")) {
            boolean fm = name.equals("fm");
            String model = fm ? "{type: factorization-machine, factors: 4, y_range: [0.5, 5.5]}"
                    : name.equals("dot") ? "{type: dot-product-bias, factors: 4, y_range: [0.5, 5.5]}"
                    : "{type: dot-product-bias, factors: 4}";
            // An implicit-feedback run serves its raw score, ranked as recommend ranks it.
            String label = name.equals("bpr") ? ", label: {type: implicit}" : "";
            Path config = Files.writeString(tmp.resolve(name + ".yaml"), """
                    name: %s
                    seed: 5
                    dataset: {type: movielens, path: %s, item_key: id, features: %s%s}
                    model: %s
                    training: {epochs: 2, batch_size: 32, optimizer: {type: adamw, learning_rate: 0.02}, progress: false}
                    export: {embeddings: [], plots: false}
                    """.formatted(name, ml, fm ? "[user, item, age, genres]" : "[user, item]", label, model));
            Path dir = tmp.resolve("run-" + name);
            Result trained = run("train", config.toString(), "--run-dir", dir.toString());
            assertEquals(0, trained.status(), trained.err());
            Path serving = tmp.resolve("serving-" + name);
            Result export = run("export", "--run", dir.toString(), "--serving", serving.toString());
            assertEquals(0, export.status(), export.err());
            assertTrue(Files.isRegularFile(serving.resolve("vocab/seen.txt")));
            Path requests = Files.write(tmp.resolve("requests-" + name), List.of(
                    "{\"user\": \"7\", \"k\": 4}",
                    "{\"user\": \"12\", \"k\": 3}",
                    "{\"user\": \"7\", \"k\": 0}",
                    "{\"user\": \"7\", \"item\": \"3\", \"k\": 2}",
                    "{\"user\": \"nobody\", \"k\": 2}",
                    "{\"item\": \"3\", \"k\": 4}",
                    "{\"item\": \"nope\", \"k\": 2}"));
            List<String> lines = ServingExportTest.runClient(serving, requests, tmp);
            assertEquals("CLEAN", lines.get(lines.size() - 1), String.join("\n", lines));
            List<String> answers = lines.stream().filter(l -> l.matches("\\d{3}\t.*")).toList();
            assertEquals(7, answers.size(), String.join("\n", lines));
            try (SavedRun saved = SavedRun.open(dir)) {
                // Similar items: the item table's nearest rows by cosine, as neighbors finds them.
                Neighbors.Table table = saved.modelTables().stream().filter(t -> t.name().equals("item")).findFirst()
                        .orElseThrow();
                var vocabulary = saved.vocabularies().get("item");
                List<Neighbors.Neighbor> near = Neighbors.nearest(table.vectors(), vocabulary.tokens(),
                        vocabulary.index("3"), 4, table.exclude());
                JsonObject similar = JsonParser.parseString(ServingExportTest.body(answers.get(5), 200))
                        .getAsJsonObject();
                assertEquals("3", similar.get("item").getAsString());
                JsonArray found = similar.getAsJsonArray("similar");
                assertEquals(4, found.size());
                for (int j = 0; j < 4; j++) {
                    assertEquals(near.get(j).label(), found.get(j).getAsJsonObject().get("item").getAsString());
                    assertEquals(near.get(j).cosine(), found.get(j).getAsJsonObject().get("cosine").getAsFloat(),
                            1e-5);
                }
                Recommender r = new Recommender(saved, false);
                for (int q = 0; q < 2; q++) {
                    String user = q == 0 ? "7" : "12";
                    int k = q == 0 ? 4 : 3;
                    JsonObject served = JsonParser.parseString(ServingExportTest.body(answers.get(q), 200))
                            .getAsJsonObject();
                    assertEquals(user, served.get("user").getAsString());
                    assertTrue(served.get("seen_excluded").getAsBoolean());
                    JsonArray items = served.getAsJsonArray("items");
                    List<Recommender.Item> expected = r.recommend(List.of(user), k).get(0);
                    assertEquals(expected.size(), items.size());
                    for (int j = 0; j < expected.size(); j++) {
                        JsonObject o = items.get(j).getAsJsonObject();
                        assertEquals(expected.get(j).item(), o.get("item").getAsString(), name + " " + user);
                        assertEquals(expected.get(j).score(), o.get("rating").getAsFloat(), 1e-5f);
                    }
                }
            }
            assertEquals("{\"error\":\"\\\"k\\\" must be a whole number >= 1, found 0\"}",
                    ServingExportTest.body(answers.get(2), 400));
            assertEquals("{\"error\":\"a top-k request names a user and k, or an item and k, not both\"}",
                    ServingExportTest.body(answers.get(3), 400));
            assertEquals("{\"error\":\"unknown user \\\"nobody\\\": the model was not trained on it\"}",
                    ServingExportTest.body(answers.get(4), 400));
            assertEquals("{\"error\":\"unknown item \\\"nope\\\": the model was not trained on it\"}",
                    ServingExportTest.body(answers.get(6), 400));
        }
    }
}
