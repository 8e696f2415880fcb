package dev.embtrain.training.labelled;

import dev.embtrain.training.cli.CliRun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.cli.CliRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code search:} (trials.csv, pruning, reproducibility, best.yaml) and {@code embtrain score}. */
class LabelledSearchAndScoreTest {

    private static final String SEARCH = """
            name: lab-search
            dataset:
              type: synthetic-labelled-embeddings
              path: DATA
              ids: 3000
              width: 8
              format: csv
            model:
              type: wide-and-deep
              layers: []
            training:
              epochs: 4
              batch_size: 128
              optimizer: {learning_rate: 1.0e-2, weight_decay: 0.0}
            export: {plots: false}
            search:
              trials: 8
              sampler: {type: tpe, startup_trials: 4}
              pruner: {type: median, startup_trials: 2, warmup_epochs: 1}
              seed: 3
              space:
                - {key: training.optimizer.learning_rate, type: log-uniform, low: 1.0e-5, high: 1.0e-1}
                - {key: model.layers, type: choice, values: ["[]", "[8]"]}
            """;

    /** trials.csv without its seconds column, which is wall time. */
    private static List<String> withoutSeconds(Path csv) throws Exception {
        return Files.readAllLines(csv).stream().map(l -> {
            String[] f = l.split(",", -1);
            f[4] = "";
            return String.join(",", f);
        }).toList();
    }

    @Test
    void aSeededSearchIsReproduciblePrunesAndKeepsItsBestTrial(@TempDir Path tmp) throws Exception {
        Path c = LabelledJobTest.config(tmp, SEARCH);
        Result a = CliRun.run("train", c.toString(), "--run-dir", tmp.resolve("a").toString());
        assertEquals(0, a.status(), a.err());
        Result b = CliRun.run("train", c.toString(), "--run-dir", tmp.resolve("b").toString());
        assertEquals(0, b.status(), b.err());
        List<String> trials = withoutSeconds(tmp.resolve("a/trials.csv"));
        assertEquals(trials, withoutSeconds(tmp.resolve("b/trials.csv")));
        assertEquals("number,state,value,epochs,,training.optimizer.learning_rate,model.layers,reports", trials.get(0));
        assertEquals(9, trials.size());
        // Trial 0 is the config's own values, so the best is at least as good as the default on validation.
        assertTrue(trials.get(1).startsWith("0,COMPLETE,"), trials.get(1));
        assertTrue(trials.get(1).contains(",0.01,[],1:"), trials.get(1));
        long pruned = trials.stream().filter(l -> l.contains(",PRUNED,")).count();
        assertTrue(pruned >= 1, String.join("\n", trials));
        assertEquals(8, a.out().lines().filter(l -> l.startsWith("trial ")).count(), a.out());

        Map<String, String> res = LabelledJobTest.resolved(tmp.resolve("a"));
        int best = Integer.parseInt(res.get("search_best_trial"));
        String[] bestRow = trials.get(best + 1).split(",");
        assertEquals("COMPLETE", bestRow[1]);
        for (String row : trials.subList(1, trials.size())) {
            if (row.contains(",COMPLETE,")) {
                assertTrue(Double.parseDouble(row.split(",")[2]) <= Double.parseDouble(bestRow[2]), row);
            }
        }
        // The kept model is the best trial's: its best validation AUC is the trial's value.
        assertEquals(Double.parseDouble(bestRow[2]), Double.parseDouble(res.get("best_valid_auc")));
        assertEquals(Long.toString(pruned), res.get("search_trials_pruned"));
        // best.yaml trains as it is, with the best trial's values and no search.
        String bestYaml = Files.readString(tmp.resolve("a/best.yaml"));
        assertTrue(!bestYaml.contains("search:"), bestYaml);
        Result again = CliRun.run("train", tmp.resolve("a/best.yaml").toString(), "--run-dir",
                tmp.resolve("again").toString());
        assertEquals(0, again.status(), again.err());
        assertEquals(res.get("best_valid_auc"), LabelledJobTest.resolved(tmp.resolve("again")).get("best_valid_auc"));
    }

