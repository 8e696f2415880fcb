package dev.embtrain.training.kinds;

import dev.embtrain.training.run.RunFiles;
import dev.embtrain.training.run.SavedRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.embtrain.training.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains a small model of each family, exports it for DJL Serving, then loads the directory in a separate JVM
 * whose classpath holds only DJL's jars and their dependencies, as DJL Serving would, and
 * checks its answers against the in-process model.
 */
class ServingExportTest {

    // DJL's jars and what they depend on; nothing of embtrain, its YAML, CLI or logging libraries.
    private static final List<String> DJL_CLASSPATH = List.of("/ai/djl/", "/com/google/code/gson/", "/net/java/dev/jna/",
            "/org/slf4j/slf4j-api/", "/org/apache/commons/commons-compress/", "/commons-io/commons-io/",
            "/org/apache/commons/commons-lang3/", "/commons-codec/commons-codec/");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{type: dot-product-bias, factors: 3, y_range: [0.5, 5.5]}",
        "{type: deep-collaborative, layers: [8, 4], dropout: 0.1, batch_norm: true, y_range: [0.5, 5.5]}",
        // With side features deep-collaborative is fastai's EmbeddingNN (wide-and-deep's block, no wide part).
        "{type: deep-collaborative, layers: [8], user_embedding_size: 4, y_range: [0.5, 5.5]}"
                + "|, features: [user, item, age, occupation, genres, year]",
        // Side features filled in by the translator from the exported tables; a cross of two single fields.
        "{type: factorization-machine, factors: 3, y_range: [0.5, 5.5], field_modes: [{field: year, mode: bias_only}]}"
                + "|, features: [user, item, age, gender, occupation, zip_prefix, genres, year],"
                + " crosses: [{fields: [age, gender], buckets: 20}]",
        // Binary: a logit and a probability; a user x genres cross, one bucket per genre.
        "{type: wide-and-deep, layers: [8], embedding_sizes: [{field: user, size: 4}]}"
                + "|, features: [user, item, age, occupation, genres, year], crosses: [{fields: [user, genres],"
                + " buckets: 50}], label: {type: binary, threshold: 4}"
    })
    void aSeparateDjlOnlyJvmGivesTheSamePredictions(String spec, @TempDir Path tmp) throws Exception {
        String model = spec.split("\\|")[0];
        String features = spec.contains("|") ? spec.split("\\|")[1] : "";
        String answer = features.contains("binary") ? "logit" : "rating";
        Path config = Files.writeString(tmp.resolve("c.yaml"), """
                name: serve
                dataset: {type: synthetic-movielens, path: %s, users: 30, items: 20, ratings: 500, factors: 2%s}
                model: %s
                training: {epochs: 2, batch_size: 32, optimizer: {learning_rate: 0.05}}
                export: {embeddings: [], serving: true, plots: false}
                """.formatted(tmp.resolve("data"), features, model));
        Path run = tmp.resolve("run");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Main(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(new String[] {"train", config.toString(),
                    "--run-dir", run.toString()});
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        Path serving = run.resolve(RunFiles.SERVING_DIR);
        for (String f : List.of("serving.properties", "embtrain-models.jar", "libs/embtrain-models.jar",
                "vocab/user.txt", "vocab/item.txt")) {
            assertTrue(Files.isRegularFile(serving.resolve(f)), f);
        }

        List<String> users = List.of("1", "7", "30", "12");
        List<String> items = List.of("1", "20", "5", "5");
        float[] expected;
        try (SavedRun saved = SavedRun.open(run)) {
            expected = saved.predict(users, items);
        }
        List<String> requests = new ArrayList<>();
        requests.add("{\"user\": \"1\", \"item\": \"1\"}");
        requests.add("[{\"user\": 7, \"item\": \"20\"}, {\"user\": \"30\", \"item\": 5}, {\"user\": \"12\", \"item\": \"5\"}]");
        requests.add("{\"user\": \"9999\", \"item\": \"1\"}");
        requests.add("{\"user\": \"1\", \"item\": ");
        requests.add("{\"user\": \"1\"}");
        requests.add("[{\"user\": \"1\", \"item\": \"1\"}, {\"user\": \"1\", \"item\": \"nope\"}]");
        requests.add("{\"user\": \"1\", \"item\": \"1\"}"); // the worker still answers after errors
        Path requestFile = Files.write(tmp.resolve("requests.txt"), requests);

        List<String> lines = runClient(serving, requestFile, tmp);
        assertEquals("CLEAN", lines.get(lines.size() - 1), String.join("\n", lines));
        List<String> answers = lines.stream().filter(l -> l.matches("\\d{3}\t.*")).toList();
        assertEquals(requests.size(), answers.size(), String.join("\n", lines));

        JsonObject single = JsonParser.parseString(body(answers.get(0), 200)).getAsJsonObject();
        assertEquals("1", single.get("user").getAsString());
        assertEquals(expected[0], single.get(answer).getAsFloat(), 1e-5f);
        JsonArray list = JsonParser.parseString(body(answers.get(1), 200)).getAsJsonArray();
        for (int i = 0; i < 3; i++) {
            assertEquals(users.get(i + 1), list.get(i).getAsJsonObject().get("user").getAsString());
            assertEquals(items.get(i + 1), list.get(i).getAsJsonObject().get("item").getAsString());
            assertEquals(expected[i + 1], list.get(i).getAsJsonObject().get(answer).getAsFloat(), 1e-5f);
        }
        if (answer.equals("logit")) {
            assertEquals(1 / (1 + Math.exp(-expected[0])), single.get("probability").getAsFloat(), 1e-5);
        }
        assertEquals("{\"error\":\"unknown user \\\"9999\\\": the model was not trained on it\"}",
                body(answers.get(2), 400));
        assertTrue(body(answers.get(3), 400).startsWith("{\"error\":\"the request is not valid JSON: "),
                answers.get(3));
        assertEquals("{\"error\":\"\\\"item\\\" is missing\"}", body(answers.get(4), 400));
        assertEquals("{\"error\":\"unknown item \\\"nope\\\" in element 1: the model was not trained on it\"}",
                body(answers.get(5), 400));
        assertEquals(expected[0],
                JsonParser.parseString(body(answers.get(6), 200)).getAsJsonObject().get(answer).getAsFloat(), 1e-5f);
    }

    static String body(String answer, int code) {
        String[] parts = answer.split("\t", 2);
        assertEquals(Integer.toString(code), parts[0], answer);
        return parts[1];
    }

    static List<String> runClient(Path modelDir, Path requests, Path tmp) throws Exception {
        String testClassPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> djl = Arrays.stream(testClassPath.split(File.pathSeparator))
                .filter(e -> DJL_CLASSPATH.stream().anyMatch(e.replace('\\', '/')::contains))
                .toList();
        assertFalse(djl.isEmpty(), testClassPath);
        assertTrue(djl.stream().noneMatch(e -> e.contains("embtrain")), djl.toString());
        Path client = Path.of(ServingExportTest.class.getResource("/serving/ServingClient.java").toURI());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = tmp.resolve("client.log");
        Process p = new ProcessBuilder(java.toString(), "-cp", String.join(File.pathSeparator, djl),
                "-Dai.djl.offline=true", "-DDJL_CACHE_DIR=" + System.getProperty("DJL_CACHE_DIR", ""),
                client.toString(), modelDir.toString(), requests.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the client did not finish");
        List<String> lines = Files.readAllLines(log);
        assertEquals(0, p.exitValue(), String.join("\n", lines));
        return lines;
    }
}
