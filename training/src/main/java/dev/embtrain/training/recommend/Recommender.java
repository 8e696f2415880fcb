package dev.embtrain.training.recommend;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.embtrain.datasets.features.Vocabulary;
import dev.embtrain.models.DotProductBias;
import dev.embtrain.models.EmbeddingTable;
import dev.embtrain.models.Head;
import dev.embtrain.models.SigmoidRange;
import dev.embtrain.models.shared.TopK;
import dev.embtrain.training.config.DotProductBiasConfig;
import dev.embtrain.training.export.Tables;
import dev.embtrain.training.metrics.UserRanking;
import dev.embtrain.training.run.RunFiles;
import dev.embtrain.training.run.SavedRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Top-k items for users from a ratings run: every item of the run's vocabulary is scored for a
 * block of users, the items the user rated in training are left out (unless asked to keep
 * them), and a top-k is kept per user ({@link TopK}: highest score first, ties by vocabulary
 * order).
 *
 * <p>Two scorers give the same numbers. A {@code dot-product-bias} model without side features
 * scores a block with one matrix product, {@code sigmoid_range(P_block · Qᵀ + b_u + b_iᵀ)}; any
 * other rating model scores every (user, item) pair through its block, side features read from
 * the run's {@code features/} tables as {@code predict} and DJL Serving read them.
 */
public final class Recommender {

    /**
     * One recommendation.
     *
     * @param item the item's id
     * @param label its label (a title), or its id
     * @param score the model's output (a rating, or a logit for a binary head)
     */
    public record Item(String item, String label, float score) {}

    private final SavedRun run;
    private final Vocabulary users;
    private final Vocabulary items;
    private final List<String> itemLabels;
    private final int[][] seen;
    private final Dot dot;

    /** The fast path's tables. */
    private record Dot(float[][] userFactors, NDArray itemFactorsT, float[] userBias, NDArray itemBias, float lo,
            float hi, boolean logit) {}

