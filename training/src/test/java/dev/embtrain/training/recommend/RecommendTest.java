package dev.embtrain.training.recommend;

import static dev.embtrain.training.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.datasets.synthetic.SyntheticMovieLens;
import dev.embtrain.training.cli.CliRun.Result;
import dev.embtrain.training.run.SavedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code embtrain recommend}: the top-k of every unseen item by the model's own score, for the
 * dot-product fast path and the pair-by-pair path, one user or all.
 */
class RecommendTest {

    @TempDir
    static Path tmp;

    /** Each user's training items, from the split column the tests write. */
    private static final Map<String, Set<String>> SEEN = new HashMap<>();
    /** Each user's validation items. */
    private static final Map<String, Set<String>> HELD_OUT = new HashMap<>();
    private static Path ratings;
    private static Path users;

    @BeforeAll
    static void data() throws Exception {
        Path ml = tmp.resolve("ml");
        SyntheticMovieLens.write(new SyntheticMovieLens.Spec(40, 30, 600, 2, 0.5, 3), ml);
        StringBuilder csv = new StringBuilder("user,item,rating,split\n");
        List<String> lines = Files.readAllLines(ml.resolve("u.data"));
        for (int r = 0; r < lines.size(); r++) {
            String[] f = lines.get(r).split("\t");
            boolean valid = r % 5 == 0;
            csv.append(f[0]).append(',').append(f[1]).append(',').append(f[2]).append(',')
                    .append(valid ? "validation" : "train").append('\n');
            (valid ? HELD_OUT : SEEN).computeIfAbsent(f[0], k -> new HashSet<>()).add(f[1]);
        }
        ratings = Files.writeString(tmp.resolve("ratings.csv"), csv);
        StringBuilder u = new StringBuilder("user,band\n");
        for (String line : Files.readAllLines(ml.resolve("u.user"))) {
            String[] f = line.split("\\|");
            u.append(f[0]).append(',').append(f[2]).append('\n');
        }
        users = Files.writeString(tmp.resolve("users.csv"), u);
    }

    private static Path train(String name, String model, String features) throws Exception {
        Path config = Files.writeString(tmp.resolve(name + ".yaml"), """
                name: %s
                seed: 5
                dataset:
                  type: ratings
                  path: %s
                  split: {type: column}
                  users: {path: %s, key: user, categorical: [band]}
                  features: %s
                model: %s
                training: {epochs: 2, batch_size: 32, optimizer: {type: adamw, learning_rate: 0.02}, progress: false}
                export: {embeddings: [], plots: false}
                """.formatted(name, ratings, users, features, model));
        Path dir = tmp.resolve("run-" + name);
        Result r = run("train", config.toString(), "--run-dir", dir.toString());
        assertEquals(0, r.status(), r.err());
        return dir;
    }

    /** The k best unseen items by the model's own predictions, for comparison. */
    private static List<String> bruteForce(SavedRun run, String user, int k, boolean includeSeen) {
        List<String> items = run.vocabularies().get("item").tokens();
        List<String> candidates = new ArrayList<>();
        for (String item : items.subList(1, items.size())) {
            if (includeSeen || !SEEN.getOrDefault(user, Set.of()).contains(item)) {
                candidates.add(item);
            }
        }
        float[] scores = run.predict(java.util.Collections.nCopies(candidates.size(), user), candidates);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            order.add(i);
        }
        // Highest score first, ties by vocabulary order (candidates are in that order).
        order.sort(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
        return order.subList(0, Math.min(k, order.size())).stream().map(candidates::get).toList();
    }

    private static void assertTopKIsTheBestUnseen(Path dir, boolean fast) throws Exception {
        try (SavedRun run = SavedRun.open(dir)) {
            Recommender seenOut = new Recommender(run, false);
            Recommender seenIn = new Recommender(run, true);
            assertEquals(fast, seenOut.fast());
            List<String> all = seenOut.users();
            List<List<Recommender.Item>> tops = seenOut.recommend(all, 7);
            for (int u = 0; u < all.size(); u++) {
                String user = all.get(u);
                List<String> got = tops.get(u).stream().map(Recommender.Item::item).toList();
                for (String item : got) {
                    assertFalse(SEEN.get(user).contains(item), user + " rated " + item + " in training");
                }
                assertEquals(bruteForce(run, user, 7, false), got, user);
                assertEquals(SEEN.get(user).size(), seenOut.seenCount(user));
                // The score printed is the model's prediction of the pair.
                float[] predicted = run.predict(java.util.Collections.nCopies(got.size(), user), got);
                for (int j = 0; j < got.size(); j++) {
                    assertEquals(predicted[j], tops.get(u).get(j).score(), 1e-5);
                }
                // One user at a time gives what a block gives.
                assertEquals(got, seenOut.recommend(List.of(user), 7).get(0).stream().map(Recommender.Item::item)
                        .toList());
                assertEquals(bruteForce(run, user, 7, true), seenIn.recommend(List.of(user), 7).get(0).stream()
                        .map(Recommender.Item::item).toList());
            }
        }
    }