    @Test
    void scoresEveryIdOnceAndMatchesTheInProcessTestScores(@TempDir Path tmp) throws Exception {
        Path c = LabelledJobTest.config(tmp, SEARCH.substring(0, SEARCH.indexOf("search:"))
                .replace("ids: 3000", "ids: 2500"));
        Path run = tmp.resolve("run");
        Result r = CliRun.run("train", c.toString(), "--run-dir", run.toString());
        assertEquals(0, r.status(), r.err());
        Path out = tmp.resolve("scores.csv");
        // A batch size that does not divide the row count: the last chunk is short.
        Result s = CliRun.run("score", "--run", run.toString(), "--embeddings",
                tmp.resolve("data/embeddings.csv").toString(), "--out", out.toString(), "--batch", "300");
        assertEquals(0, s.status(), s.err());
        assertTrue(s.out().startsWith("scored 2,500 ids in "), s.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals("rid,score", lines.get(0));
        assertEquals(2501, lines.size());
        Map<String, Float> scores = new HashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            assertEquals(null, scores.put(f[0], Float.parseFloat(f[1])), "rid written twice: " + f[0]);
        }
        Set<String> expected = new HashSet<>();
        for (int i = 1; i <= 2500; i++) {
            expected.add(String.format("u%07d", i));
        }
        assertEquals(expected, scores.keySet());
        List<String> test = Files.readAllLines(run.resolve("test_predictions.csv"));
        assertEquals("rid,label,score", test.get(0));
        float worst = 0;
        for (String l : test.subList(1, test.size())) {
            String[] f = l.split(",");
            worst = Math.max(worst, Math.abs(scores.get(f[0]) - Float.parseFloat(f[2])));
        }
        // Same preprocessing and block; only the batch composition differs (300 vs all test rows).
        assertTrue(worst <= 1e-6f, "largest difference " + worst);
        // No temporary file is left beside the output.
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList());
        }
        Result bad = CliRun.run("score", "--run", tmp.toString(), "--embeddings", out.toString(), "--out",
                tmp.resolve("x.csv").toString());
        assertEquals(2, bad.status());
        assertEquals("embtrain: " + tmp + ": not a labelled-embeddings run directory (no preprocessing.tsv and"
                + " config.yaml)\n", bad.err());
        assertTrue(Arrays.asList(tmp.toFile().list()).stream().noneMatch(n -> n.equals("x.csv")));
    }

    @Test
    void randomSamplingWithSuccessiveHalvingPrunesToo(@TempDir Path tmp) throws Exception {
        String body = SEARCH.replace("ids: 3000", "ids: 1500").replace("trials: 8", "trials: 6")
                .replace("{type: tpe, startup_trials: 4}", "{type: random}")
                .replace("{type: median, startup_trials: 2, warmup_epochs: 1}",
                        "{type: successive-halving, min_resource: 1, reduction_factor: 3}");
        Result r = CliRun.run("train", LabelledJobTest.config(tmp, body).toString(), "--run-dir",
                tmp.resolve("run").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("search   6 trials, random sampler, successive-halving pruner on valid_auc;"), r.out());
        List<String> trials = Files.readAllLines(tmp.resolve("run/trials.csv"));
        assertEquals(7, trials.size());
        assertTrue(trials.stream().anyMatch(l -> l.contains(",PRUNED,")), String.join("\n", trials));
    }

    @Test
    void aSearchedRunScoresWithTheBestTrialsModelNotTheConfigs(@TempDir Path tmp) throws Exception {
        // The config says layers: [], every trial has a hidden layer: the kept model is not the config's.
        String body = SEARCH.replace("ids: 3000", "ids: 1200").replace("trials: 8", "trials: 2")
                .replace("{type: median, startup_trials: 2, warmup_epochs: 1}", "{type: none}")
                .replace("values: [\"[]\", \"[8]\"]", "values: [\"[8]\"]");
        Path run = tmp.resolve("run");
        Result r = CliRun.run("train", LabelledJobTest.config(tmp, body).toString(), "--run-dir",
                run.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("the config's own values lie outside the space"), r.out());
        Path out = tmp.resolve("scores.csv");
        Result s = CliRun.run("score", "--run", run.toString(), "--embeddings",
                tmp.resolve("data/embeddings.csv").toString(), "--out", out.toString());
        assertEquals(0, s.status(), s.err());
        Map<String, Float> scores = new HashMap<>();
        for (String l : Files.readAllLines(out).subList(1, 1201)) {
            scores.put(l.split(",")[0], Float.parseFloat(l.split(",")[1]));
        }
        for (String l : Files.readAllLines(run.resolve("test_predictions.csv")).subList(1, 181)) {
            String[] f = l.split(",");
            assertEquals(Float.parseFloat(f[2]), scores.get(f[0]), 1e-6f, f[0]);
        }
        // Built from the config's own model section (no hidden layer), the kept [8] parameters load
        // without complaint in DJL, so scoring checks the output's shape.
        dev.embtrain.training.config.WideAndDeepConfig logistic = new dev.embtrain.training.config.WideAndDeepConfig(
                dev.embtrain.training.config.WideAndDeepConfig.Objective.BINARY, List.of(), 0, false,
                dev.embtrain.models.EmbeddingSizeRule.FASTAI, List.of(), List.of(0.0, 1.0), 0.01);
        try (ai.djl.Model wrong = LabelledModel.load(dev.embtrain.training.kinds.LabelledScorer.spec(logistic, 8), run.resolve("model"),
                ai.djl.Device.cpu())) {
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> LabelledModel.logits(wrong, new float[3 * 8], 3, 8));
            assertEquals("the model returned 24 scores for 3 rows: its parameters do not match the model section it"
                    + " was built from", e.getMessage());
        }
    }
}
