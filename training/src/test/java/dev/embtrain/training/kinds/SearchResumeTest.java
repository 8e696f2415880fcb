package dev.embtrain.training.kinds;

import dev.embtrain.training.run.RunFiles;
import dev.embtrain.training.train.Training;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search killed after two trials keeps its trials table beside the run, and --resume proposes
 * the trials an uninterrupted search proposes (TPE after its random start, with the config's
 * own values queued first), ending with the same table and the same best trial.
 */
class SearchResumeTest {

    private static final String SEARCH = """
            name: s
            seed: 3
            dataset: {type: synthetic-movielens, path: DATA, users: 200, items: 150, ratings: 20000}
            model: {type: dot-product-bias, factors: 8}
            training: {epochs: 2, batch_size: 16, optimizer: {type: adamw, learning_rate: 1.0e-2}, progress: false}
            export: {embeddings: [], plots: false}
            search:
              trials: 5
              sampler: {type: tpe, startup_trials: 2}
              pruner: {type: none}
              space:
                - {key: training.optimizer.learning_rate, type: log-uniform, low: 1.0e-3, high: 3.0e-2}
                - {key: model.factors, type: int, low: 2, high: 16}
            """;

    /** The table without its seconds column. */
    private static List<String> table(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            List<String> f = new ArrayList<>(Arrays.asList(line.split(",")));
            f.remove(4);
            out.add(String.join(",", f));
        }
        return out;
    }

    @Test
    void aKilledSearchResumesWithTheProposalsOfAnUninterruptedOne(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("c.yaml"), SEARCH.replace("DATA", tmp.resolve("data").toString()));
        Path straight = tmp.resolve("straight");
        CliRun.Result r = CliRun.run("train", config.toString(), "--run-dir", straight.toString());
        assertEquals(0, r.status(), r.err());
        assertFalse(Files.exists(tmp.resolve("straight.trials.csv")), "the table moved into the run");

        Path run = tmp.resolve("killed");
        Path trials = tmp.resolve("killed.trials.csv");
        Path log = tmp.resolve("child.log");
        Process p = ResumeTest.child(config, run, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.exists(trials) && Files.readAllLines(trials).size() >= 3)) {
            assertTrue(p.isAlive() && System.nanoTime() < deadline, () -> "no second trial: " + log);
            Thread.sleep(5);
        }
        p.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
        assertEquals(3, Files.readAllLines(trials).size(), "killed after its second trial");

        CliRun.Result plain = CliRun.run("train", config.toString(), "--run-dir", run.toString());
        assertEquals(2, plain.status());
        CliRun.Result resumed = CliRun.run("train", config.toString(), "--run-dir", run.toString(), "--resume");
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("resume   2 trials finished, 3 to go"), resumed.out());
        assertEquals(table(straight.resolve(RunFiles.TRIALS)), table(run.resolve(RunFiles.TRIALS)));
        assertEquals(Files.readString(straight.resolve(RunFiles.BEST)), Files.readString(run.resolve(RunFiles.BEST)));
        assertFalse(Files.exists(trials));
    }
}
