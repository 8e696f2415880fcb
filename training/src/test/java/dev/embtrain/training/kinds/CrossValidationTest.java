package dev.embtrain.training.kinds;

import static dev.embtrain.training.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.datasets.synthetic.SyntheticMovieLens;
import dev.embtrain.training.cli.CliRun.Result;
import dev.embtrain.training.run.RunFiles;
import dev.embtrain.training.train.CrossValidation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MovieLens's official folds, k-fold splits, and {@code train --cross-validate} over either. */
class CrossValidationTest {

    private static final String TAIL = """
            model: {type: dot-product-bias, factors: 4, y_range: [0.5, 5.5]}
            training: {epochs: 2, batch_size: 64, optimizer: {type: adamw, learning_rate: 0.01}}
            """;

    private static Path config(Path tmp, String dataset) throws Exception {
        return Files.writeString(tmp.resolve("c.yaml"), "name: cv\nseed: 5\n" + dataset + TAIL);
    }

    /** The monitored metric of a run's best epoch, as metrics.csv has it. */
    private static String bestMse(Path run) throws Exception {
        List<String> lines = Files.readAllLines(run.resolve(RunFiles.METRICS));
        int col = List.of(lines.get(0).split(",")).indexOf("valid_mse");
        return lines.stream().skip(1).map(l -> l.split(",")[col]).min((a, b) -> Double.compare(
                Double.parseDouble(a), Double.parseDouble(b))).orElseThrow();
    }

    @Test
    void theOfficialFoldsTrainOneByOneAndCrossValidateIntoOneTable(@TempDir Path tmp) throws Exception {
        Path ml = tmp.resolve("ml");
        SyntheticMovieLens.write(new SyntheticMovieLens.Spec(50, 40, 1500, 2, 0.5, 3), ml);
        Path c = config(tmp, "dataset: {type: movielens, path: " + ml + ", item_key: id, split: {type: fold}}\n");
        Result cv = run("train", c.toString(), "--cross-validate", "--run-dir", tmp.resolve("cv").toString());
        assertEquals(0, cv.status(), cv.err());
        List<String> csv = Files.readAllLines(tmp.resolve("cv").resolve(CrossValidation.TABLE));
        assertEquals("fold,best_epoch,epochs,valid_mse,seconds_per_epoch", csv.get(0));
        assertEquals(8, csv.size(), csv.toString());
        List<Double> values = new ArrayList<>();
        for (int f = 1; f <= 5; f++) {
            String[] row = csv.get(f).split(",");
            assertEquals("u" + f, row[0]);
            values.add(Double.parseDouble(row[3]));
            // Each fold is the run a single fold split trains, exactly.
            Path fold = tmp.resolve("cv").resolve("fold-u" + f);
            assertEquals(Double.parseDouble(bestMse(fold)), values.get(f - 1));
            assertTrue(cv.out().contains(String.format(Locale.ROOT, "%nu%d %14s %12.4f", f, row[1],
                    values.get(f - 1))), cv.out());
        }
        Result u3 = run("train", c.toString(), "--set", "dataset.split.fold=u3", "--run-dir",
                tmp.resolve("u3").toString());
        assertEquals(0, u3.status(), u3.err());
        assertEquals(bestMse(tmp.resolve("u3")), bestMse(tmp.resolve("cv/fold-u3")));
        assertTrue(u3.out().contains("split    1,200 training, 300 validation ratings"), u3.out());
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double sd = Math.sqrt(values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / 4);
        assertEquals(mean, Double.parseDouble(csv.get(6).split(",")[3]), 1e-12);
        assertEquals(sd, Double.parseDouble(csv.get(7).split(",")[3]), 1e-12);
        assertTrue(cv.out().contains(String.format(Locale.ROOT, "%n%-6s %10s %12.4f", "mean", "", mean)), cv.out());
        assertTrue(cv.out().contains(String.format(Locale.ROOT, "%n%-6s %10s %12.4f%n", "sd", "", sd)), cv.out());
        // ua holds out each user's first ten ratings: 10 of each of 50 users.
        Result ua = run("train", c.toString(), "--set", "dataset.split.fold=ua", "--run-dir",
                tmp.resolve("ua").toString());
        assertTrue(ua.out().contains("split    1,000 training, 500 validation ratings"), ua.out());
        // The directory is not replaced without --overwrite, and is with it.
        Result again = run("train", c.toString(), "--cross-validate", "--run-dir", tmp.resolve("cv").toString());
        assertEquals(2, again.status(), again.out());
        assertTrue(again.err().contains("a run already exists there; pass --overwrite"), again.err());
        Result overwritten = run("train", c.toString(), "--cross-validate", "--overwrite", "--run-dir",
                tmp.resolve("cv").toString(), "--set", "training.epochs=1");
        assertEquals(0, overwritten.status(), overwritten.err());
        assertEquals("1", Files.readAllLines(tmp.resolve("cv").resolve(CrossValidation.TABLE)).get(1).split(",")[2]);
    }

