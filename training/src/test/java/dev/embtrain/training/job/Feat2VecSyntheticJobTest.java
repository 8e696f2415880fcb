package dev.embtrain.training.job;

import static dev.embtrain.training.cli.CliRun.run;
import dev.embtrain.training.cli.CliRun.Result;

import static org.junit.jupiter.api.Assertions.assertFalse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.SyntheticFeat2VecConfig;
import dev.embtrain.training.engine.ImplicitTraining;
import dev.embtrain.training.export.Neighbors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Feat2VecSyntheticJobTest {

    @Test
    void printsTheEpochsTheNeighboursAndTheFiguresItReturns() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        ImplicitTraining.Options options = new ImplicitTraining.Options(8, 5, 0.25, 0.25, 10,
                ImplicitTraining.Loss.NCE, 2, 250, 5e-3f, 0f, 0.05f, 3);
        Feat2VecSyntheticJob.Report report = Feat2VecSyntheticJob.run(2_000, 1, options, 3,
                new PrintStream(buffer, true, StandardCharsets.UTF_8));
        List<String> lines = buffer.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("data     synthetic-feat2vec: 2,000 rows, fields [item, id, y], dense group attrs"
                + " [attr1, attr2, attr3]", lines.get(0));
        assertEquals(2, report.history().size());
        assertEquals(report.history().get(1).describe(), lines.get(3));
        for (String query : Feat2VecSyntheticJob.QUERIES) {
            int at = lines.indexOf("nearest to " + query + ":");
            assertTrue(at > 0, query);
            for (int i = 1; i <= 3; i++) {
                assertTrue(lines.get(at + i).matches(" *-?[0-9]\\.[0-9]{4}  [a-z0-9]+:.+"), lines.get(at + i));
            }
        }
        int y = lines.indexOf("nearest to y:0:");
        assertEquals(report.nearestToY0(), lines.get(y + 1).substring(10));
        assertEquals(String.format(Locale.ROOT, "cosine(y_0, y_1) %.4f; ids whose 4 nearest ids share their value"
                + " mod 10: %.3f (chance 0.082)", report.cosineY0Y1(), report.sameIdClassPrecision()),
                lines.get(lines.size() - 1));
    }

    @Test
    void aDatasetSectionHoldsOutItsValidationRowsAndScoresThemEachEpoch() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        SyntheticFeat2VecConfig dataset = (SyntheticFeat2VecConfig) ConfigLoader.load("""
                name: f2v
                dataset:
                  type: synthetic-feat2vec
                  rows: 2000
                  split: {validation: 0.1}
                model:
                  type: dot-product-bias
                """, "f.yaml", List.of()).config().dataset();
        ImplicitTraining.Options options = new ImplicitTraining.Options(8, 5, 0.25, 0.25, 10,
                ImplicitTraining.Loss.NCE, 3, 250, 5e-3f, 0f, 0.05f, 3);
        Feat2VecSyntheticJob.Report report = Feat2VecSyntheticJob.run(dataset, options, 3,
                new PrintStream(buffer, true, StandardCharsets.UTF_8));
        List<String> lines = buffer.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("split    1,800 training, 200 validation rows", lines.get(1));
        for (ImplicitTraining.Epoch e : report.history()) {
            assertTrue(Double.isFinite(e.validLoss()) && e.validLoss() > 0, e.toString());
            assertTrue(lines.contains(e.describe()), e.describe());
            assertTrue(e.describe().contains(String.format(Locale.ROOT, "  valid_loss %.4f  ", e.validLoss())),
                    e.describe());
        }
        // Training on 1,800 rows moves the held-out loss down too.
        assertTrue(report.history().get(2).validLoss() < report.history().get(0).validLoss(),
                report.history().toString());
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
        assertEquals("epoch,train_loss,valid_loss,seconds", metrics.get(0));
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
        assertEquals(0.2, Feat2VecSyntheticJob.sameIdClassPrecision(ids), 1e-12);
    }
}
