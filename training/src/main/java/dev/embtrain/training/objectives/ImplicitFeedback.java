package dev.embtrain.training.objectives;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.embtrain.datasets.features.FeatureSchema;
import dev.embtrain.datasets.features.PairEncoder;
import dev.embtrain.training.data.Batches;
import dev.embtrain.training.engine.Objective;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Implicit feedback for the rating models: every training row is a positive (user, item), and
 * each positive gets {@code n} items drawn for its user, uniformly or in proportion to their
 * training rows^α, among the items the user has no training row with (redrawn up to
 * {@value #TRIES} times, then kept). A step's input is the B positives followed by the n·B drawn
 * pairs, the drawn pairs encoded with their item's own features ({@link PairEncoder}); the loss
 * is BPR over (positive, drawn) score pairs or sigmoid cross-entropy with labels 1 and 0 (NCF).
 * Validation ranks the held-out items ({@link RankingValidation}).
 *
 * <p>Each epoch takes two splits of the seed's stream, the shuffle's and the draws', and every
 * draw happens as its batch is made, so replaying an epoch's batches on resume consumes the same
 * numbers as training them did.
 */
public final class ImplicitFeedback implements Objective {

    /** Draws per negative before an item the user has a training row with is kept. */
    static final int TRIES = 32;

    private final FeatureSchema.Encoded train;
    private final int[] users;
    private final int[][] seen;
    private final PairEncoder pairs;
    private final double[] cumulative;
    private final int negatives;
    private final Loss loss;
    private final int batchSize;
    private final Shape[] inputShapes;
    private final RankingValidation validation;
    private final SplittableRandom seeds;

    /**
     * Creates the objective.
     *
     * @param train the training rows, encoded
     * @param users each training row's user index
     * @param seen per user index, its training items, sorted
     * @param pairs encodes drawn pairs
     * @param weights a draw weight per item index (0 for the unknown slot)
     * @param negatives n, items drawn per positive
     * @param loss BPR or cross-entropy over the step's layout
     * @param batchSize positives per step
     * @param inputShapes what {@code Trainer.initialize} takes
     * @param validation the ranking metrics
     * @param seed seeds every epoch's shuffle and draws
     */
    public ImplicitFeedback(FeatureSchema.Encoded train, int[] users, int[][] seen, PairEncoder pairs,
            double[] weights, int negatives, Loss loss, int batchSize, Shape[] inputShapes,
            RankingValidation validation, long seed) {
        this.train = train;
        this.users = users;
        this.seen = seen;
        this.pairs = pairs;
        this.cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cumulative[i] = sum;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("no item can be drawn: every weight is 0");
        }
        this.negatives = negatives;
        this.loss = loss;
        this.batchSize = batchSize;
        this.inputShapes = inputShapes.clone();
        this.validation = validation;
        this.seeds = new SplittableRandom(seed);
    }

    @Override
    public Shape[] inputShapes() {
        return inputShapes.clone();
    }

    @Override
    public int batchesPerEpoch() {
        return (users.length + batchSize - 1) / batchSize;
    }

    @Override
    public List<String> metrics() {
        return List.copyOf(validation.metricNames());
    }

    /**
     * Draws an item for a user: by weight, again while the user has a training row with it.
     *
     * @param user the user's index
     * @param random the draws' stream
     * @return the item's index
     */
    int draw(int user, SplittableRandom random) {
        double total = cumulative[cumulative.length - 1];
        int item = 0;
        for (int t = 0; t < TRIES; t++) {
            item = upper(cumulative, random.nextDouble() * total);
            if (Arrays.binarySearch(seen[user], item) < 0) {
                return item;
            }
        }
        return item;
    }

    /** The first index whose cumulative weight exceeds x: item i for x in [c[i-1], c[i]). */
    private static int upper(double[] c, double x) {
        int lo = 0;
        int hi = c.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (c[mid] > x) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    @Override
    public Epoch epoch(NDManager manager, int epoch) {
        int n = users.length;
        long[] order = Batches.permutation(n, seeds.split());
        SplittableRandom draws = seeds.split();
        return new SlicedEpoch(manager, n, batchSize, (scope, from, to) -> step(scope, order, from, to, draws));
    }

    /** Builds a step's input and labels: the positives, then n rounds of a drawn item each. */
    private NDList[] step(NDManager scope, long[] order, int from, int to, SplittableRandom draws) {
        int b = to - from;
        int rows = b * (1 + negatives);
        int f = train.idWidth();
        int g = train.denseWidth();
        long[] ids = new long[rows * f];
        float[] dense = new float[rows * g];
        float[] labels = new float[rows];
        int[] drawnUsers = new int[b * negatives];
        int[] drawnItems = new int[b * negatives];
        for (int k = 0; k < b; k++) {
            int r = (int) order[from + k];
            System.arraycopy(train.ids(), r * f, ids, k * f, f);
            System.arraycopy(train.dense(), r * g, dense, k * g, g);
            labels[k] = 1f;
        }
        for (int s = 0; s < negatives; s++) {
            for (int k = 0; k < b; k++) {
                int u = users[(int) order[from + k]];
                drawnUsers[s * b + k] = u;
                drawnItems[s * b + k] = draw(u, draws);
            }
        }
        FeatureSchema.Encoded drawn = pairs.encode(drawnUsers, drawnItems);
        System.arraycopy(drawn.ids(), 0, ids, b * f, drawn.ids().length);
        System.arraycopy(drawn.dense(), 0, dense, b * g, drawn.dense().length);
        NDList input = g == 0 ? new NDList(scope.create(ids, new Shape(rows, f)))
                : new NDList(scope.create(ids, new Shape(rows, f)), scope.create(dense, new Shape(rows, g)));
        return new NDList[] {input, new NDList(scope.create(labels))};
    }

    @Override
    public Loss loss() {
        return loss;
    }

    @Override
    public Map<String, Double> validate(Trainer trainer) {
        return validation.validate(trainer);
    }
}
