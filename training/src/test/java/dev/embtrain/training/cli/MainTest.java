package dev.embtrain.training.cli;

import static dev.embtrain.training.cli.CliRun.run;
import dev.embtrain.training.cli.CliRun.Result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.export.Npy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end: a small synthetic run, its files, neighbours, and each kind of refusal. */
class MainTest {

    private static Path config(Path dir, String body) throws Exception {
        return Files.writeString(dir.resolve("c.yaml"), body.replace("DATA", dir.resolve("data").toString()));
    }

    private static final String SMALL = """
            name: small
            dataset:
              type: synthetic-movielens
              path: DATA
              users: 60
              items: 40
              ratings: 1800
              factors: 2
            model:
              type: dot-product-bias
              factors: 4
              y_range: [0.5, 5.5]
            training:
              epochs: 3
              batch_size: 64
              optimizer: {learning_rate: 1.0e-2}
            """;

    private static void assertNothingIn(Path dir, String... except) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of(except), names);
        }
    }

    @Test
    void trainsWritesTheRunAndFindsNeighbours(@TempDir Path tmp) throws Exception {
        Path runs = tmp.resolve("runs");
        Path run = runs.resolve("small");
        Result r = run("train", config(tmp, SMALL).toString(), "--run-dir", run.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("epoch  train_loss  valid_mse"), r.out());
        assertTrue(r.out().contains("noise floor"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("best epoch ")), r.out());

        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals("epoch,train_loss,valid_mse,valid_rmse,valid_mae,seconds,samples_per_second,learning_rate",
                metrics.get(0));
        assertEquals(4, metrics.size());
        String config = Files.readString(run.resolve("config.yaml"));
        assertTrue(config.contains("vocabulary_sizes:\n    user: 61\n    item: 41\n"), config);
        assertTrue(config.contains("djl_version: 0.35.1"), config);
        try (Stream<Path> params = Files.list(run.resolve("model"))) {
            assertEquals(1, params.filter(p -> p.toString().endsWith(".params")).count());
        }
        float[][] items = Npy.readFloat32Matrix(run.resolve("embeddings/item.npy"));
        assertEquals(41, items.length);
        assertEquals(4, items[0].length);
        assertEquals(41, Npy.readFloat32Vector(run.resolve("embeddings/item_bias.npy")).length);
        List<String> labels = Files.readAllLines(run.resolve("embeddings/item_metadata.tsv"));
        assertEquals(Files.readAllLines(run.resolve("vocab/item.labels.txt")), labels);
        assertEquals("label\tvalue", Files.readAllLines(run.resolve("embeddings/item_bias.tsv")).get(0));
        for (String png : List.of("plots/metrics.png", "plots/items_pca.png")) {
            byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(run.resolve(png)), 4);
            assertEquals("\u0089PNG", new String(head, StandardCharsets.ISO_8859_1), png);
        }
        assertNothingIn(runs, "small");

        Result eval = run("evaluate", "--run", run.toString());
        assertEquals(0, eval.status(), eval.err());
        java.util.regex.Matcher mse = java.util.regex.Pattern.compile("valid_mse ([0-9.]+),").matcher(eval.out());
        assertTrue(mse.find(), eval.out());
        java.util.regex.Matcher best = java.util.regex.Pattern.compile("best_valid_mse: ([0-9.]+)").matcher(config);
        assertTrue(best.find(), config);
        // The saved parameters, re-read data and fresh vocabularies reproduce the best epoch's score.
        assertEquals(Double.parseDouble(best.group(1)), Double.parseDouble(mse.group(1)), 1e-4);

        String title = labels.get(1);
        Result n = run("neighbors", "--run", run.toString(), "--query", title, "-k", "3");
        assertEquals(0, n.status(), n.err());
        List<String> lines = n.out().lines().toList();
        assertEquals("nearest to \"" + title + "\" in table item (cosine similarity):", lines.get(0));
        assertEquals(4, lines.size());
        assertFalse(n.out().contains("<unk>"));

        Result bias = run("neighbors", "--run", run.toString(), "--table", "item_bias", "--query", title);
        assertEquals(2, bias.status());
        assertEquals("embtrain: neighbors: table item_bias holds one number per row, so cosine similarity means"
                + " nothing; sort embeddings/item_bias.tsv instead, or pick one of [user, item, user_bias, item_bias]\n",
                bias.err());
        Result table = run("neighbors", "--run", run.toString(), "--table", "movie", "--query", title);
        assertEquals("embtrain: neighbors: no table \"movie\" in this run; its tables are [user, item, user_bias,"
                + " item_bias]\n", table.err());

        Result again = run("train", config(tmp, SMALL).toString(), "--run-dir", run.toString());
        assertEquals(2, again.status());
        assertEquals("embtrain: " + run + ": a run already exists there; pass --overwrite to replace it, or"
                + " --run-dir to write elsewhere\n", again.err());
    }

    @Test
    void earlyStoppingKeepsTheBestEpoch(@TempDir Path tmp) throws Exception {
        // min_delta 100: only the first epoch can count as an improvement, so patience 1 stops after epoch 2.
        Path run = tmp.resolve("run");
        Result r = run("train", config(tmp, SMALL).toString(), "--run-dir", run.toString(),
                "--set", "training.early_stopping={patience: 1, min_delta: 100}");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("best epoch 1 of 2: "), r.out());
        assertTrue(r.out().contains("stopped early: no improvement for 1 epochs"), r.out());
        assertEquals(3, Files.readAllLines(run.resolve("metrics.csv")).size());
        assertTrue(Files.exists(run.resolve("model/model-0001.params")));
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("best_epoch: 1\n"));
    }

    @Test
    void sgdAndAConstantScheduleTrainToo(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Result r = run("train", config(tmp, SMALL).toString(), "--run-dir", run.toString(),
                "--set", "training.optimizer={type: sgd, learning_rate: 0.5, weight_decay: 0}",
                "--set", "training.schedule.type=constant");
        assertEquals(0, r.status(), r.err());
        List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
        double first = Double.parseDouble(rows.get(1).split(",")[2]);
        double last = Double.parseDouble(rows.get(3).split(",")[2]);
        assertTrue(last < first, "valid_mse should fall: " + rows);
        assertTrue(rows.get(3).endsWith(",0.5"), "constant learning rate: " + rows.get(3));
    }

    @Test
    void aMissingConfigFileExitsTwoInOneLine(@TempDir Path tmp) {
        Result r = run("train", tmp.resolve("nope.yaml").toString());
        assertEquals(2, r.status());
        assertEquals("embtrain: " + tmp.resolve("nope.yaml") + ": config file not found\n", r.err());
    }

    @Test
    void anUnknownModelTypeExitsTwoAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path c = config(tmp, SMALL.replace("type: dot-product-bias", "type: dot-product"));
        Result r = run("train", c.toString(), "--run-dir", tmp.resolve("run").toString());
        assertEquals(2, r.status());
        assertEquals("embtrain: model.type: expected one of [dot-product-bias, deep-collaborative, factorization-machine, wide-and-deep, embedding-bag], found \"dot-product\" (" + c
                + ":10)\n", r.err());
        assertNothingIn(tmp, "c.yaml");
    }

    @Test
    void aGpuThatIsNotThereExitsTwoAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path c = config(tmp, SMALL);
        Result r = run("train", c.toString(), "--set", "training.device=gpu", "--run-dir", tmp.resolve("run").toString());
        assertEquals(2, r.status());
        assertEquals("embtrain: training.device: gpu was asked for, but the PyTorch engine sees no CUDA GPU (this build"
                + " has CPU natives, or no driver is present); use device: auto or cpu, or see docs/serving.md on GPUs"
                + " (--set training.device=gpu)\n", r.err());
        assertNothingIn(tmp, "c.yaml");
    }

    @Test
    void aMissingDataDirectoryNamesTheKeyAndLine(@TempDir Path tmp) throws Exception {
        Path c = config(tmp, "name: t\ndataset:\n  type: movielens\n  path: DATA\nmodel:\n  type: dot-product-bias\n");
        Result r = run("train", c.toString(), "--run-dir", tmp.resolve("run").toString());
        assertEquals(2, r.status());
        assertEquals("embtrain: dataset.path: no such directory " + tmp.resolve("data") + "; point it at an extracted"
                + " MovieLens folder, or add download: true to fetch one of [ml-100k, ml-1m, ml-latest-small, ml-25m]"
                + " (" + c + ":4)\n", r.err());
        assertNothingIn(tmp, "c.yaml");
    }

    @Test
    void aMalformedRatingsLineExitsOneWithFileAndLine(@TempDir Path tmp) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("u.data"), "1\t1\t5\t881250949\n2\t1\tfive\t881250950\n");
        Files.writeString(data.resolve("u.item"), "1|Toy Story (1995)|01-Jan-1995||http://x|0|0|1|1|1|0|0|0|0|0|0|0"
                + "|0|0|0|0|0|0|0\n");
        Path c = config(tmp, "name: t\ndataset:\n  type: movielens\n  path: DATA\nmodel:\n  type: dot-product-bias\n");
        Result r = run("train", c.toString(), "--run-dir", tmp.resolve("run").toString());
        assertEquals(1, r.status());
        assertEquals("embtrain: " + data.resolve("u.data") + ":2: rating \"five\" is not a number\n", r.err());
        assertFalse(Files.exists(tmp.resolve("run")));
    }

    @Test
    void usageErrorsAndHelp() {
        Result none = run();
        assertEquals(2, none.status());
        assertTrue(none.out().contains("embtrain train CONFIG"));
        Result help = run("--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("./embtrain train configs/quickstart.yaml"));
        Result trainHelp = run("train", "--help");
        assertEquals(0, trainHelp.status());
        assertTrue(trainHelp.out().contains("--set <path=value>"), trainHelp.out());
        Result unknown = run("trian");
        assertEquals(2, unknown.status());
        assertEquals("embtrain: unknown command \"trian\"; expected train, evaluate, score, predict, neighbors,"
                + " recommend, export, spark, benchmark, config, init, lr-find or generate (embtrain --help lists them)\n",
                unknown.err());
        Result version = run("--version");
        assertEquals(0, version.status());
        assertTrue(version.out().contains("DJL 0.35.1, PyTorch 2.7.1, GPUs visible: 0"), version.out());
        Result noConfig = run("train");
        assertEquals("embtrain: train: expected one CONFIG file, found 0 (embtrain train --help)\n", noConfig.err());
        Result badK = run("neighbors", "--run", "x", "--query", "y", "-k", "ten");
        assertEquals(2, badK.status());
        assertEquals("embtrain: neighbors: -k expects a whole number, found \"ten\"\n", badK.err());
    }

    @Test
    void neighborsOfARunThatIsNotThere(@TempDir Path tmp) {
        Result r = run("neighbors", "--run", tmp.resolve("none").toString(), "--query", "x");
        assertEquals(2, r.status());
        assertEquals("embtrain: " + tmp.resolve("none/config.yaml") + ": no such run directory\n", r.err());
    }

    @Test
    void overwriteNeverReplacesTheUsersOwnFolderOrFile(@TempDir Path tmp) throws Exception {
        Path thesis = Files.createDirectories(tmp.resolve("thesis"));
        Files.writeString(thesis.resolve("chapter1.tex"), "mine");
        Path notes = Files.writeString(tmp.resolve("notes.txt"), "also mine");
        for (Path target : List.of(thesis, notes)) {
            Result r = run("train", Path.of("..", "configs", "quickstart.yaml").toString(), "--run-dir",
                    target.toString(), "--overwrite");
            assertEquals(2, r.status(), r.out());
            assertTrue(r.err().startsWith("embtrain: " + target + ": "), r.err());
            assertTrue(r.err().contains("--overwrite replaces only"), r.err());
        }
        assertEquals("mine", Files.readString(thesis.resolve("chapter1.tex")));
        assertEquals("also mine", Files.readString(notes));
    }
}
