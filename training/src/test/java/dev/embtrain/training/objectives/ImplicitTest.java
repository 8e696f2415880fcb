package dev.embtrain.training.objectives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.embtrain.datasets.features.FeatureSchema;
import dev.embtrain.datasets.features.FeatureSource;
import dev.embtrain.datasets.features.FeatureSpec;
import dev.embtrain.datasets.features.Vocabulary;
import dev.embtrain.models.shared.HashedCross;
import dev.embtrain.datasets.synthetic.SyntheticFeat2Vec;
import dev.embtrain.datasets.synthetic.SyntheticFeat2Vec.Outcome;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import dev.embtrain.models.FactorizationMachine;
import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.engine.FitOptions;
import dev.embtrain.training.engine.FitResult;
import dev.embtrain.training.engine.ImplicitLoss;
import dev.embtrain.training.engine.Learner;
import dev.embtrain.training.engine.Monitor;
import dev.embtrain.training.objectives.Implicit.Options;
import dev.embtrain.training.objectives.Implicit.Rows;
import dev.embtrain.training.optim.ScheduledAdam;
import dev.embtrain.training.export.Neighbors;
import dev.embtrain.training.export.Neighbors.TableNeighbor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** feat2vec's implicit objective, trained by the one loop on its synthetic data set. */
class ImplicitTest {

    /** A trained machine: its history and its tables. */
    private record Trained(FitResult fit, List<Neighbors.Table> tables) {}

