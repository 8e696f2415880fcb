package dev.embtrain.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.Embtrain;
import dev.embtrain.training.engine.Listener;
import dev.embtrain.training.engine.Step;
import dev.embtrain.training.run.SavedTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Row-sparse tables with skipped steps caught up train as dense tables do: the same run, dense and
 * {@code sparse: true}, ends with the same weights in every table, though most rows sit out most
 * steps. Eps is tiny here, where the catch-up is exact; with fastai's 1e-5 it stands in for eps
 * over several skipped steps ({@link SkippedSteps}), and benchmarks/sparse-tables measures what
 * that does to the validation MSE. Lazy, the same run ends elsewhere.
 */
class CaughtUpTrainingTest {

    private static final String CONFIG = """
            name: caught-up
            seed: 7
            dataset: {type: synthetic-movielens, path: %s, users: 300, items: 200, ratings: 6000, factors: 2,
              noise: 0.5, split: {type: random, validation: 0.2, seed: 1}}
            model: {type: dot-product-bias, factors: 4, y_range: [0.5, 5.5]}
            training:
              epochs: 2
              batch_size: 32
              optimizer: {type: adamw, learning_rate: 1.0e-2, weight_decay: 0.1, eps: 1.0e-30}
              schedule: {type: one-cycle}
              device: cpu
            """;

    /** Stops the run after a number of steps; the loop then settles the tables before saving. */
    private static Listener stopAfter(int steps) {
        return new Listener() {
            @Override
            public void afterStep(Step step) {
                if (step.number() == steps) {
                    step.stop();
                }
            }
        };
    }

    private static Map<String, float[]> train(Path dir, String name, int steps, String... overrides) throws Exception {
        Path config = Files.writeString(dir.resolve(name + ".yaml"),
                CONFIG.formatted(dir.resolve("data").toString().replace('\\', '/')));
        Path run = dir.resolve(name);
        Embtrain.train(config, List.of(overrides), run, stopAfter(steps));
        return SavedTables.of(run);
    }

    @Test
    void sparseTablesCaughtUpEndWhereDenseTablesDo(@TempDir Path dir) throws Exception {
        // 150 steps of 32 ratings over 300 users and 200 items: a user is named about once in 9 steps.
        Map<String, float[]> dense = train(dir, "dense", 150, "training.optimizer.sparse=false");
        Map<String, float[]> caughtUp = train(dir, "caught-up", 150, "training.optimizer.sparse=true");
        Map<String, float[]> lazy = train(dir, "lazy", 150, "training.optimizer.sparse=true",
                "training.optimizer.lazy=true");
        assertEquals(dense.keySet(), caughtUp.keySet());
        double caught = SavedTables.maxDifference(dense, caughtUp);
        double lazyOff = SavedTables.maxDifference(dense, lazy);
        assertTrue(caught < 1e-5, "caught up: largest difference from dense " + caught);
        assertTrue(lazyOff > 1e-2, "lazy: largest difference from dense " + lazyOff);
    }
}