    @Test
    void theDotProductPathRecommendsTheBestUnseenItemsByOneMatrixProduct() throws Exception {
        assertTopKIsTheBestUnseen(train("dot", "{type: dot-product-bias, factors: 4, y_range: [0.5, 5.5]}",
                "[user, item]"), true);
    }

    @Test
    void aModelWithSideFeaturesScoresEveryPairThroughItsBlock() throws Exception {
        assertTopKIsTheBestUnseen(train("fm", "{type: factorization-machine, factors: 4, y_range: [0.5, 5.5]}",
                "[user, item, band]"), false);
    }

    @Test
    void allWritesEveryUsersTopKAsPerUserCallsGiveIt() throws Exception {
        Path dir = train("dot-all", "{type: dot-product-bias, factors: 4, y_range: [0.5, 5.5]}", "[user, item]");
        Path csv = tmp.resolve("recs.csv");
        Result all = run("recommend", "--run", dir.toString(), "--all", "--out", csv.toString(), "-k", "3");
        assertEquals(0, all.status(), all.err());
        assertTrue(all.out().startsWith("wrote " + csv + ": top 3 for 40 users in "), all.out());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("user,item,rank,score", lines.get(0));
        assertEquals(1 + 40 * 3, lines.size());
        try (SavedRun run = SavedRun.open(dir)) {
            Recommender r = new Recommender(run, false);
            // The same users, items and ranks; a block's matrix product may round the last bit of a
            // score otherwise than one user's.
            int line = 1;
            for (String user : r.users()) {
                List<Recommender.Item> top = r.recommend(List.of(user), 3).get(0);
                for (int j = 0; j < top.size(); j++) {
                    String[] f = lines.get(line++).split(",");
                    assertEquals(user + "," + top.get(j).item() + "," + (j + 1), f[0] + "," + f[1] + "," + f[2]);
                    assertEquals(top.get(j).score(), Float.parseFloat(f[3]), 1e-6);
                }
            }
        }
        // --users takes a file of ids (a "user" header allowed) and writes theirs alone.
        Path some = Files.writeString(tmp.resolve("some.txt"), "user\n7\n3\n");
        Path part = tmp.resolve("part.csv");
        assertEquals(0, run("recommend", "--run", dir.toString(), "--users", some.toString(), "--out",
                part.toString(), "-k", "3").status());
        List<String> partLines = Files.readAllLines(part);
        assertEquals(lines.stream().filter(l -> l.startsWith("7,")).toList(), partLines.subList(1, 4));
        assertEquals(lines.stream().filter(l -> l.startsWith("3,")).toList(), partLines.subList(4, 7));
        Path parquet = tmp.resolve("recs.parquet");
        assertEquals(0, run("recommend", "--run", dir.toString(), "--all", "--out", parquet.toString(), "-k", "3")
                .status());
        assertTrue(Files.size(parquet) > 0);
        assertFalse(Files.exists(tmp.resolve("recs.parquet.partial")));

        Result one = run("recommend", "--run", dir.toString(), "--user", "7", "-k", "2");
        assertEquals(0, one.status(), one.err());
        assertTrue(one.out().startsWith("top 2 for user 7 (" + SEEN.get("7").size() + " rated items left out):\n"),
                one.out());
    }

    @Test
    void evaluateRanksUnseenItemsAgainstTheValidationItemsBesidePopularity() throws Exception {
        Path dir = train("dot-eval", "{type: dot-product-bias, factors: 4, y_range: [0.5, 5.5]}", "[user, item]");
        Result r = run("recommend", "--run", dir.toString(), "--evaluate", "-k", "5");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        try (SavedRun run = SavedRun.open(dir)) {
            var users = run.vocabularies().get("user");
            var items = run.vocabularies().get("item");
            List<int[]> model = new ArrayList<>();
            List<int[]> popular = new ArrayList<>();
            List<Set<Integer>> relevant = new ArrayList<>();
            // Popularity by hand: items by training raters, most first, ties by vocabulary order.
            Map<String, Integer> raters = new HashMap<>();
            SEEN.values().forEach(set -> set.forEach(i -> raters.merge(i, 1, Integer::sum)));
            List<String> byCount = new ArrayList<>(items.tokens().subList(1, items.size()));
            byCount.sort(Comparator.<String>comparingInt(i -> -raters.getOrDefault(i, 0))
                    .thenComparingInt(items::index));
            for (String user : users.tokens().subList(1, users.size())) {
                Set<Integer> held = new HashSet<>();
                for (String item : HELD_OUT.getOrDefault(user, Set.of())) {
                    if (items.index(item) != 0) {
                        held.add(items.index(item));
                    }
                }
                if (held.isEmpty()) {
                    continue;
                }
                model.add(bruteForce(run, user, 5, false).stream().mapToInt(items::index).toArray());
                popular.add(byCount.stream().filter(i -> !SEEN.get(user).contains(i)).limit(5)
                        .mapToInt(items::index).toArray());
                relevant.add(held);
            }
            var m = dev.embtrain.training.metrics.UserRanking.at(model, relevant, 5);
            var p = dev.embtrain.training.metrics.UserRanking.at(popular, relevant, 5);
            assertTrue(lines.get(0).startsWith("ranking  " + m.users() + " validation users, every unseen item"
                    + " ranked against their held-out items ("), lines.get(0));
            assertEquals(String.format(java.util.Locale.ROOT, "  model       Recall@5 %.4f  HR@5 %.4f  NDCG@5 %.4f"
                    + "  MRR@5 %.4f", m.recall(), m.hitRate(), m.ndcg(), m.mrr()), lines.get(1));
            assertEquals(String.format(java.util.Locale.ROOT, "  popularity  Recall@5 %.4f  HR@5 %.4f  NDCG@5 %.4f"
                    + "  MRR@5 %.4f", p.recall(), p.hitRate(), p.ndcg(), p.mrr()), lines.get(2));
        }
    }

