package dev.embtrain.training.spark;

import static dev.embtrain.training.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.cli.CliRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parallel random search records what the sequential one does, and keeps the same model. */
class SparkSearchTest {

    private static final String CONFIG = """
            name: search
            seed: 7
            dataset: {type: synthetic-movielens, path: DATA, users: 80, items: 60, ratings: 3000}
            model: {type: dot-product-bias, factors: 4}
            training: {epochs: 3, batch_size: 64, progress: false}
            export: {embeddings: [], plots: false}
            search:
              trials: 4
              sampler: {type: random}
              pruner: {type: PRUNER}
              seed: 3
              space:
                - {key: training.optimizer.learning_rate, type: log-uniform, low: 1.0e-3, high: 1.0e-1}
                - {key: model.factors, type: choice, values: [2, 4, 8]}
            """;

    /** The table without its seconds column, which timing alone sets. */
    private static List<String> trials(Path run) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("trials.csv"))) {
            String[] f = line.split(",", -1);
            List<String> kept = new ArrayList<>(List.of(f));
            kept.remove(4);
            out.add(String.join(",", kept));
        }
        return out;
    }

    @Test
    void theParallelRandomSearchEqualsTheSequentialOne(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("c.yaml"), CONFIG.replace("DATA", tmp.resolve("data").toString())
                .replace("PRUNER", "none"));
        Result sequential = run("train", config.toString(), "--run-dir", tmp.resolve("seq").toString());
        assertEquals(0, sequential.status(), sequential.err());
        Result parallel = run("spark", "search", config.toString(), "--master", "local[2]", "--run-dir",
                tmp.resolve("par").toString());
        assertEquals(0, parallel.status(), parallel.err());
        assertTrue(parallel.out().contains("spark    4 trials as Spark tasks on local[2]"), parallel.out());
        List<String> expected = trials(tmp.resolve("seq"));
        assertEquals(5, expected.size());
        assertEquals(expected, trials(tmp.resolve("par")));
        assertEquals(Files.readString(tmp.resolve("seq/best.yaml")), Files.readString(tmp.resolve("par/best.yaml")));
        assertEquals(Files.readAllLines(tmp.resolve("seq/metrics.csv")).size(),
                Files.readAllLines(tmp.resolve("par/metrics.csv")).size());
    }

    @Test
    void aPrunerOrTpeIsRefused(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("c.yaml"), CONFIG.replace("DATA", tmp.resolve("data").toString())
                .replace("PRUNER", "median"));
        Result r = run("spark", "search", config.toString(), "--master", "local[1]", "--run-dir",
                tmp.resolve("x").toString());
        assertEquals(2, r.status());
        assertEquals("embtrain: search.pruner: spark search runs trials at once, and a pruner compares a trial with"
                + " those before it as it runs: use pruner: {type: none} (" + config + ":10)\n", r.err());
    }
}