    /**
     * Trains with the loop and TensorFlow's Adam (β2 0.999, ε 1e-8), as feat2vec's notebook.
     */
    private static Trained train(Rows rows, Options options, int epochs, float learningRate, float weightDecay,
            long seed) {
        Implicit objective = new Implicit(rows, null, options, seed);
        Engine.getInstance().setRandomSeed((int) seed);
        FactorizationMachine block = Implicit.block(rows, options.factors(), 0.05f);
        ScheduledAdam adam = ScheduledAdam.builder().setLearningRateTracker(Tracker.fixed(learningRate))
                .optBeta2(0.999f).optEpsilon(1e-8f).optWeightDecays(weightDecay).build();
        try (Model model = Model.newInstance("feat2vec", Device.cpu())) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(objective.loss()).optOptimizer(adam)
                    .optDevices(new Device[] {Device.cpu()}))) {
                trainer.initialize(objective.inputShapes());
                FitResult fit = Learner.fit(trainer, objective, new FitOptions(epochs,
                        new Monitor(Monitor.TRAIN_LOSS, false), 0, Tracker.fixed(learningRate), adam), List.of());
                return new Trained(fit, Implicit.tables(block, rows));
            }
        }
    }

    /** Small enough for a unit test: 5,000 rows, 16 factors, 5 epochs of 20 steps. */
    private static Options small(boolean nce) {
        return new Options(16, 5, 0.25, 0.25, 10, nce, 250);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void theOutcomesEmbeddingsEndUpTogetherAsInTheNotebook() {
        Rows rows = Rows.of(SyntheticFeat2Vec.generate(5_000, Outcome.BINARY, 1));
        Trained t = train(rows, small(true), 5, 5e-3f, 0f, 42);
        List<EpochRecord> h = t.fit().history();
        assertEquals(5, h.size());
        // 2.11 to 1.07 when measured; each epoch below the one before.
        for (int e = 1; e < h.size(); e++) {
            assertTrue(h.get(e).trainLoss() < h.get(e - 1).trainLoss(), h.toString());
        }
        assertTrue(h.get(4).trainLoss() < 0.6 * h.get(0).trainLoss(), h.toString());
        List<Neighbors.Table> tables = t.tables();
        assertEquals(List.of("item", "id", "y", "attrs"), tables.stream().map(Neighbors.Table::name).toList());
        Neighbors.Table y = tables.get(2);
        double c = cosine(y.vectors()[1], y.vectors()[2]);
        assertTrue(c >= 0.9, "cosine(y_0, y_1) = " + c);
        int[] y0 = Neighbors.findQualifiedLabel(tables, "y:0");
        TableNeighbor nearest = Neighbors.nearestAcross(tables, "y", y0[1], 1).get(0);
        assertEquals("y:1", nearest.qualifiedLabel());
        assertEquals(c, nearest.cosine(), 1e-6);
    }

    @Test
    void theSameSeedTrainsTheSameModel() {
        Rows rows = Rows.of(SyntheticFeat2Vec.generate(1_000, Outcome.BINARY, 2));
        Options options = new Options(8, 3, 0.25, 0.25, 10, false, 100);
        Trained a = train(rows, options, 2, 1e-2f, 0.01f, 7);
        Trained b = train(rows, options, 2, 1e-2f, 0.01f, 7);
        assertEquals(a.fit().history().stream().map(EpochRecord::trainLoss).toList(),
                b.fit().history().stream().map(EpochRecord::trainLoss).toList());
        float[][] first = a.tables().get(1).vectors();
        float[][] second = b.tables().get(1).vectors();
        for (int i = 0; i < first.length; i++) {
            assertArrayEquals(first[i], second[i], "id row " + i);
        }
    }

    @Test
    void aStepHoldsThePositivesThenTheirNegativesWithNceOffsets() {
        Implicit.Field a = new Implicit.Field("a", Vocabulary.build(List.of("a1", "a2")));
        Implicit.Field b = new Implicit.Field("b", Vocabulary.build(List.of("b1", "b2")));
        Rows rows = new Rows(List.of(a, b), new int[][] {{1, 1}, {2, 2}},
                List.of(new Implicit.Group("g", List.of("g1", "g2"))), new float[][] {{1, 2}, {3, 4}});
        // Value bias 0 and α2 = 1: each field (the group g too) has two values seen once each, so
        // every q is 1/2 and with k = 4 every NCE offset is log(4 · 1/2) = log 2.
        Options nce = new Options(3, 4, 0.25, 1, 0, true, 2);
        Options ns = new Options(3, 4, 0.25, 1, 0, false, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            NDList[] step = Implicit.Step.of(rows, nce, 11).make(m, new long[] {1, 0}, 0, 2);
            assertEquals(new ai.djl.ndarray.types.Shape(10, 2), step[0].get(0).getShape());
            assertEquals(new ai.djl.ndarray.types.Shape(10, 2), step[0].get(1).getShape());
            long[] ids = step[0].get(0).toLongArray();
            float[] dense = step[0].get(1).toFloatArray();
            assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, step[1].get(0).toFloatArray());
            float[] offsets = step[1].get(1).toFloatArray();
            for (float offset : offsets) {
                assertEquals((float) Math.log(2), offset, 1e-6f);
            }
            // The positives in the order given (row 1, then row 0), each with its own vector.
            assertArrayEquals(new long[] {2, 2, 1, 1}, java.util.Arrays.copyOf(ids, 4));
            assertArrayEquals(new float[] {3, 4, 1, 2}, java.util.Arrays.copyOf(dense, 4));
            // Each negative is its positive with exactly one of a, b, g taken from the other row.
            int[][] fields = {{2, 2, 1}, {1, 1, 0}}; // a, b and the row whose vector g holds
            float[][] vectors = {{1, 2}, {3, 4}};
            for (int i = 0; i < 2; i++) {
                int[] own = fields[i];
                for (int j = 0; j < 4; j++) {
                    int at = 2 + i * 4 + j;
                    int vectorRow = dense[2 * at] == 1f ? 0 : 1;
                    assertArrayEquals(vectors[vectorRow], new float[] {dense[2 * at], dense[2 * at + 1]});
                    int changed = (ids[2 * at] != own[0] ? 1 : 0) + (ids[2 * at + 1] != own[1] ? 1 : 0)
                            + (vectorRow != own[2] ? 1 : 0);
                    assertEquals(1, changed, "negative " + j + " of positive " + i);
                }
            }
            float[] plain = Implicit.Step.of(rows, ns, 11).make(m, new long[] {1, 0}, 0, 2)[1].get(1)
                    .toFloatArray();
            assertArrayEquals(new float[10], plain);
        }
    }

    @Test
    void lossIsLogisticOnTheShiftedScore() {
        ImplicitLoss loss = new ImplicitLoss();
        try (NDManager m = NDManager.newBaseManager()) {
            // Positive s = 0, offset 0: softplus(0) = ln 2; negative s = 2, offset ln 2: softplus(2 − ln 2).
            NDList labels = new NDList(m.create(new float[] {1, 0}), m.create(new float[] {0, (float) Math.log(2)}));
            assertEquals(1.1197723831109423, loss.evaluate(labels, new NDList(m.create(new float[] {0, 2}))).getFloat(),
                    1e-6);
            // Without offsets, word2vec's negative sampling: softplus(−3) and softplus(−1).
            NDList plain = new NDList(m.create(new float[] {1, 0}), m.create(new float[] {0, 0}));
            assertEquals(0.1809245195459824, loss.evaluate(plain, new NDList(m.create(new float[] {3, -1}))).getFloat(),
                    1e-6);
        }
    }

    @Test
    void badOptionsAndRowsAreRefusedByName() {
        assertEquals("negatives must be > 0, found 0", assertThrows(IllegalArgumentException.class,
                () -> new Options(16, 0, 0.25, 0.25, 10, true, 10)).getMessage());
        assertEquals("valueBias must be >= 0, found -1.0", assertThrows(IllegalArgumentException.class,
                () -> new Options(16, 5, 0.25, 0.25, -1, true, 10)).getMessage());
        assertEquals("batchSize must be > 0, found 0", assertThrows(IllegalArgumentException.class,
                () -> new Options(16, 5, 0.25, 0.25, 10, true, 0)).getMessage());
        Implicit.Field item = new Implicit.Field("item", Vocabulary.build(List.of("a", "b")));
        assertEquals("implicit training needs at least two fields or groups to interact, found 1",
                assertThrows(IllegalArgumentException.class,
                        () -> new Rows(List.of(item), new int[][] {{1}}, List.of(), new float[][] {{}})).getMessage());
        Rows synthetic = Rows.of(SyntheticFeat2Vec.generate(20, Outcome.BINARY, 1));
        Rows other = Rows.of(SyntheticFeat2Vec.generate(20, Outcome.FLOOR, 1));
        assertEquals("the validation rows must have the training rows' fields, vocabularies and groups",
                assertThrows(IllegalArgumentException.class, () -> new Implicit(synthetic, other, small(true), 1))
                        .getMessage());
        Implicit.Field user = new Implicit.Field("user", Vocabulary.build(List.of("u")));
        assertEquals("row 1 has 1 ids, expected 2", assertThrows(IllegalArgumentException.class,
                () -> new Rows(List.of(item, user), new int[][] {{1, 1}, {2}}, List.of(), new float[][] {{}, {}}))
                .getMessage());
    }

    /** Three ratings rows and one more: user, item, a bag of genres and a price (missing in row 3). */
    private static final class Tiny implements FeatureSource {
        private final String[][] rows = {{"u1", "i1", "A|B", "1"}, {"u2", "i1", "B", "3"}, {"u1", "i2", "", null},
            {"u3", "i2", "C|A", "5"}};

        @Override
        public List<String> fields() {
            return List.of("user", "item", "genres", "price");
        }

        @Override
        public boolean isNumeric(String field) {
            return field.equals("price");
        }

        @Override
        public boolean isBag(String field) {
            return field.equals("genres");
        }

        @Override
        public int size() {
            return rows.length;
        }

        @Override
        public String value(String field, int row) {
            return rows[row][fields().indexOf(field)];
        }

        @Override
        public List<String> values(String field, int row) {
            String v = value(field, row);
            return v.isEmpty() ? List.of() : List.of(v.split("\\|"));
        }

        @Override
        public float rating(int row) {
            return 4f;
        }

        @Override
        public String name() {
            return "tiny";
        }
    }

    @Test
    void rowsOfAFeatureSchemaAreItsFieldsAndItsBagsAsDenseGroupsWithoutTheUnknownColumn() {
        FeatureSource tiny = new Tiny();
        FeatureSpec spec = new FeatureSpec(List.of("user", "item", "genres", "price"), List.of(),
                FeatureSpec.Label.RATING);
        FeatureSchema schema = FeatureSchema.build(spec, tiny, new int[] {0, 1, 2});
        // The price's training values 1 and 3: mean 2, sample sd sqrt(2); the missing one is the mean.
        assertArrayEquals(new float[] {2f, (float) Math.sqrt(2)}, schema.scale("price"));
        Rows train = Rows.of(schema, schema.encode(tiny, new int[] {0, 1, 2}));
        assertEquals(List.of("user", "item"), train.fields().stream().map(Implicit.Field::name).toList());
        assertEquals(List.of(new Implicit.Group("genres", List.of("A", "B")), new Implicit.Group("price",
                List.of("price"))), train.groups());
        assertArrayEquals(new int[][] {{1, 1}, {2, 1}, {1, 2}}, train.ids());
        // The sd is kept as a float, and the value is standardised against that float.
        double sd = (float) Math.sqrt(2);
        float z = (float) (1 / sd);
        assertArrayEquals(new float[][] {{0.5f, 0.5f, -z}, {0f, 1f, z}, {0f, 0f, 0f}}, train.dense());
        // An unseen user is unknown (0); an unseen genre drops out, the known one keeps its 1/2;
        // the price 5 is (5 - 2) / sqrt(2).
        Rows valid = Rows.of(schema, schema.encode(tiny, new int[] {3}));
        assertArrayEquals(new int[][] {{0, 2}}, valid.ids());
        assertArrayEquals(new float[][] {{0.5f, 0f, (float) (3 / sd)}}, valid.dense());

        assertEquals("cross price_x_user: price is numeric; a cross takes categorical fields and bags",
                assertThrows(IllegalArgumentException.class, () -> FeatureSchema.build(new FeatureSpec(List.of("user",
                        "item", "price"), List.of(new HashedCross("price_x_user", List.of("price", "user"), 10)),
                        FeatureSpec.Label.RATING), tiny, new int[] {0})).getMessage());
        FeatureSchema crossed = FeatureSchema.build(new FeatureSpec(List.of("user", "item"),
                List.of(new HashedCross("user_x_item", List.of("user", "item"), 10)), FeatureSpec.Label.RATING), tiny,
                new int[] {0, 1, 2});
        assertEquals("cross user_x_item: implicit training embeds every field and bag and interacts them all"
                + " already; leave out dataset.crosses", assertThrows(IllegalArgumentException.class,
                        () -> Rows.of(crossed, crossed.encode(tiny, new int[] {0}))).getMessage());
    }
}
