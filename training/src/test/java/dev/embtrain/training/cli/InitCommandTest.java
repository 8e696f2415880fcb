package dev.embtrain.training.cli;

import static dev.embtrain.training.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.cli.CliRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code embtrain init}: templates that document every key, load as the defaults, and train. */
class InitCommandTest {

    /** Each template loads to the config its type names and its few values give, key for key. */
    @Test
    void everyTemplateLoadsAsTheDefaultsItShows(@TempDir Path tmp) throws Exception {
        String[][] cases = {
            {"dot-product-bias", "synthetic-movielens", ""},
            {"deep-collaborative", "synthetic-movielens", ""},
            {"factorization-machine", "synthetic-movielens", ""},
            {"wide-and-deep", "synthetic-movielens", "label: {type: binary}"},
            {"embedding-bag", "synthetic-sessions", ""},
            {"wide-and-deep", "synthetic-labelled-embeddings", ""},
            {"factorization-machine", "synthetic-feat2vec", "objective: implicit"},
        };
        for (String[] c : cases) {
            Path file = tmp.resolve(c[0] + "-" + c[1] + ".yaml");
            Result r = run("init", c[0], "--dataset", c[1], "--out", file.toString());
            assertEquals(0, r.status(), r.err());
            String yaml = Files.readString(file);
            assertTrue(yaml.lines().filter(l -> l.strip().startsWith("#")).count() > 20, yaml);
            RunConfig written = ConfigLoader.load(file, List.of()).config();
            String label = c[2].startsWith("label") ? ", " + c[2] : "";
            String objective = c[2].startsWith("objective") ? ", " + c[2] : "";
            RunConfig minimal = ConfigLoader.load("name: my-" + c[0] + "\ndataset: {type: " + c[1] + label
                    + "}\nmodel: {type: " + c[0] + objective + "}\n", "minimal", List.of()).config();
            assertEquals(minimal, written, c[0] + " on " + c[1]);
        }
    }

    @Test
    void aTemplateTrains(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("dot.yaml");
        assertEquals(0, run("init", "dot-product-bias", "--out", file.toString()).status());
        Result r = run("train", file.toString(), "--run-dir", tmp.resolve("run").toString(), "--set",
                "dataset.path=" + tmp.resolve("data"), "--set", "dataset.ratings=3000", "--set", "training.epochs=1",
                "--set", "training.progress=false");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("best epoch 1 of 1: valid_mse"), r.out());
    }

    @Test
    void unknownTypesAndAnExistingFileAreRefused(@TempDir Path tmp) throws Exception {
        Result model = run("init", "dot-product");
        assertEquals(2, model.status());
        assertEquals("embtrain: init: unknown model type \"dot-product\"; expected one of [dot-product-bias,"
                + " deep-collaborative, factorization-machine, wide-and-deep, embedding-bag]\n", model.err());
        Path file = Files.writeString(tmp.resolve("x.yaml"), "mine");
        Result exists = run("init", "dot-product-bias", "--out", file.toString());
        assertEquals(2, exists.status());
        assertEquals("mine", Files.readString(file));
    }
}