    @Test
    void theSampledProtocolRanksEachHeldOutItemAmongSeededNegatives() throws Exception {
        Path dir = train("dot-sampled", "{type: dot-product-bias, factors: 4, y_range: [0.5, 5.5]}", "[user, item]");
        Result r = run("recommend", "--run", dir.toString(), "--evaluate", "--protocol", "sampled", "--negatives",
                "5", "-k", "2");
        assertEquals(0, r.status(), r.err());
        assertEquals(r.out(), run("recommend", "--run", dir.toString(), "--evaluate", "--protocol", "sampled",
                "--negatives", "5", "-k", "2").out());
        List<String> lines = r.out().lines().toList();
        try (SavedRun run = SavedRun.open(dir)) {
            var users = run.vocabularies().get("user");
            var items = run.vocabularies().get("item");
            Map<Integer, Set<Integer>> held = new HashMap<>();
            HELD_OUT.forEach((user, set) -> set.forEach(item -> {
                if (users.index(user) != 0 && items.index(item) != 0) {
                    held.computeIfAbsent(users.index(user), x -> new HashSet<>()).add(items.index(item));
                }
            }));
            Recommender.Evaluation e = new Recommender(run, false).evaluateSampled(held, 2, 5, 42);
            assertTrue(lines.get(0).startsWith("ranking  " + e.model().users() + " held-out items, each among 5"
                    + " drawn unseen items (seed 42; "), lines.get(0));
            assertEquals(String.format(java.util.Locale.ROOT, "  model       Recall@2 %.4f  HR@2 %.4f  NDCG@2 %.4f"
                    + "  MRR@2 %.4f", e.model().recall(), e.model().hitRate(), e.model().ndcg(), e.model().mrr()),
                    lines.get(1));
            // Every held-out item of a user with enough candidates is ranked once.
            int expected = 0;
            for (Map.Entry<Integer, Set<Integer>> h : held.entrySet()) {
                String user = users.token(h.getKey());
                if (items.size() - 1 - SEEN.get(user).size() - h.getValue().size() >= 5) {
                    expected += h.getValue().size();
                }
            }
            assertEquals(expected, e.model().users());
        }
        assertEquals("embtrain: recommend: no held-out item can be ranked: every user with one has fewer than 99"
                + " items neither rated in training nor held out to draw from; lower --negatives\n",
                run("recommend", "--run", dir.toString(), "--evaluate", "--protocol", "sampled").err());
        assertEquals("embtrain: recommend: --protocol expects full or sampled, found \"ncf\"\n",
                run("recommend", "--run", dir.toString(), "--evaluate", "--protocol", "ncf").err());
    }

    @Test
    void mistakesAreOneLine() throws Exception {
        Path dir = train("dot-err", "{type: dot-product-bias, factors: 4, y_range: [0.5, 5.5]}", "[user, item]");
        assertEquals("embtrain: recommend: unknown user \"nobody\"; the run knows 40 users\n",
                run("recommend", "--run", dir.toString(), "--user", "nobody").err());
        assertEquals("embtrain: recommend: name the users with one of --user ID, --users FILE or --all\n",
                run("recommend", "--run", dir.toString()).err());
        assertEquals("embtrain: recommend: name the users with one of --user ID, --users FILE or --all\n",
                run("recommend", "--run", dir.toString(), "--user", "7", "--all").err());
        assertEquals("embtrain: recommend: --users and --all write a file; add --out FILE (.csv or .parquet)\n",
                run("recommend", "--run", dir.toString(), "--all").err());
        assertEquals("embtrain: recommend: --out must end in .csv or .parquet, found recs.json\n",
                run("recommend", "--run", dir.toString(), "--all", "--out", tmp.resolve("recs.json").toString()).err());
        Files.delete(dir.resolve("vocab/seen.txt"));
        assertEquals("embtrain: recommend: " + dir + " has no vocab/seen.txt (trained before recommend existed), so"
                + " the items each user rated are unknown; retrain it, or pass --include-seen\n",
                run("recommend", "--run", dir.toString(), "--user", "7").err());
        assertEquals(0, run("recommend", "--run", dir.toString(), "--user", "7", "--include-seen").status());
    }
}
