package dev.embtrain.training.kinds;

import static dev.embtrain.training.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.datasets.io.ParquetTable;
import dev.embtrain.datasets.movielens.ItemKey;
import dev.embtrain.datasets.movielens.MovieLensSideFeatures;
import dev.embtrain.datasets.synthetic.SyntheticMovieLens;
import dev.embtrain.training.Embtrain;
import dev.embtrain.training.cli.CliRun;
import dev.embtrain.training.cli.CliRun.Result;
import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.run.RunFiles;
import dev.embtrain.training.train.Training;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataset.type: ratings}: a user's own file, in any of its formats and column orders,
 * trains exactly as the same ratings read as a MovieLens directory; its mistakes are one line.
 */
class RatingsFileTypeTest {

    private static final String TRAINING =
            "training: {epochs: 2, batch_size: 64, optimizer: {type: adamw, learning_rate: 0.01}}\n";
    private static final String MODEL = "model: {type: dot-product-bias, factors: 4, y_range: [0.5, 5.5]}\n"
            + TRAINING;

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
        return train(tmp, name, dataset, MODEL);
    }

    private static List<EpochRecord> train(Path tmp, String name, String dataset, String model) throws Exception {
        Path config = Files.writeString(tmp.resolve(name + ".yaml"), "name: " + name + "\nseed: 5\n" + dataset
                + model);
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

    @Test
    void sideTablesJoinedByIdTrainAsMovieLensSideFeaturesDo(@TempDir Path tmp) throws Exception {
        Path ml = tmp.resolve("ml");
        List<String[]> rows = generate(ml);
        StringBuilder ratings = new StringBuilder("user,item,rating\n");
        rows.forEach(r -> ratings.append(r[0]).append(',').append(r[1]).append(',').append(r[2]).append('\n'));
        Files.writeString(tmp.resolve("ratings.csv"), ratings);
        StringBuilder users = new StringBuilder("occupation\tuser_id\tage_band\tsex\n");
        MovieLensSideFeatures.readUsers(ml).forEach((id, u) -> users.append(u.occupation()).append('\t').append(id)
                .append('\t').append(u.age()).append('\t').append(u.gender()).append('\n'));
        Files.writeString(tmp.resolve("users.tsv"), users);
        List<Object[]> items = new ArrayList<>();
        MovieLensSideFeatures.readItems(ml, ItemKey.ID).forEach((id, i) -> items.add(new Object[] {
            Long.parseLong(id), String.join(";", i.genres()), i.year(), "title " + id}));
        ParquetTable.write(tmp.resolve("items.parquet"), List.of("movie", "kinds", "year", "title"), items);

        String model = "model: {type: factorization-machine, factors: 4}\n" + TRAINING;
        List<EpochRecord> movielens = train(tmp, "ml-sides", "dataset: {type: movielens, path: " + ml
                + ", item_key: id, features: [user, item, age, gender, occupation, genres, year]}\n", model);
        Path config = Files.writeString(tmp.resolve("own.yaml"), """
                name: own
                seed: 5
                dataset:
                  type: ratings
                  path: %s
                  users: {path: %s, key: user_id, categorical: [age_band, sex, occupation]}
                  items: {path: %s, key: movie, categorical: [year], bags: [kinds], delimiter: ";", label: title}
                  features: [user, item, age_band, sex, occupation, kinds, year]
                %s""".formatted(tmp.resolve("ratings.csv"), tmp.resolve("users.tsv"), tmp.resolve("items.parquet"),
                model));
        Training.Outcome own = Embtrain.train(config, List.of(), tmp.resolve("runs/own"));
        for (int e = 0; e < 2; e++) {
            assertEquals(movielens.get(e).trainLoss(), own.fit().history().get(e).trainLoss());
            assertEquals(movielens.get(e).valid(), own.fit().history().get(e).valid());
        }
        // The schema: four id columns of the side tables' categorical fields, genres as a bag.
        List<String> schema = Files.readAllLines(tmp.resolve("runs/own").resolve(RunFiles.SCHEMA));
        List<String> mlSchema = Files.readAllLines(tmp.resolve("runs/ml-sides").resolve(RunFiles.SCHEMA));
        assertEquals(mlSchema.stream().map(l -> l.replace("age\t", "age_band\t").replace("gender", "sex")
                .replace("genres", "kinds")).toList(), schema);
        // Predictions go through the side tables saved with the run, as MovieLens's do.
        Path pairs = Files.writeString(tmp.resolve("pairs.csv"), "user,item\n1,1\n2,3\n3,7\n");
        for (String run : List.of("ml-sides", "own")) {
            Result r = run("predict", "--run", tmp.resolve("runs").resolve(run).toString(), "--in", pairs.toString(),
                    "--out", tmp.resolve(run + ".csv").toString());
            assertEquals(0, r.status(), r.err());
        }
        assertEquals(Files.readAllLines(tmp.resolve("ml-sides.csv")), Files.readAllLines(tmp.resolve("own.csv")));
        // Items are labelled by the label column.
        List<String> metadata = Files.readAllLines(tmp.resolve("runs/own/embeddings/item_metadata.tsv"));
        assertEquals(41, metadata.size(), metadata.toString());
        for (String line : metadata.subList(2, metadata.size())) {
            assertTrue(line.startsWith("title "), line);
        }
    }

    @Test
    void aNumericSideColumnIsStandardisedOnTrainingRowsAndServedAsTrained(@TempDir Path tmp) throws Exception {
        Path ml = tmp.resolve("ml");
        List<String[]> rows = generate(ml);
        Map<String, Integer> ages = new java.util.HashMap<>();
        StringBuilder users = new StringBuilder("customer,age_years,height,weight\n");
        for (String line : Files.readAllLines(ml.resolve("u.user"))) {
            String[] f = line.split("\\|");
            int id = Integer.parseInt(f[0]);
            ages.put(f[0], Integer.parseInt(f[1]));
            // A group of two numbers, one cell in seven empty.
            users.append(f[0]).append(',').append(f[1]).append(',').append(150 + id % 40).append(',')
                    .append(id % 7 == 0 ? "" : Integer.toString(50 + id % 30)).append('\n');
        }
        Files.writeString(tmp.resolve("users.csv"), users);
        // Every fifth rating validates; the mean and sd are the training rows' (a user counts once a rating).
        StringBuilder ratings = new StringBuilder("user,item,rating,split\n");
        StringBuilder pairs = new StringBuilder("user,item\n");
        List<Float> validRatings = new ArrayList<>();
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (int r = 0; r < rows.size(); r++) {
            boolean valid = r % 5 == 0;
            String[] f = rows.get(r);
            ratings.append(f[0]).append(',').append(f[1]).append(',').append(f[2]).append(',')
                    .append(valid ? "validation" : "train").append('\n');
            if (valid) {
                pairs.append(f[0]).append(',').append(f[1]).append('\n');
                validRatings.add(Float.parseFloat(f[2]));
            } else {
                int age = ages.get(f[0]);
                sum += age;
                sumSq += (double) age * age;
                n++;
            }
        }
        Files.writeString(tmp.resolve("ratings.csv"), ratings);
        double mean = sum / n;
        double sd = Math.sqrt((sumSq - n * mean * mean) / (n - 1));
        Path config = Files.writeString(tmp.resolve("numeric.yaml"), """
                name: numeric
                seed: 5
                dataset:
                  type: ratings
                  path: %s
                  split: {type: column}
                  users: {path: %s, key: customer, numeric: [age_years], groups: [{name: body, columns: [height, weight]}]}
                  features: [user, item, age_years, body]
                model: {type: factorization-machine, factors: 4, y_range: [0.5, 5.5]}
                %s""".formatted(tmp.resolve("ratings.csv"), tmp.resolve("users.csv"), TRAINING));
        Result trained = run("train", config.toString(), "--run-dir", tmp.resolve("run").toString());
        assertEquals(0, trained.status(), trained.err());
        assertTrue(trained.out().contains("features user 51, item 41, age_years numeric, body numeric; ids [N, 2],"
                + " dense [N, 3]"), trained.out());
        List<String> schema = Files.readAllLines(tmp.resolve("run").resolve(RunFiles.SCHEMA));
        assertEquals("age_years\tnumeric\t1\t0\t1\t" + (float) mean + "\t" + (float) sd, schema.get(2));
        // The group: two dense columns, each with its mean and sd.
        assertTrue(schema.get(3).startsWith("body\tnumeric\t2\t1\t2\t"), schema.get(3));
        assertEquals(9, schema.get(3).split("\t").length, schema.get(3));
        assertEquals(List.of("<unk>", "height", "weight"), Files.readAllLines(tmp.resolve("run")
                .resolve(RunFiles.vocabulary("body"))));
        // The exported translator encodes the age as training did: its predictions of the
        // validation pairs give the run's validation MSE.
        Result p = run("predict", "--run", tmp.resolve("run").toString(), "--in",
                Files.writeString(tmp.resolve("pairs.csv"), pairs).toString(), "--out", tmp.resolve("p.csv").toString());
        assertEquals(0, p.status(), p.err());
        List<String> predicted = Files.readAllLines(tmp.resolve("p.csv"));
        double se = 0;
        for (int i = 0; i < validRatings.size(); i++) {
            String[] f = predicted.get(i + 1).split(",");
            double d = Double.parseDouble(f[f.length - 1]) - validRatings.get(i);
            se += d * d;
        }
        List<String> metrics = Files.readAllLines(tmp.resolve("run").resolve(RunFiles.METRICS));
        double best = Math.min(Double.parseDouble(metrics.get(1).split(",")[2]),
                Double.parseDouble(metrics.get(2).split(",")[2]));
        assertEquals(best, se / validRatings.size(), 1e-4);

        // The FM's table of the group has a row per column, labelled by the columns, for neighbors too.
        Result tableNear = run("neighbors", "--run", tmp.resolve("run").toString(), "--table", "body", "--query",
                "height", "-k", "1");
        assertEquals(0, tableNear.status(), tableNear.err());
        assertTrue(tableNear.out().startsWith("nearest to \"height\" in table body (cosine similarity):\n"),
                tableNear.out());
        assertTrue(tableNear.out().endsWith("  weight\n"), tableNear.out());

        // feat2vec on the same table: the group is one feature, a row per column.
        Result implicit = run("train", config.toString(), "--run-dir", tmp.resolve("implicit").toString(), "--set",
                "model={type: factorization-machine, objective: implicit, factors: 4}");
        assertEquals(0, implicit.status(), implicit.err());
        assertTrue(implicit.out().contains("dense features (bags, numbers) [age_years, body]"), implicit.out());
        Result near = run("neighbors", "--run", tmp.resolve("implicit").toString(), "--table", "all", "--query",
                "body:height", "-k", "3");
        assertEquals(0, near.status(), near.err());
        assertTrue(near.out().startsWith("nearest to \"body:height\""), near.out());

        // A value that is no number, and a cross of a number, are refused.
        Files.writeString(tmp.resolve("users.csv"), "customer,age_years,height,weight\n1,34,1,1\n2,old,1,1\n");
        Result bad = run("train", config.toString(), "--run-dir", tmp.resolve("bad").toString());
        assertEquals("embtrain: " + tmp.resolve("users.csv") + ":3: column \"age_years\": \"old\" is not a number\n",
                bad.err());
        Files.writeString(tmp.resolve("users.csv"), users);
        Result crossed = run("train", config.toString(), "--run-dir", tmp.resolve("bad").toString(), "--set",
                "dataset.crosses=[{fields: [age_years, item], buckets: 10}]");
        assertEquals("embtrain: dataset.crosses: cross age_years_x_item: age_years is numeric; a cross takes"
                + " categorical fields and bags (--set dataset.crosses=[{fields: [age_years, item], buckets: 10}])\n",
                crossed.err());
    }

    @Test
    void theShippedConfigTrainsOnTablesGenerateWrites(@TempDir Path tmp) throws Exception {
        Path shop = tmp.resolve("data/shop");
        Result big = run("generate", "ratings", "--out", shop.toString(), "--users", "60", "--items", "40",
                "--ratings", "3000");
        assertEquals(2, big.status());
        assertEquals("embtrain: generate: ratings must be <= users·items = 2400, found 3000\n", big.err());
        Result g = run("generate", "ratings", "--out", shop.toString(), "--users", "60", "--items", "40", "--ratings",
                "2000");
        assertEquals(0, g.status(), g.err());
        assertEquals("wrote " + shop.resolve("ratings.csv") + " (2,000 ratings), " + shop.resolve("users.csv")
                + " and " + shop.resolve("items.csv") + "\n", g.out());
        assertEquals("customer,product,stars,ts", Files.readAllLines(shop.resolve("ratings.csv")).get(0));
        assertEquals(2001, Files.readAllLines(shop.resolve("ratings.csv")).size());
        Path config = Path.of("..").toAbsolutePath().normalize().resolve("configs/ratings-csv.yaml");
        Result r = run("train", config.toString(), "--run-dir", tmp.resolve("run").toString(),
                "--set", "dataset.path=" + shop.resolve("ratings.csv"),
                "--set", "dataset.users.path=" + shop.resolve("users.csv"),
                "--set", "dataset.items.path=" + shop.resolve("items.csv"), "--set", "training.epochs=1");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("features user 61, item 41, age_band "), r.out());
        // Parquet and TSV tables train to the same figures as the CSV ones.
        for (String format : List.of("tsv", "parquet")) {
            Path other = tmp.resolve(format);
            assertEquals(0, run("generate", "ratings", "--out", other.toString(), "--users", "60", "--items", "40",
                    "--ratings", "2000", "--format", format).status());
            Result o = run("train", config.toString(), "--run-dir", tmp.resolve("run-" + format).toString(),
                    "--set", "dataset.path=" + other.resolve("ratings." + format),
                    "--set", "dataset.users.path=" + other.resolve("users." + format),
                    "--set", "dataset.items.path=" + other.resolve("items." + format), "--set", "training.epochs=1");
            assertEquals(0, o.status(), o.err());
            assertEquals(Files.readAllLines(tmp.resolve("run").resolve(RunFiles.METRICS)).get(1).split(",")[2],
                    Files.readAllLines(tmp.resolve("run-" + format).resolve(RunFiles.METRICS)).get(1).split(",")[2]);
        }
    }

    private static void assertRefused(Path tmp, String dataset, String message) throws Exception {
        CliRun.assertRefused(tmp, dataset + MODEL, message);
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
                "dataset.split.seed: split leave-last-out does not use it (only random and k-fold splits draw"
                        + " rows); remove it, or pick type: random or k-fold (CONFIG:2)");
        Path good = Files.writeString(tmp.resolve("good.csv"), "user,item,rating\nu,i,4\nv,i,3\nu,j,2\nv,j,1\nw,i,5\n");
        Path users = Files.writeString(tmp.resolve("users.csv"), "customer,segment\nu,a\nv,b\nu,c\n");
        String withUsers = "dataset: {type: ratings, path: " + good + ", users: {path: %s, key: customer,"
                + " categorical: [segment]}, items: {path: %s, key: product, categorical: [%s]}}\n";
        assertRefused(tmp, withUsers.formatted(tmp.resolve("nope.csv"), users, "segment"),
                "dataset.users.path: no such file " + tmp.resolve("nope.csv") + " (CONFIG:2)");
        assertRefused(tmp, withUsers.formatted(users, users, "segment"),
                users + ":4: key \"u\" appears twice in column \"customer\" (first on line 2)");
        Files.writeString(users, "customer,segment\nu,a\nv,b\n");
        Path items = Files.writeString(tmp.resolve("items.csv"), "product,segment,user\ni,x,1\nj,y,2\n");
        assertRefused(tmp, withUsers.formatted(users, items, "segment"), "dataset.items: feature \"segment\" of "
                + items + " clashes with another feature of that name; the features are [user, item, segment]"
                + " (CONFIG:2)");
        assertRefused(tmp, withUsers.formatted(users, items, "user"), "dataset.items: a feature column may not be"
                + " called user, the name of an id field; rename it in the file (CONFIG:2)");
        assertRefused(tmp, withUsers.formatted(users, items, "brand"), items
                + ":1: missing column \"brand\"; found [product, segment, user]");
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
                "dataset.features: no field \"age\" in s.csv; available: user, item (CONFIG:2)");
    }
}