    @Test
    void kFoldValidatesEveryRatingOfAFileOnce(@TempDir Path tmp) throws Exception {
        StringBuilder sb = new StringBuilder("user,item,rating\n");
        for (int u = 0; u < 30; u++) {
            for (int i = 0; i < 10; i++) {
                sb.append('u').append(u).append(",i").append((u * 7 + i * 3) % 25).append(',').append((u + i) % 5 + 1)
                        .append('\n');
            }
        }
        Path csv = Files.writeString(tmp.resolve("r.csv"), sb);
        Path c = config(tmp, "dataset: {type: ratings, path: " + csv + ", split: {type: k-fold, k: 3, seed: 4}}\n");
        Result cv = run("train", c.toString(), "--cross-validate", "--run-dir", tmp.resolve("cv").toString());
        assertEquals(0, cv.status(), cv.err());
        assertEquals(3, cv.out().lines().filter(l -> l.startsWith("split    200 training, 100 validation")).count(),
                cv.out());
        assertEquals(6, Files.readAllLines(tmp.resolve("cv").resolve(CrossValidation.TABLE)).size());
    }

    private static void assertRefused(Path tmp, Path config, String message, String... args) {
        List<String> all = new ArrayList<>(List.of("train", config.toString(), "--run-dir",
                tmp.resolve("run").toString()));
        all.addAll(List.of(args));
        Result r = run(all.toArray(new String[0]));
        assertEquals(2, r.status(), r.out());
        assertEquals("embtrain: " + message.replace("CONFIG", config.toString()) + "\n", r.err());
        assertFalse(Files.exists(tmp.resolve("run")));
        assertFalse(Files.exists(tmp.resolve("run.partial")));
    }

    @Test
    void foldsThatDoNotExistOrCannotBeCrossValidatedAreConfigErrors(@TempDir Path tmp) throws Exception {
        Path ml = Files.createDirectories(tmp.resolve("ml"));
        Files.writeString(ml.resolve("u.data"), "1\t1\t5\t1\n2\t1\t4\t2\n");
        String dataset = "dataset: {type: movielens, path: " + ml + ", item_key: id, split: %s}\n";
        assertRefused(tmp, config(tmp, dataset.formatted("{type: fold, fold: u2}")), "dataset.split.fold: no u2.base"
                + " and u2.test in " + ml + "; GroupLens's ml-100k ships them, and synthetic-movielens writes them"
                + " (CONFIG:3)");
        assertRefused(tmp, config(tmp, dataset.formatted("{type: fold, fold: u9}")), "dataset.split.fold: expected"
                + " one of [u1, u2, u3, u4, u5, ua, ub], found \"u9\" (CONFIG:3)");
        assertRefused(tmp, config(tmp, dataset.formatted("{type: k-fold, fold: 6}")), "dataset.split.fold: expected"
                + " a fold from 1 to k = 5, found \"6\" (CONFIG:3)");
        assertRefused(tmp, config(tmp, dataset.formatted("{type: random}")), "dataset.split.type: --cross-validate"
                + " trains every fold of a fold split (MovieLens 100k's u1-u5) or a k-fold split; random has none"
                + " (CONFIG:3)", "--cross-validate");
        assertRefused(tmp, config(tmp, dataset.formatted("{type: fold, fold: u2}")), "dataset.split.fold:"
                + " --cross-validate trains every fold; remove it (CONFIG:3)", "--cross-validate");
        assertRefused(tmp, config(tmp, dataset.formatted("{type: fold}")), "train: --cross-validate trains every"
                + " fold afresh; it cannot --resume", "--cross-validate", "--resume");
        Path csv = Files.writeString(tmp.resolve("r.csv"), "user,item,rating\nu,i,4\n");
        assertRefused(tmp, config(tmp, "dataset: {type: ratings, path: " + csv + ", split: {type: fold}}\n"),
                "dataset.split.type: the official folds are MovieLens 100k's (u1.base ... ub.test beside u.data); a"
                        + " ratings file has none; use type: k-fold (CONFIG:3)");
        assertRefused(tmp, config(tmp, "dataset: {type: ratings, path: " + csv + ", split: {type: k-fold, k: 2,"
                + " validation: 0.1}}\n"), "dataset.split.validation: split k-fold does not use it (only a random"
                + " split draws a fraction); remove it, or pick type: random (CONFIG:3)");
    }
}
