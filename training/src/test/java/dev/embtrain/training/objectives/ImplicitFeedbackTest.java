package dev.embtrain.training.objectives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.dataset.Batch;
import dev.embtrain.datasets.features.FeatureSchema;
import dev.embtrain.datasets.features.FeatureSource;
import dev.embtrain.datasets.features.FeatureSpec;
import dev.embtrain.datasets.features.PairEncoder;
import dev.embtrain.training.engine.BprLoss;
import dev.embtrain.training.engine.Objective;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Implicit feedback's loss, draws and batches. */
class ImplicitFeedbackTest {

    /** BPR on one triple: s+ = 2, s- = 0.5, loss softplus(-1.5), gradients -+sigmoid(-1.5). */
    @Test
    void bprLossAndGradientOfOneTripleByHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray scores = m.create(new float[] {2f, 0.5f});
            scores.setRequiresGradient(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDArray loss = new BprLoss(1).evaluate(new NDList(), new NDList(scores));
                assertEquals(Math.log(1 + Math.exp(-1.5)), loss.getFloat(), 1e-6);
                c.backward(loss);
            }
            double g = 1 / (1 + Math.exp(1.5));
            assertArrayEquals(new float[] {(float) -g, (float) g}, scores.getGradient().toFloatArray(), 1e-6f);
        }
    }

    /** Two positives, two drawn items each: the mean of the four pairs' losses. */
    @Test
    void bprPairsEachPositiveWithItsOwnDrawnItems() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Layout: positives p1 p2, then the first drawn item of each, then the second.
            float[] s = {1f, 3f, 0f, 2f, -1f, 4f};
            float loss = new BprLoss(2).evaluate(new NDList(), new NDList(m.create(s))).getFloat();
            double expected = (softplus(0 - 1) + softplus(2 - 3) + softplus(-1 - 1) + softplus(4 - 3)) / 4;
            assertEquals(expected, loss, 1e-6);
        }
    }

    private static double softplus(double x) {
        return Math.log(1 + Math.exp(x));
    }

    /** Users 1-3 and items 1-5; user 1 has items 1-4, user 2 item 5, user 3 items 1 and 2. */
    private static final String[][] ROWS = {{"u1", "i1"}, {"u1", "i2"}, {"u1", "i3"}, {"u1", "i4"}, {"u2", "i5"},
        {"u3", "i1"}, {"u3", "i2"}};

    private static ImplicitFeedback objective(double[] weights, int negatives, long seed) {
        FeatureSource source = new FeatureSource() {
            @Override
            public List<String> fields() {
                return List.of("user", "item");
            }

            @Override
            public boolean isBag(String field) {
                return false;
            }

            @Override
            public int size() {
                return ROWS.length;
            }

            @Override
            public String value(String field, int row) {
                return ROWS[row][field.equals("user") ? 0 : 1];
            }

            @Override
            public List<String> values(String field, int row) {
                return List.of(value(field, row));
            }

            @Override
            public float rating(int row) {
                return 1f;
            }

            @Override
            public String name() {
                return "rows";
            }
        };
        int[] train = new int[ROWS.length];
        Arrays.setAll(train, r -> r);
        FeatureSchema schema = FeatureSchema.build(new FeatureSpec(FeatureSpec.IDS, List.of(),
                FeatureSpec.Label.IMPLICIT), source, train);
        FeatureSchema.Encoded rows = schema.encode(source, train);
        int[] users = schema.ids(rows, "user");
        int[] items = schema.ids(rows, "item");
        int[][] seen = new int[schema.vocabulary("user").size()][];
        for (int u = 0; u < seen.length; u++) {
            int user = u;
            seen[u] = java.util.stream.IntStream.range(0, users.length).filter(r -> users[r] == user)
                    .map(r -> items[r]).sorted().toArray();
        }
        return new ImplicitFeedback(rows, users, seen, new PairEncoder(schema, source, train), weights, negatives,
                new BprLoss(negatives), 3, new Shape[] {new Shape(3 * (1 + negatives), 2)}, null, seed);
    }

    @Test
    void drawsLeaveOutTheUsersItemsAndFollowTheWeights() {
        // Vocabulary indices follow first appearance: u1 = 1, u2 = 2, u3 = 3; i1..i5 = 1..5.
        ImplicitFeedback uniform = objective(new double[] {0, 1, 1, 1, 1, 1}, 1, 1);
        SplittableRandom random = new SplittableRandom(9);
        int[] counts = new int[6];
        for (int t = 0; t < 3000; t++) {
            counts[uniform.draw(3, random)]++;
        }
        assertEquals(0, counts[0] + counts[1] + counts[2]);
        for (int i = 3; i <= 5; i++) {
            assertTrue(Math.abs(counts[i] - 1000) < 120, Arrays.toString(counts));
        }
        // User 1 has every item but 5: only 5 is drawn, whatever the weights.
        for (int t = 0; t < 100; t++) {
            assertEquals(5, uniform.draw(1, random));
        }
        // Weight 0 is never drawn; weights 1 and 3 in proportion (user 2 rejects only item 5).
        ImplicitFeedback weighted = objective(new double[] {0, 0, 1, 3, 0, 0}, 1, 1);
        int[] w = new int[6];
        for (int t = 0; t < 4000; t++) {
            w[weighted.draw(2, random)]++;
        }
        assertEquals(4000, w[2] + w[3]);
        assertTrue(Math.abs(w[3] - 3000) < 150, Arrays.toString(w));
    }

    private static List<long[]> epoch(Objective o, int epoch) {
        List<long[]> out = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(); Objective.Epoch e = o.epoch(m, epoch)) {
            while (e.hasNext()) {
                try (Batch b = e.next()) {
                    out.add(b.getData().head().toLongArray());
                    float[] labels = b.getLabels().head().toFloatArray();
                    int positives = b.getSize();
                    for (int k = 0; k < labels.length; k++) {
                        assertEquals(k < positives ? 1f : 0f, labels[k]);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void batchesArePositivesThenDrawnItemsOfTheSameUsersAndReplayFromTheSeed() {
        ImplicitFeedback o = objective(new double[] {0, 1, 1, 1, 1, 1}, 2, 4);
        List<long[]> first = epoch(o, 1);
        assertEquals(3, first.size());
        int positives = 0;
        for (long[] ids : first) {
            int b = ids.length / 2 / 3;
            positives += b;
            for (int s = 1; s <= 2; s++) {
                for (int k = 0; k < b; k++) {
                    long user = ids[2 * k];
                    long drawnUser = ids[2 * (s * b + k)];
                    long drawnItem = ids[2 * (s * b + k) + 1];
                    assertEquals(user, drawnUser);
                    // Never an item of the user's: user 1 (items 1-4) always gets 5.
                    for (int r = 0; r < ROWS.length; r++) {
                        boolean own = ROWS[r][0].equals("u" + user) && ROWS[r][1].equals("i" + drawnItem);
                        assertTrue(!own, "user " + user + " drew its own item " + drawnItem);
                    }
                }
            }
        }
        assertEquals(ROWS.length, positives);
        List<long[]> second = epoch(o, 2);
        // A fresh objective from the same seed replays both epochs exactly.
        ImplicitFeedback again = objective(new double[] {0, 1, 1, 1, 1, 1}, 2, 4);
        List<long[]> r1 = epoch(again, 1);
        List<long[]> r2 = epoch(again, 2);
        for (int j = 0; j < first.size(); j++) {
            assertArrayEquals(first.get(j), r1.get(j));
            assertArrayEquals(second.get(j), r2.get(j));
        }
        assertTrue(!Arrays.deepEquals(first.toArray(), second.toArray()), "epochs differ");
    }
}
