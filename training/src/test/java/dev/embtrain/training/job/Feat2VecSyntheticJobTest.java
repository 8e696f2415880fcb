package dev.embtrain.training.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.cli.Main;
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

    @Test
    void embtrainTrainSaysWhereTheseRowsTrain(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("f.yaml"),
                "name: f2v\ndataset:\n  type: synthetic-feat2vec\nmodel:\n  type: dot-product-bias\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Main(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(new String[] {"train", config.toString(), "--run-dir", tmp.resolve("run").toString()});
        assertEquals(2, status);
        assertEquals("embtrain: dataset.type: synthetic-feat2vec rows have no ratings: they train with the"
                + " factorization-machine model's objective: implicit, which embtrain train does not run yet"
                + " (Feat2VecSyntheticJob does) (" + config + ":3)\n", err.toString(StandardCharsets.UTF_8));
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
