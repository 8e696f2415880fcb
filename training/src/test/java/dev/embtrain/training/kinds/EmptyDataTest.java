package dev.embtrain.training.kinds;

import static dev.embtrain.training.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.embtrain.training.cli.CliRun.Result;
import dev.embtrain.training.labelled.LabelledJobTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data that is empty, or filtered to nothing, is one line naming the file, exit 1, and no run. */
class EmptyDataTest {

    private static void assertFails(Path tmp, Path config, String message) {
        Result r = run("train", config.toString(), "--run-dir", tmp.resolve("run").toString());
        assertEquals(1, r.status(), r.out() + r.err());
        assertEquals("embtrain: " + message + "\n", r.err());
        assertFalse(Files.exists(tmp.resolve("run")));
        assertFalse(Files.exists(tmp.resolve("run.partial")));
    }

    @Test
    void anEmptyMovieLensRatingsFileSaysSo(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ml-100k"));
        Files.writeString(dir.resolve("u.data"), "");
        Path config = Files.writeString(tmp.resolve("c.yaml"), """
                name: empty
                dataset: {type: movielens, path: %s, item_key: id}
                model: {type: dot-product-bias}
                """.formatted(dir));
        assertFails(tmp, config, dir.resolve("u.data") + ": no ratings");
    }

    @Test
    void anOnlineRetailFileWithNoRowsOrNoSessionsSaysSo(@TempDir Path tmp) throws Exception {
        String header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";
        Path csv = Files.writeString(tmp.resolve("retail.csv"), header);
        Path config = Files.writeString(tmp.resolve("c.yaml"), """
                name: empty
                dataset: {type: online-retail, path: %s}
                model: {type: embedding-bag}
                """.formatted(csv));
        assertFails(tmp, config, csv + ": no rows");
        // Every row lacks a CustomerID: dropped, so no customer has a session.
        Files.writeString(csv, header + "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,,"
                + "United Kingdom\n536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,,United Kingdom\n");
        assertFails(tmp, config, csv + ": no sessions left after dropping rows with an empty field and customer"
                + " sessions of fewer than 3 rows (dataset.min_rows); 2 rows were read");
    }

    @Test
    void labelsThatAreEmptyOrJoinToNothingSaySo(@TempDir Path tmp) throws Exception {
        Path config = LabelledJobTest.handConfig(tmp, "rid,label\n", "rid,bottleneck\na,1 2\n", "");
        assertFails(tmp, config, tmp.resolve("labels.csv") + ": no labels");
        config = LabelledJobTest.handConfig(tmp, "rid,label\nx,1\ny,0\n", "rid,bottleneck\na,1 2\n", "");
        assertFails(tmp, config, tmp.resolve("labels.csv") + ": no rid has a vector in " + tmp.resolve("emb.csv")
                + " (2 labelled, 1 embedded)");
    }
}
