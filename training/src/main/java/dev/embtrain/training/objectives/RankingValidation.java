package dev.embtrain.training.objectives;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import dev.embtrain.datasets.features.FeatureSchema;
import dev.embtrain.datasets.features.PairEncoder;
import dev.embtrain.models.DotProductBias;
import dev.embtrain.models.EmbeddingTable;
import dev.embtrain.training.config.RankingConfig;
import dev.embtrain.training.engine.Monitor;
import dev.embtrain.training.metrics.UserRanking;
import dev.embtrain.training.recommend.Rankings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The per-epoch ranking metrics of a ratings run: each validation user's held-out items ranked
 * by the model being trained ({@link Rankings}, full or sampled), with Recall, HR, NDCG and MRR
 * at every cut-off. A {@code dot-product-bias} model is scored with one matrix product per block
 * of users from its tables; any other scores every (user, item) pair through its block, the pairs
 * encoded with the user's and the item's side features ({@link PairEncoder}).
 */
public final class RankingValidation {

    /** The names of ranking metrics, whatever their cut-off; higher is better for each. */
    public static final Pattern NAME = Pattern.compile("valid_(ndcg|recall|hr|mrr)_at_[1-9][0-9]*");

    /** Pairs scored by one call of the block. */
    private static final int CHUNK = 65_536;

    private final Rankings rankings;
    private final Map<Integer, Set<Integer>> heldOut;
    private final RankingConfig config;
    private final PairEncoder pairs;
    private final int items;

    /**
     * Prepares the metrics.
     *
     * @param rankings the protocols, over the training items of every user
     * @param heldOut per user vocabulary index, the held-out item indices
     * @param config the cut-offs and protocol
     * @param pairs encodes (user, item) pairs for the block
     * @param items the item vocabulary's size
     */
    public RankingValidation(Rankings rankings, Map<Integer, Set<Integer>> heldOut, RankingConfig config,
            PairEncoder pairs, int items) {
        this.rankings = rankings;
        this.heldOut = heldOut;
        this.config = config;
        this.pairs = pairs;
        this.items = items;
    }

    /**
     * Returns the metrics of some cut-offs, in column order: NDCG, Recall, HR and MRR at each.
     *
     * @param ks the cut-offs
     * @return the metrics, all higher-is-better
     */
    public static List<Monitor> monitors(List<Integer> ks) {
        List<Monitor> out = new ArrayList<>();
        for (int k : ks) {
            for (String m : List.of("ndcg", "recall", "hr", "mrr")) {
                out.add(new Monitor("valid_" + m + "_at_" + k, true));
            }
        }
        return out;
    }

    /**
     * Returns the names of the metrics this validation computes, in column order.
     *
     * @return the names
     */
    public List<String> metricNames() {
        return Metrics.names(monitors(config.k()));
    }

    /**
     * Returns the scores of an evaluation by metric name, as {@link #monitors} orders them.
     *
     * @param e the evaluation
     * @param model the model's (true) or popularity's (false)
     * @return the values
     */
    public static Map<String, Double> values(Rankings.Evaluation e, boolean model) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int j = 0; j < e.ks().size(); j++) {
            int k = e.ks().get(j);
            UserRanking.Scores s = (model ? e.model() : e.popularity()).get(j);
            out.put("valid_ndcg_at_" + k, s.ndcg());
            out.put("valid_recall_at_" + k, s.recall());
            out.put("valid_hr_at_" + k, s.hitRate());
            out.put("valid_mrr_at_" + k, s.mrr());
        }
        return out;
    }

    /**
     * Ranks with a scorer.
     *
     * @param scorer the scorer
     * @return the evaluation, the popularity baseline's included
     */
    public Rankings.Evaluation evaluate(Rankings.Scorer scorer) {
        return config.protocol() == RankingConfig.Protocol.FULL ? rankings.full(scorer, heldOut, config.k())
                : rankings.sampled(scorer, heldOut, config.k(), config.negatives(), config.seed(),
                        "dataset.evaluation.ranking.negatives");
    }

    /**
     * Computes the metrics with the current parameters, in inference mode.
     *
     * @param trainer the trainer
     * @return the metrics by name
     */
    public Map<String, Double> validate(Trainer trainer) {
        return values(evaluate(scorer(trainer)), true);
    }

    private Rankings.Scorer scorer(Trainer trainer) {
        Block block = trainer.getModel().getBlock();
        if (block instanceof DotProductBias dot) {
            return users -> dot(trainer.getManager(), dot, users);
        }
        return users -> pairs(trainer, users);
    }

    /** p_u · q_i + b_u + b_i for a block of users and every item: the ranking the head keeps. */
    private static float[][] dot(NDManager parent, DotProductBias model, int[] users) {
        Map<String, NDArray> t = new LinkedHashMap<>();
        for (EmbeddingTable e : model.embeddingTables()) {
            t.put(e.name(), e.parameter().getArray());
        }
        try (NDManager m = parent.newSubManager(t.get("user").getDevice())) {
            long[] ids = new long[users.length];
            for (int b = 0; b < users.length; b++) {
                ids[b] = users[b];
            }
            NDArray index = m.create(ids);
            // Results belong to their input's manager, the parameters' here: each is moved into m.
            NDArray p = t.get("user").get(index);
            p.attach(m);
            NDArray qt = t.get("item").transpose();
            qt.attach(m);
            NDArray bu = t.get("user_bias").get(index);
            bu.attach(m);
            NDArray bi = t.get("item_bias").transpose();
            bi.attach(m);
            NDArray scores = p.matMul(qt).add(bu).add(bi);
            float[] flat = scores.toFloatArray();
            int n = (int) scores.getShape().get(1);
            float[][] out = new float[users.length][];
            for (int b = 0; b < users.length; b++) {
                out[b] = java.util.Arrays.copyOfRange(flat, b * n, (b + 1) * n);
            }
            return out;
        }
    }

    /** Every (user, item) pair of a block of users through the block. */
    private float[][] pairs(Trainer trainer, int[] users) {
        int n = items - 1;
        float[] flat = new float[users.length * n];
        int total = users.length * n;
        for (int from = 0; from < total; from += CHUNK) {
            int to = Math.min(total, from + CHUNK);
            int[] u = new int[to - from];
            int[] i = new int[to - from];
            for (int p = from; p < to; p++) {
                u[p - from] = users[p / n];
                i[p - from] = 1 + p % n;
            }
            FeatureSchema.Encoded e = pairs.encode(u, i);
            try (NDManager m = trainer.getManager().newSubManager()) {
                NDList input = e.denseWidth() == 0
                        ? new NDList(m.create(e.ids(), new Shape(u.length, e.idWidth())))
                        : new NDList(m.create(e.ids(), new Shape(u.length, e.idWidth())),
                                m.create(e.dense(), new Shape(u.length, e.denseWidth())));
                float[] s = trainer.evaluate(input).head().toFloatArray();
                System.arraycopy(s, 0, flat, from, s.length);
            }
        }
        float[][] out = new float[users.length][items];
        for (int b = 0; b < users.length; b++) {
            System.arraycopy(flat, b * n, out[b], 1, n);
        }
        return out;
    }
}