    /**
     * Prepares recommendations from an open run.
     *
     * @param run a ratings run
     * @param includeSeen whether items rated in training may be recommended
     * @throws IOException when the run's files cannot be read
     * @throws IllegalArgumentException when the run saved no training items and they are to be
     *     left out
     */
    public Recommender(SavedRun run, boolean includeSeen) throws IOException {
        this.run = run;
        this.users = run.vocabularies().get("user");
        this.items = run.vocabularies().get("item");
        Path labels = run.dir().resolve(RunFiles.labels("item"));
        this.itemLabels = Files.isRegularFile(labels) ? Files.readAllLines(labels, StandardCharsets.UTF_8)
                : items.tokens();
        if (includeSeen) {
            this.seen = null;
        } else {
            Path file = run.dir().resolve(RunFiles.SEEN);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(run.dir() + " has no " + RunFiles.SEEN + " (trained before"
                        + " recommend existed), so the items each user rated are unknown; retrain it, or pass"
                        + " --include-seen");
            }
            this.seen = RunFiles.readSeen(file, users.size());
        }
        this.dot = dot(run);
    }

    private static Dot dot(SavedRun run) {
        if (!(run.config().model() instanceof DotProductBiasConfig c) || run.block() == null
                || !(run.block() instanceof DotProductBias model)) {
            return null;
        }
        float[][] p = null;
        float[][] q = null;
        float[][] bu = null;
        float[][] bi = null;
        for (EmbeddingTable t : model.embeddingTables()) {
            float[][] m = Tables.toMatrix(t.parameter().getArray());
            switch (t.name()) {
                case "user" -> p = m;
                case "item" -> q = m;
                case "user_bias" -> bu = m;
                case "item_bias" -> bi = m;
                default -> { }
            }
        }
        NDManager manager = run.manager();
        int n = q.length;
        int d = q[0].length;
        float[] qt = new float[d * n];
        float[] ib = new float[n];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                qt[f * n + i] = q[i][f];
            }
            ib[i] = bi[i][0];
        }
        float[] ub = new float[bu.length];
        for (int u = 0; u < ub.length; u++) {
            ub[u] = bu[u][0];
        }
        return new Dot(p, manager.create(qt, new Shape(d, n)), ub, manager.create(ib, new Shape(1, n)),
                c.yRange().get(0).floatValue(), c.yRange().get(1).floatValue(), model.getHead() == Head.BINARY);
    }

    /**
     * Returns whether the one-matrix-product path scores this run.
     *
     * @return true for a dot-product-bias model
     */
    public boolean fast() {
        return dot != null;
    }

    /**
     * Returns the users the run knows, in vocabulary order.
     *
     * @return user ids
     */
    public List<String> users() {
        return users.tokens().subList(1, users.size());
    }

    /**
     * Returns how many items a user rated in training.
     *
     * @param user the user's id
     * @return the count, 0 when seen items are kept
     */
    public int seenCount(String user) {
        return seen == null ? 0 : seen[index(user)].length;
    }

    private int index(String user) {
        int u = users.index(user);
        if (u == 0) {
            throw new IllegalArgumentException("unknown user \"" + user + "\"; the run knows " + (users.size() - 1)
                    + " users");
        }
        return u;
    }

    /**
     * Recommends for users.
     *
     * @param ids the users' ids
     * @param k how many items each
     * @return per user, the top-k, best first (fewer when the user has rated nearly everything)
     * @throws IllegalArgumentException for a user the run does not know
     */
    public List<List<Item>> recommend(List<String> ids, int k) {
        int[] index = new int[ids.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = index(ids.get(i));
        }
        List<List<Item>> out = new ArrayList<>(ids.size());
        Rankings.blocks(this::score, index, items.size(), (scores, user) -> out.add(top(user, scores, k)));
        return out;
    }

    /**
     * The model's ranking beside popularity's.
     *
     * @param model the model's top-k against the held-out items
     * @param popularity the most rated training items the user has not rated, against the same
     * @param k the cut-off
     */
    public record Evaluation(UserRanking.Scores model, UserRanking.Scores popularity, int k) {

        static Evaluation of(Rankings.Evaluation e) {
            return new Evaluation(e.model().get(0), e.popularity().get(0), e.ks().get(0));
        }
    }

    private Rankings rankings() {
        if (seen == null) {
            throw new IllegalStateException("ranking evaluation leaves training items out; open without them kept");
        }
        return new Rankings(seen, items.size());
    }

    /**
     * Ranks every unseen item for each user with held-out items (the full protocol) and scores
     * the top k against them, beside the popularity baseline on the same users.
     *
     * @param heldOut per user vocabulary index, held-out item indices (unknown items left out)
     * @param k the cut-off
     * @return both scores
     * @throws IllegalStateException when seen items are kept (the protocol leaves them out)
     */
    public Evaluation evaluate(Map<Integer, Set<Integer>> heldOut, int k) {
        return Evaluation.of(rankings().full(this::score, heldOut, List.of(k)));
    }

    /**
     * The NCF protocol ({@link Rankings#sampled}).
     *
     * @param heldOut per user vocabulary index, held-out item indices
     * @param k the cut-off
     * @param negatives items drawn per held-out item
     * @param seed the draw's seed
     * @return both scores; a user with too few candidates is skipped
     * @throws IllegalArgumentException when every user is skipped
     */
    public Evaluation evaluateSampled(Map<Integer, Set<Integer>> heldOut, int k, int negatives, long seed) {
        return Evaluation.of(rankings().sampled(this::score, heldOut, List.of(k), negatives, seed, "--negatives"));
    }

    private List<Item> top(int user, float[] scores, int k) {
        TopK.Result r = Rankings.top(scores, seen == null ? null : seen[user], k);
        List<Item> out = new ArrayList<>(r.indices().length);
        for (int j = 0; j < r.indices().length; j++) {
            int i = r.indices()[j];
            out.add(new Item(items.token(i), itemLabels.get(i), (float) r.scores()[j]));
        }
        return out;
    }

    /**
     * Scores every item for a block of users.
     *
     * @param userIndex the users' vocabulary indices
     * @return per user, a score per item vocabulary index (index 0 unused)
     */
    float[][] score(int[] userIndex) {
        int n = items.size();
        float[][] out = new float[userIndex.length][];
        if (dot != null) {
            int d = dot.userFactors()[0].length;
            float[] p = new float[userIndex.length * d];
            float[] b = new float[userIndex.length];
            for (int r = 0; r < userIndex.length; r++) {
                System.arraycopy(dot.userFactors()[userIndex[r]], 0, p, r * d, d);
                b[r] = dot.userBias()[userIndex[r]];
            }
            try (NDManager m = run.manager().newSubManager()) {
                NDArray raw = m.create(p, new Shape(userIndex.length, d)).matMul(dot.itemFactorsT())
                        .add(m.create(b, new Shape(userIndex.length, 1))).add(dot.itemBias());
                float[] flat = (dot.logit() ? raw : SigmoidRange.apply(raw, dot.lo(), dot.hi())).toFloatArray();
                for (int r = 0; r < userIndex.length; r++) {
                    out[r] = Arrays.copyOfRange(flat, r * n, (r + 1) * n);
                }
            }
            return out;
        }
        List<String> pairUsers = new ArrayList<>(userIndex.length * (n - 1));
        List<String> pairItems = new ArrayList<>(userIndex.length * (n - 1));
        for (int u : userIndex) {
            for (int i = 1; i < n; i++) {
                pairUsers.add(users.token(u));
                pairItems.add(items.token(i));
            }
        }
        float[] flat = run.predict(pairUsers, pairItems);
        for (int r = 0; r < userIndex.length; r++) {
            float[] row = new float[n];
            System.arraycopy(flat, r * (n - 1), row, 1, n - 1);
            out[r] = row;
        }
        return out;
    }
}
