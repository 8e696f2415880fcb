package dev.embtrain.training.kinds;

import static dev.embtrain.training.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.embtrain.datasets.io.ParquetTable;
import dev.embtrain.datasets.synthetic.SyntheticMovieLens;
import dev.embtrain.training.Embtrain;
import dev.embtrain.training.cli.CliRun.Result;
import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.train.Training;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataset.type: ratings}: a user's own file, in any of its formats and column orders,
 * trains exactly as the same ratings read as a MovieLens directory; its mistakes are one line.
 */
class RatingsFileTypeTest {

    private static final String MODEL = """
            model: {type: dot-product-bias, factors: 4, y_range: [0.5, 5.5]}
            training: {epochs: 2, batch_size: 64, optimizer: {type: adamw, learning_rate: 0.01}}
            """;

    /** Generates ml-100k-format ratings and returns the lines of its u.data. */
    private static List<String[]> generate(Path dir) throws Exception {
        SyntheticMovieLens.write(new SyntheticMovieLens.Spec(50, 40, 1500, 2, 0.5, 3), dir);
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("u.data"))) {
            rows.add(line.split("\t"));
        }
        return rows;
    }

    private static List<EpochRecord> train(Path tmp, String name, String dataset) throws Exception {
        Path config = Files.writeString(tmp.resolve(name + ".yaml"), "name: " + name + "\nseed: 5\n" + dataset
                + MODEL);
        Training.Outcome o = Embtrain.train(config, List.of(), tmp.resolve("runs").resolve(name));
        return o.fit().history();
    }

    @Test
    void csvTsvAndParquetInAnyColumnOrderTrainAsTheMovieLensDirectoryDoes(@TempDir Path tmp) throws Exception {
        Path ml = tmp.resolve("ml");
        List<String[]> rows = generate(ml);
        StringBuilder csv = new StringBuilder("ts,product,stars,customer\n");
        StringBuilder tsv = new StringBuilder("customer\tstars\tproduct\tts\n");
        List<Object[]> parquet = new ArrayList<>();
        for (String[] r : rows) {
            csv.append(r[3]).append(',').append(r[1]).append(',').append(r[2]).append(',').append(r[0]).append('\n');
            tsv.append(r[0]).append('\t').append(r[2]).append('\t').append(r[1]).append('\t').append(r[3]).append('\n');
            parquet.add(new Object[] {Long.parseLong(r[0]), r[1], Double.parseDouble(r[2]), Long.parseLong(r[3])});
        }
        Files.writeString(tmp.resolve("r.csv"), csv);
        Files.writeString(tmp.resolve("r.tsv"), tsv);
        ParquetTable.write(tmp.resolve("r.parquet"), List.of("customer", "product", "stars", "ts"), parquet);

        List<EpochRecord> movielens = train(tmp, "movielens", "dataset: {type: movielens, path: " + ml
                + ", item_key: id, split: {type: random, validation: 0.2, seed: 9}}\n");
        assertEquals(2, movielens.size());
        for (String file : List.of("r.csv", "r.tsv", "r.parquet")) {
            List<EpochRecord> own = train(tmp, file.replace('.', '-'), """
                    dataset:
                      type: ratings
                      path: %s
                      columns: {user: customer, item: product, rating: stars, timestamp: ts}
                      split: {type: random, validation: 0.2, seed: 9}
                    """.formatted(tmp.resolve(file)));
            for (int e = 0; e < 2; e++) {
                assertEquals(movielens.get(e).trainLoss(), own.get(e).trainLoss(), file);
                assertEquals(movielens.get(e).valid(), own.get(e).valid(), file);
            }
        }
        // Leave-last-out reads the timestamps: the same rows either way.
        List<EpochRecord> lastMl = train(tmp, "ml-last", "dataset: {type: movielens, path: " + ml
                + ", item_key: id, split: {type: leave-last-out}}\n");
        List<EpochRecord> lastCsv = train(tmp, "csv-last", "dataset: {type: ratings, path: " + tmp.resolve("r.csv")
                + ", columns: {user: customer, item: product, rating: stars, timestamp: ts},"
                + " split: {type: leave-last-out}}\n");
        assertEquals(lastMl.get(1).valid(), lastCsv.get(1).valid());
    }

    @Test
    void aSplitColumnTrainsOnTrainRowsAndValidatesOnValidationRowsAlone(@TempDir Path tmp) throws Exception {
        Path ml = tmp.resolve("ml");
        List<String[]> rows = generate(ml);
        StringBuilder all = new StringBuilder("user,item,rating,part\n");
        StringBuilder noTest = new StringBuilder("user,item,rating,part\n");
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            String part = i % 5 == 0 ? "validation" : i % 7 == 0 ? "test" : "train";
            String line = r[0] + "," + r[1] + "," + r[2] + ",";
            all.append(line).append(part).append('\n');
            if (!part.equals("test")) {
                noTest.append(line).append(part).append('\n');
            }
        }
        Files.writeString(tmp.resolve("all.csv"), all);
        Files.writeString(tmp.resolve("no-test.csv"), noTest);
        String dataset = "dataset: {type: ratings, path: %s, split: {type: column, column: part}}\n";
        List<EpochRecord> withTest = train(tmp, "all", dataset.formatted(tmp.resolve("all.csv")));
        List<EpochRecord> without = train(tmp, "no-test", dataset.formatted(tmp.resolve("no-test.csv")));
        assertEquals(without.get(1).trainLoss(), withTest.get(1).trainLoss());
        assertEquals(without.get(1).valid(), withTest.get(1).valid());
    }

    private static void assertRefused(Path tmp, String dataset, String message) throws Exception {
        Path config = Files.writeString(tmp.resolve("c.yaml"), "name: bad\n" + dataset + MODEL);
        Result r = run("train", config.toString(), "--run-dir", tmp.resolve("run").toString());
        assertEquals("embtrain: " + message.replace("CONFIG", config.toString()) + "\n", r.err());
        assertFalse(Files.exists(tmp.resolve("run")));
    }

    @Test
    void mistakesAreOneLineNamingTheKeyOrTheFile(@TempDir Path tmp) throws Exception {
        Path csv = Files.writeString(tmp.resolve("r.csv"), "customer,product,stars\nu,i,4\nv,i,oops\n");
        assertRefused(tmp, "dataset: {type: ratings, path: " + tmp.resolve("none.csv") + "}\n",
                "dataset.path: no such file " + tmp.resolve("none.csv") + " (CONFIG:2)");
        assertRefused(tmp, "dataset: {type: ratings, path: " + tmp.resolve("c.yaml") + "}\n",
                "dataset.path: unknown table format; expected .csv, .tsv or .parquet (.csv.gz and .tsv.gz too),"
                        + " found c.yaml (CONFIG:2)");
        assertRefused(tmp, "dataset: {type: ratings, path: " + csv + "}\n",
                csv + ":1: missing column \"user\"; found [customer, product, stars]");
        assertRefused(tmp, "dataset: {type: ratings, path: " + csv
                + ", columns: {user: customer, item: product, rating: stars}}\n",
                csv + ":3: column \"stars\": \"oops\" is not a number");
        assertRefused(tmp, "dataset: {type: ratings, path: " + csv
                + ", columns: {user: customer, item: product, rating: stars}, split: {type: leave-last-out}}\n",
                "dataset.split.type: leave-last-out holds out each user's latest rating; name the timestamp column"
                        + " in dataset.columns.timestamp (CONFIG:2)");
        assertRefused(tmp, "dataset: {type: ratings, path: " + csv
                + ", columns: {user: customer, item: customer, rating: stars}}\n",
                "dataset.columns: user, item, rating and timestamp must name different columns, found [customer,"
                        + " customer, stars] (CONFIG:2)");
        assertRefused(tmp, "dataset: {type: ratings, path: " + csv
                + ", columns: {user: customer, item: product, rating: stars}, split: {type: leave-last-out,"
                + " seed: 3}}\n",
                "dataset.split.seed: split leave-last-out does not use it (only a random split draws rows); remove"
                        + " it, or pick type: random (CONFIG:2)");
        Path ml = tmp.resolve("ml");
        generate(ml);
        assertRefused(tmp, "dataset: {type: movielens, path: " + ml + ", split: {type: column}}\n",
                "dataset.split.type: a column split reads a column of a ratings file (dataset.type: ratings);"
                        + " movielens has none (CONFIG:2)");
        Path oneSided = Files.writeString(tmp.resolve("s.csv"), "user,item,rating,split\nu,i,4,train\nv,i,3,test\n");
        assertRefused(tmp, "dataset: {type: ratings, path: " + oneSided + ", split: {type: column}}\n",
                oneSided + ": column \"split\" has no validation rows; a column split needs both");
        Files.writeString(oneSided, "user,item,rating,split\nu,i,4,train\nv,i,3,valid\n");
        assertRefused(tmp, "dataset: {type: ratings, path: " + oneSided + "}\n",
                "dataset.split.validation: validation fraction 0.2 of 2 rows leaves the validation part empty"
                        + " (default split: {})");
        assertRefused(tmp, "dataset: {type: ratings, path: " + oneSided + ", features: [user, item, age],"
                + " split: {type: column}}\n",
                "dataset.features: no field \"age\" in ratings; available: user, item (CONFIG:2)");
    }
}
