package dev.embtrain.training.kinds;

import dev.embtrain.training.train.Training;
import static dev.embtrain.training.cli.CliRun.run;
import dev.embtrain.training.cli.CliRun.Result;

import static org.junit.jupiter.api.Assertions.assertFalse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.export.Neighbors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** feat2vec runs through {@code embtrain train}: what they print, the run they write, their refusals. */
class ImplicitKindTest {

    private static final String SMALL = """
            name: f2v
            seed: 3
            dataset:
              type: synthetic-feat2vec
              rows: 2000
              split: {validation: 0.1}
            model:
              type: factorization-machine
              objective: implicit
              factors: 8
              negatives: 5
              field_exponent: 0.25
              value_exponent: 0.25
              value_bias: 10.0
              loss: nce
              init_std: 0.05
            training:
              epochs: 3
              batch_size: 250
              optimizer: {type: adam, learning_rate: 5.0e-3, weight_decay: 0.0, betas: [0.9, 0.999], eps: 1.0e-8}
              schedule: {type: constant}
              progress: false
            """;

    @Test
    void printsTheEpochsTheNeighboursAndTheFiguresItKeeps(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Result r = train(Files.writeString(tmp.resolve("f.yaml"), SMALL), run);
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("data     synthetic-feat2vec: 2,000 rows, fields [item, id, y], dense group attrs"
                + " [attr1, attr2, attr3]", lines.get(0));
        assertEquals("split    1,800 training, 200 validation rows", lines.get(1));
        for (String query : ImplicitKind.QUERIES) {
            int at = lines.indexOf("nearest to " + query + ":");
            assertTrue(at > 0, query);
            for (int i = 1; i <= 5; i++) {
                assertTrue(lines.get(at + i).matches(" *-?[0-9]\\.[0-9]{4}  [a-z0-9]+:.+"), lines.get(at + i));
            }
        }
        String resolved = Files.readString(run.resolve("config.yaml"));
        int y = lines.indexOf("nearest to y:0:");
        assertTrue(resolved.contains("nearest_to_y0: " + lines.get(y + 1).substring(10)), resolved);
        double cosine = Double.parseDouble(resolved.replaceAll("(?s).*cosine_y0_y1: ([-0-9.E]+).*", "$1"));
        double precision = Double.parseDouble(resolved.replaceAll("(?s).*same_id_class_precision_at_4: ([0-9.E-]+).*",
                "$1"));
        assertTrue(lines.contains(String.format(Locale.ROOT, "cosine(y_0, y_1) %.4f; ids whose 4 nearest ids share"
                + " their value mod 10: %.3f (chance 0.082)", cosine, precision)), r.out());
        // Training on 1,800 rows moves the held-out loss down too, epoch after epoch.
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals("epoch,train_loss,valid_loss,seconds,samples_per_second,learning_rate", metrics.get(0));
        double previous = Double.POSITIVE_INFINITY;
        for (String row : metrics.subList(1, metrics.size())) {
            double valid = Double.parseDouble(row.split(",")[2]);
            assertTrue(valid > 0 && valid < previous, metrics.toString());
            previous = valid;
        }
        assertTrue(resolved.contains("kind: implicit"), resolved);
    }

    private static Result train(Path config, Path runDir) {
        return run("train", config.toString(), "--run-dir", runDir.toString());
    }

    @Test
    void embtrainTrainRefusesModelsThatCannotTrainOnPositivesAlone(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("f.yaml"),
                "name: f2v\ndataset:\n  type: synthetic-feat2vec\nmodel:\n  type: dot-product-bias\n");
        Result r = train(config, tmp.resolve("run"));
        assertEquals(2, r.status());
        assertEquals("embtrain: model.type: dot-product-bias does not train on synthetic-feat2vec rows; use"
                + " factorization-machine with objective: implicit (" + config + ":5)\n", r.err());
        Path binary = Files.writeString(tmp.resolve("b.yaml"), "name: f2v\ndataset:\n  type: synthetic-feat2vec\n"
                + "model:\n  type: factorization-machine\n  objective: binary\n");
        r = train(binary, tmp.resolve("run"));
        assertEquals(2, r.status());
        assertEquals("embtrain: model.objective: binary needs labels, and synthetic-feat2vec rows are positives"
                + " only; use objective: implicit (" + binary + ":6)\n", r.err());
        assertFalse(Files.exists(tmp.resolve("run")));
    }

    /**
     * The shipped config, shrunk to test size, through {@code embtrain train}: the run directory
     * holds every table, and {@code neighbors --table all} finds y_1 nearest to y_0 as the job did.
     */
    @Test
    void embtrainTrainWritesARunWhoseTablesNeighborsSearches(@TempDir Path tmp) throws Exception {
        Path shipped = Path.of("..", "configs", "feat2vec-synthetic.yaml");
        String yaml = Files.readString(shipped).replace("rows: 100000", "rows: 5000").replace("factors: 100", "factors: 16")
                .replace("epochs: 8", "epochs: 5").replace("batch_size: 2000", "batch_size: 250")
                .replace("learning_rate: 1.0e-3", "learning_rate: 5.0e-3");
        Path config = Files.writeString(tmp.resolve("f.yaml"), yaml);
        Path run = tmp.resolve("run");
        Result trained = train(config, run);
        assertEquals(0, trained.status(), trained.err());
        for (String table : List.of("item", "id", "y", "attrs")) {
            assertTrue(Files.isRegularFile(run.resolve("embeddings").resolve(table + ".npy")), table);
        }
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals("epoch,train_loss,valid_loss,seconds,samples_per_second,learning_rate", metrics.get(0));
        assertEquals(6, metrics.size());
        String resolved = Files.readString(run.resolve("config.yaml"));
        assertTrue(resolved.contains("nearest_to_y0: y:1"), resolved);
        double cosine = Double.parseDouble(resolved.replaceAll("(?s).*cosine_y0_y1: ([0-9.]+).*", "$1"));
        assertTrue(cosine >= 0.9, "cos(y_0, y_1) " + cosine);

        Result neighbors = run("neighbors", "--run", run.toString(), "--table", "all", "--query", "y:0", "-k", "1");
        assertEquals(0, neighbors.status(), neighbors.err());
        String printed = neighbors.out();
        assertTrue(printed.contains("y:1"), printed);
        assertTrue(printed.contains(String.format(java.util.Locale.ROOT, "%.4f", cosine)), printed + " vs " + cosine);
    }

    @Test
    void sameClassPrecisionCountsNeighboursEqualModuloTen() {
        // Ids 0 and 10 point one way, 1 and 11 another, 2 a third: each id's 4 nearest are the
        // other four, of which one shares its class (none for 2): 4 hits in 20.
        Neighbors.Table ids = new Neighbors.Table("id",
                new float[][] {{0, 0}, {1, 0}, {1, 0.1f}, {0, 1}, {0.1f, 1}, {-1, 0}},
                List.of("<unk>", "0", "10", "1", "11", "2"), Set.of(0));
        assertEquals(0.2, ImplicitKind.sameIdClassPrecision(ids), 1e-12);
    }
}
