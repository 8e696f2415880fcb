package dev.embtrain.training.kinds;

import static dev.embtrain.training.cli.CliRun.assertRefused;
import static dev.embtrain.training.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.cli.CliRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Implicit feedback and ranking metrics end to end, on interactions with a structure popularity
 * cannot see: even users choose even items and odd users odd ones, so a model that learns it
 * ranks a user's held-out item among half the catalogue, popularity among all of it.
 */
class ImplicitRatingsTest {

    @TempDir
    static Path tmp;

    private static Path ratings;
    private static Path items;

    @BeforeAll
    static void data() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        StringBuilder csv = new StringBuilder("user,item,rating,ts\n");
        long ts = 1;
        for (int u = 1; u <= 60; u++) {
            java.util.Set<Integer> chosen = new java.util.LinkedHashSet<>();
            while (chosen.size() < 12) {
                chosen.add(2 * random.nextInt(30) + (u % 2 == 0 ? 2 : 1));
            }
            for (int i : chosen) {
                csv.append('u').append(u).append(",m").append(i).append(',').append(1 + random.nextInt(5)).append(',')
                        .append(ts++).append('\n');
            }
        }
        ratings = Files.writeString(tmp.resolve("ratings.csv"), csv);
        StringBuilder side = new StringBuilder("item,kind\n");
        for (int i = 1; i <= 60; i++) {
            side.append('m').append(i).append(',').append(i % 3).append('\n');
        }
        items = Files.writeString(tmp.resolve("items.csv"), side);
    }

    private static Result train(String name, String model, String label, String more) throws Exception {
        Path config = Files.writeString(tmp.resolve(name + ".yaml"), """
                name: %s
                seed: 3
                dataset:
                  type: ratings
                  path: %s
                  columns: {user: user, item: item, rating: rating, timestamp: ts}
                  split: {type: leave-last-out}
                  items: {path: %s, key: item, categorical: [kind]}
                  label: %s
                %s
                model: %s
                training: {epochs: 12, batch_size: 64, optimizer: {type: adamw, learning_rate: 0.05, weight_decay: 0.0},
                  schedule: {type: constant}, progress: false}
                export: {embeddings: [], plots: true}
                """.formatted(name, ratings, items, label, more, model));
        Result r = run("train", config.toString(), "--run-dir", tmp.resolve("run-" + name).toString());
        assertEquals(0, r.status(), r.err());
        return r;
    }

    private static double value(String out, String line, String metric) {
        Matcher m = Pattern.compile(line + ".*?" + metric + " ([0-9.]+)").matcher(out);
        assertTrue(m.find(), "no " + metric + " in: " + out);
        return Double.parseDouble(m.group(1));
    }

    private static void assertLearnsTheHalves(Result r) {
        double popularity = value(r.out(), "ranking ", "valid_ndcg_at_10");
        double model = value(r.out(), "best epoch", "valid_ndcg_at_10");
        // Half the catalogue holds the held-out item: a learner's HR@10 nears 10/30, popularity's 10/60.
        assertTrue(model > 1.5 * popularity && model > 0.15, "model " + model + ", popularity " + popularity);
    }

    @Test
    void bprOnTheDotProductRanksAboveUnlikePopularityAndPicksTheEpochByNdcg() throws Exception {
        Result r = train("bpr", "{type: dot-product-bias, factors: 8}", "{type: implicit, negatives: 2}",
                "  evaluation: {ranking: {k: [5, 10]}}");
        assertLearnsTheHalves(r);
        List<String> header = List.of(Files.readAllLines(tmp.resolve("run-bpr/metrics.csv")).get(0).split(","));
        assertEquals(List.of("epoch", "train_loss", "valid_ndcg_at_5", "valid_recall_at_5", "valid_hr_at_5",
                "valid_mrr_at_5", "valid_ndcg_at_10", "valid_recall_at_10", "valid_hr_at_10", "valid_mrr_at_10"),
                header.subList(0, 10));
        assertTrue(r.out().contains("implicit every training row a positive; 2 items drawn per positive (uniform),"
                + " loss bpr"), r.out());
        assertTrue(Files.isRegularFile(tmp.resolve("run-bpr/plots/ranking.png")));
        // The run recommends as any other: the served score is the raw score.
        Result rec = run("recommend", "--run", tmp.resolve("run-bpr").toString(), "--user", "u2", "-k", "3");
        assertEquals(0, rec.status(), rec.err());
    }

    @Test
    void crossEntropyOnDeepCollaborativeAndBprOnAFactorizationMachineWithItemFeaturesLearnToo() throws Exception {
        assertLearnsTheHalves(train("bce", "{type: deep-collaborative, layers: [16], user_embedding_size: 8,"
                + " item_embedding_size: 8}", "{type: implicit, loss: bce, negatives: 4}", ""));
        // Drawn items take their own kind; the factorization machine scores every pair through its block.
        assertLearnsTheHalves(train("fm", "{type: factorization-machine, factors: 8}", "{type: implicit,"
                + " sampler: popularity, alpha: 0.5}", "  features: [user, item, kind]"));
        assertLearnsTheHalves(train("wd", "{type: wide-and-deep, layers: [16], embedding_sizes: [{field: user, size: 8},"
                + " {field: item, size: 8}]}", "{type: implicit}", "  features: [user, item, kind]\n"
                + "  crosses: [{fields: [user, kind], buckets: 64}]"));
    }

    /** Generated MovieLens whose users rate what they like: BPR finds the preference popularity misses. */
    @Test
    void bprOnGeneratedExposureBeatsPopularity() throws Exception {
        Path config = Files.writeString(tmp.resolve("exposure.yaml"), """
                name: exposure
                seed: 3
                dataset:
                  type: synthetic-movielens
                  path: %s
                  users: 200
                  items: 300
                  ratings: 8000
                  factors: 4
                  exposure: 2
                  split: {type: leave-last-out}
                  label: {type: implicit}
                model: {type: dot-product-bias, factors: 16}
                training: {epochs: 6, batch_size: 128, optimizer: {type: adamw, learning_rate: 0.01, weight_decay: 0.0},
                  schedule: {type: constant}, progress: false}
                export: {embeddings: [], plots: false}
                """.formatted(tmp.resolve("exposure-data")));
        Result r = run("train", config.toString(), "--run-dir", tmp.resolve("run-exposure").toString());
        assertEquals(0, r.status(), r.err());
        double popularity = value(r.out(), "ranking ", "valid_ndcg_at_10");
        double model = value(r.out(), "best epoch", "valid_ndcg_at_10");
        // Measured: 0.197 against 0.100 (the ml-100k-sized benchmark in the note: 5x).
        assertTrue(model > 1.5 * popularity, "model " + model + ", popularity " + popularity);
    }

    /** A search monitors NDCG@10 and may vary the draws and the loss, which the data does not depend on. */
    @Test
    void aSearchVariesTheDrawsAndTheLossOnNdcg() throws Exception {
        Result r = train("search", "{type: dot-product-bias, factors: 8}", "{type: implicit}", """
                search:
                  trials: 2
                  sampler: {type: random}
                  space:
                    - {key: dataset.label.negatives, type: choice, values: [1, 3]}
                    - {key: dataset.label.loss, type: choice, values: [bpr, bce]}
                """);
        assertTrue(r.out().contains("median pruner on valid_ndcg_at_10"), r.out());
        assertTrue(Pattern.compile("best trial \\d: valid_ndcg_at_10 0\\.\\d{4}").matcher(r.out()).find(), r.out());
    }

    @Test
    void ratingsRunsMayRankToo() throws Exception {
        Result r = train("mse", "{type: dot-product-bias, factors: 4}", "{type: rating}",
                "  evaluation: {ranking: {protocol: sampled, negatives: 20, min_rating: 1}}");
        List<String> header = List.of(Files.readAllLines(tmp.resolve("run-mse/metrics.csv")).get(0).split(","));
        assertEquals(List.of("epoch", "train_loss", "valid_mse", "valid_rmse", "valid_mae", "valid_ndcg_at_10"),
                header.subList(0, 6));
        assertTrue(r.out().contains("ranking  sampled protocol (20 drawn items each) on 60 validation users;"),
                r.out());
    }

    @Test
    void keysTheLabelDoesNotReadAreRefused() throws Exception {
        String data = """
                dataset:
                  type: ratings
                  path: %s
                  columns: {user: user, item: item, rating: rating, timestamp: ts}
                  label: %s
                model: {type: dot-product-bias}
                training: {early_stopping: {metric: %s}}
                """;
        assertRefused(tmp, data.formatted(ratings, "{type: rating, negatives: 3}", "auto"),
                "dataset.label.negatives: label rating does not use it; remove it, or pick type: implicit (CONFIG:6)");
        assertRefused(tmp, data.formatted(ratings, "{type: implicit, alpha: 0.5}", "auto"),
                "dataset.label.alpha: sampler uniform does not use it; remove it, or pick sampler: popularity"
                        + " (CONFIG:6)");
        assertRefused(tmp, data.formatted(ratings, "{type: implicit}", "auto").replace("{type: dot-product-bias}",
                "{type: factorization-machine, objective: implicit}"), "dataset.label: objective: implicit (feat2vec)"
                        + " draws negatives for every field and reads no label; leave out dataset.label, or rank items"
                        + " with label: {type: implicit} and objective: regression (CONFIG:6)");
        assertRefused(tmp, data.formatted(ratings, "{type: rating}", "valid_ndcg_at_10"),
                "training.early_stopping.metric: valid_ndcg_at_10 is not measured by ratings runs of"
                        + " dot-product-bias; expected one of auto, valid_mse, valid_rmse, valid_mae, train_loss"
                        + " (CONFIG:8)");
        assertRefused(tmp, data.formatted(ratings, "{type: implicit}", "valid_mse"),
                "training.early_stopping.metric: valid_mse is not measured by ratings runs of"
                        + " dot-product-bias; expected one of auto, valid_ndcg_at_10, valid_recall_at_10,"
                        + " valid_hr_at_10, valid_mrr_at_10, train_loss (CONFIG:8)");
    }
}
