package dev.embtrain.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.embtrain.models.WideAndDeep.Field;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WideAndDeepTest {

    /** user (3 rows, width 2), item (3 rows, width 1), their hashed cross (4 buckets + unknown, wide only). */
    private static final List<Field> FIELDS =
            List.of(new Field("user", 3, 2), new Field("item", 3, 1), new Field("user_x_item", 5, 0));

    private static WideAndDeep.Builder builder() {
        return WideAndDeep.builder().setFields(FIELDS).optDenseWidth(1).optLayers(List.of(2));
    }

    /** Sets the hand-chosen parameters the expected values below are computed from. */
    private static void setParameters(WideAndDeep b) {
        var p = b.getParameters();
        assertEquals(List.of("user_wide", "item_wide", "user_x_item_wide", "wide_bias", "user", "item",
                "01mlp_01Linear_weight", "01mlp_01Linear_bias", "01mlp_03Linear_weight", "01mlp_03Linear_bias"),
                p.keys());
        setWideParameters(b);
        setDeepParameters(b);
    }

    /** Sets the embeddings and the MLP, named the same with or without the wide part. */
    private static void setDeepParameters(WideAndDeep b) {
        var p = b.getParameters();
        p.get("user").getArray().set(new float[] {0, 0, 1, 2, -1, 0.5f});
        p.get("item").getArray().set(new float[] {0, 1, -2});
        // [units 2, in 4]; the input is [user_0, user_1, item_0, dense_0]
        p.get("01mlp_01Linear_weight").getArray().set(new float[] {1, 0, 1, 0.5f, 0, 1, -1, -1});
        p.get("01mlp_01Linear_bias").getArray().set(new float[] {0.5f, -0.5f});
        p.get("01mlp_03Linear_weight").getArray().set(new float[] {2, -1});
        p.get("01mlp_03Linear_bias").getArray().set(new float[] {0.1f});
    }

    /** Sets the wide part, whose parameters are named the same whatever the MLP holds. */
    private static void setWideParameters(WideAndDeep b) {
        var p = b.getParameters();
        p.get("user_wide").getArray().set(new float[] {0, 0.1f, -0.2f});
        p.get("item_wide").getArray().set(new float[] {0, 0.3f, 0.5f});
        p.get("user_x_item_wide").getArray().set(new float[] {0, 1, -1, 0.25f, 0.5f});
        p.get("wide_bias").getArray().set(new float[] {0.05f});
    }

    /** Rows (user 1, item 1, bucket 3, 2.0), (user 2, item 2, bucket 1, -1.0), (unknown, item 1, unknown, 0.0). */
    private static NDList batch(NDManager manager) {
        return new NDList(manager.create(new long[] {1, 1, 3, 2, 2, 1, 0, 1, 0}, new Shape(3, 3)),
                manager.create(new float[] {2, -1, 0}, new Shape(3, 1)));
    }

    // Row 1: wide 0.05 + 0.1 + 0.3 + 0.25 = 0.70; x = [1, 2, 1, 2],
    //        h = relu([1 + 1 + 1 + 0.5, 2 - 1 - 2 - 0.5]) = [3.5, 0], deep = 7 + 0.1 = 7.1; logit 7.8
    // Row 2: wide 0.05 - 0.2 + 0.5 + 1 = 1.35; x = [-1, 0.5, -2, -1],
    //        h = relu([-1 - 2 - 0.5 + 0.5, 0.5 + 2 + 1 - 0.5]) = [0, 3], deep = -3 + 0.1 = -2.9; logit -1.55
    // Row 3: wide 0.05 + 0 + 0.3 + 0 = 0.35 (unknown rows are 0); x = [0, 0, 1, 0],
    //        h = relu([1 + 0.5, -1 - 0.5]) = [1.5, 0], deep = 3 + 0.1 = 3.1; logit 3.45
    private static final float[] LOGITS = {7.8f, -1.55f, 3.45f};

    private static float[] forward(WideAndDeep b, NDManager manager, NDList inputs) {
        NDArray out = b.forward(new ParameterStore(manager, false), inputs, false).head();
        Shape[] inputShapes = inputs.stream().map(NDArray::getShape).toArray(Shape[]::new);
        assertEquals(b.getOutputShapes(inputShapes)[0], out.getShape());
        assertEquals(DataType.FLOAT32, out.getDataType());
        return out.toFloatArray();
    }

    @Test
    void binaryHeadReturnsTheLogitComputedByHand() {
        try (NDManager manager = NDManager.newBaseManager()) {
            WideAndDeep b = builder().build();
            b.initialize(manager, DataType.FLOAT32, new Shape(3, 3), new Shape(3, 1));
            setParameters(b);
            assertArrayEquals(LOGITS, forward(b, manager, batch(manager)), 1e-5f);
        }
    }

    @Test
    void regressionHeadSquashesTheSameLogitIntoTheRange() {
        try (NDManager manager = NDManager.newBaseManager()) {
            WideAndDeep b = builder().optRegression(1f, 5f).build();
            b.initialize(manager, DataType.FLOAT32, new Shape(3, 3), new Shape(3, 1));
            setParameters(b);
            float[] expected = new float[LOGITS.length];
            for (int i = 0; i < LOGITS.length; i++) {
                expected[i] = (float) (1 + 4 / (1 + Math.exp(-LOGITS[i])));
            }
            assertArrayEquals(expected, forward(b, manager, batch(manager)), 1e-5f);
        }
    }

    /**
     * Without its wide part the block is fastai's EmbeddingNN: the same batch and deep
     * parameters give the deep terms alone (7.1, -2.9, 3.1 in the comment above), and the cross,
     * embedded nowhere, contributes nothing.
     */
    @Test
    void withoutTheWidePartTheLogitIsTheDeepPartAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            WideAndDeep b = builder().optWide(false).build();
            b.initialize(manager, DataType.FLOAT32, new Shape(3, 3), new Shape(3, 1));
            var p = b.getParameters();
            assertEquals(List.of("user", "item", "01mlp_01Linear_weight", "01mlp_01Linear_bias",
                    "01mlp_03Linear_weight", "01mlp_03Linear_bias"), p.keys());
            setDeepParameters(b);
            assertArrayEquals(new float[] {7.1f, -2.9f, 3.1f}, forward(b, manager, batch(manager)), 1e-5f);
            assertEquals(List.of("user", "item"), b.embeddingTables().stream().map(EmbeddingTable::name).toList());
            assertFalse(b.hasWide());
        }
    }

    @Test
    void denseOnlyWithoutHiddenLayersIsLogisticRegression() {
        try (NDManager manager = NDManager.newBaseManager()) {
            WideAndDeep b = WideAndDeep.builder().setFields(List.of()).optDenseWidth(3).optLayers(List.of()).build();
            b.initialize(manager, DataType.FLOAT32, new Shape(3, 0), new Shape(3, 3));
            var p = b.getParameters();
            assertEquals(List.of("wide_bias", "01mlp_01Linear_weight", "01mlp_01Linear_bias"), p.keys());
            p.get("01mlp_01Linear_weight").getArray().set(new float[] {0.5f, -1, 2});
            p.get("01mlp_01Linear_bias").getArray().set(new float[] {0.25f});
            p.get("wide_bias").getArray().set(new float[] {-0.05f}); // adds to the Linear's bias: b = 0.2
            NDList inputs = new NDList(manager.create(new long[0], new Shape(3, 0)),
                    manager.create(new float[] {1, 2, 3, 0, 0, 0, -2, 0.5f, 1}, new Shape(3, 3)));
            // w·x + b: 0.5 - 2 + 6 + 0.2 = 4.7; 0 + 0.2; -1 - 0.5 + 2 + 0.2 = 0.7
            assertArrayEquals(new float[] {4.7f, 0.2f, 0.7f}, forward(b, manager, inputs), 1e-5f);
            assertEquals(List.of(), b.embeddingTables());
        }
    }

    @Test
    void gradientsReachOnlyTheRowsInTheBatchAndStayFinite() {
        try (NDManager manager = NDManager.newBaseManager()) {
            WideAndDeep b = builder().build();
            b.initialize(manager, DataType.FLOAT32, new Shape(3, 3), new Shape(3, 1));
            setParameters(b);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = b.forward(new ParameterStore(manager, false), batch(manager), true).head();
                System.gc(); // a Java scalar freed under autograd would poison backward now (DJL-NOTES)
                gc.backward(out.sum());
            }
            for (Parameter p : b.getParameters().values()) {
                NDArray g = p.getArray().getGradient();
                assertFalse(g.isNaN().any().getBoolean() || g.isInfinite().any().getBoolean(), p.getName());
            }
            // d(sum of logits)/d(w[bucket]) = how often the bucket occurs: 3 once, 1 once, 2 and 4 never
            assertArrayEquals(new float[] {1, 1, 0, 1, 0},
                    b.getParameters().get("user_x_item_wide").getArray().getGradient().toFloatArray(), 0f);
            assertArrayEquals(new float[] {3}, b.getParameters().get("wide_bias").getArray().getGradient()
                    .toFloatArray(), 0f);
        }
    }

    @Test
    void saveAndLoadGiveIdenticalPredictions(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList inputs = batch(manager);
            float[] before;
            try (Model model = Model.newInstance("wd")) {
                model.setBlock(builder().optBatchNorm(true).optDropout(0.5f).build());
                model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3), new Shape(1, 1));
                WideAndDeep b = (WideAndDeep) model.getBlock();
                assertEquals(List.of("user_wide", "item_wide", "user_x_item_wide", "wide_bias", "user", "item",
                        "01mlp_01Linear_weight", "01mlp_01Linear_bias", "01mlp_03BatchNorm_gamma",
                        "01mlp_03BatchNorm_beta", "01mlp_03BatchNorm_runningMean", "01mlp_03BatchNorm_runningVar",
                        "01mlp_05Linear_weight", "01mlp_05Linear_bias"), b.getParameters().keys());
                setWideParameters(b); // initialised to zeros: set them so that loading them is checked
                before = forward((WideAndDeep) model.getBlock(), manager, inputs);
                model.save(dir, "wd");
            }
            try (Model model = Model.newInstance("wd")) {
                model.setBlock(builder().optBatchNorm(true).optDropout(0.5f).build());
                model.load(dir, "wd");
                assertArrayEquals(before, forward((WideAndDeep) model.getBlock(), manager, inputs), 0f);
            }
        }
    }

    @Test
    void tablesAreTheEmbeddingsThenTheWideWeights() {
        List<EmbeddingTable> tables = builder().build().embeddingTables();
        assertEquals(List.of("user", "item", "user_wide", "item_wide", "user_x_item_wide"),
                tables.stream().map(EmbeddingTable::name).toList());
        assertEquals(List.of("user", "item", "user", "item", "user_x_item"),
                tables.stream().map(EmbeddingTable::vocabulary).toList());
        assertEquals(4, builder().build().deepWidth()); // 2 + 1 embedded + 1 dense
    }

    @Test
    void aBatchOfTheWrongWidthIsRejected() {
        try (NDManager manager = NDManager.newBaseManager()) {
            WideAndDeep b = builder().build();
            b.initialize(manager, DataType.FLOAT32, new Shape(3, 3), new Shape(3, 1));
            NDList twoColumns = new NDList(manager.create(new long[] {1, 1}, new Shape(1, 2)),
                    manager.create(new float[] {0}, new Shape(1, 1)));
            assertEquals("expected categorical ids [B, 3] for [user, item, user_x_item], found (1, 2)",
                    message(() -> b.forward(new ParameterStore(manager, false), twoColumns, false)));
            NDList noDense = new NDList(manager.create(new long[] {1, 1, 1}, new Shape(1, 3)));
            assertEquals("expected dense values [B, 1] as the second input, found none",
                    message(() -> b.forward(new ParameterStore(manager, false), noDense, false)));
        }
    }

    @Test
    void builderNamesTheBadValue() {
        assertEquals("fields must be set (an empty list when every input is dense)",
                message(() -> WideAndDeep.builder().optDenseWidth(3).build()));
        assertEquals("field \"user\": vocabulary size must be >= 2 (unknown + one id), found 1",
                message(() -> new Field("user", 1, 4)));
        assertEquals("field \"user\": embedding width must be >= 0 (0 = wide only), found -1",
                message(() -> new Field("user", 3, -1)));
        assertEquals("field name must not be blank, found \" \"", message(() -> new Field(" ", 3, 1)));
        assertEquals("fields must have distinct names, found \"user\" twice", message(() -> WideAndDeep.builder()
                .setFields(List.of(new Field("user", 3, 2), new Field("user", 4, 2))).build()));
        assertEquals("field \"user_wide\" clashes with the wide weights of field \"user\"; rename it",
                message(() -> WideAndDeep.builder()
                        .setFields(List.of(new Field("user", 3, 2), new Field("user_wide", 4, 2))).build()));
        assertEquals("field \"wide_bias\" clashes with the wide part's bias; rename it", message(
                () -> WideAndDeep.builder().setFields(List.of(new Field("wide_bias", 3, 2))).build()));
        assertEquals("dense width must be >= 0, found -1",
                message(() -> builder().optDenseWidth(-1).build()));
        assertEquals("the deep part has no inputs: give a field an embedding width > 0 or set a dense width > 0",
                message(() -> WideAndDeep.builder().setFields(List.of(new Field("user_x_item", 5, 0))).build()));
        assertEquals("layers must be > 0, found [100, 0]",
                message(() -> builder().optLayers(List.of(100, 0)).build()));
        assertEquals("dropout must be in [0, 1), found 1.0", message(() -> builder().optDropout(1f).build()));
        assertEquals("init_std must be > 0, found 0.0", message(() -> builder().optInitStd(0f).build()));
        assertEquals("y_range must be two finite numbers [lo, hi] with lo < hi, found [5.0, 1.0]",
                message(() -> builder().optRegression(5f, 1f).build()));
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void aBagOfCrossBucketsSumsItsWideWeightsAndPaddingCountsForNothing() {
        // user (3 rows, width 1) and a user x genres bag of 2 slots (4 buckets + unknown/padding), no hidden layers.
        WideAndDeep b = WideAndDeep.builder()
                .setFields(List.of(new Field("user", 3, 1), new Field("user_x_genres", 5, 0, 2)))
                .optLayers(List.of())
                .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            b.initialize(manager, DataType.FLOAT32, new Shape(3, 3));
            var p = b.getParameters();
            p.get("user_wide").getArray().set(new float[] {0, 0.1f, -0.2f});
            // Row 0 is padding: its 7 must never reach the logit.
            p.get("user_x_genres_wide").getArray().set(new float[] {7, 1, 2, 3, 4});
            p.get("wide_bias").getArray().set(new float[] {0.5f});
            p.get("user").getArray().set(new float[] {0, 1, 2});
            p.get("01mlp_01Linear_weight").getArray().set(new float[] {1});
            p.get("01mlp_01Linear_bias").getArray().set(new float[] {0});
            // (user 1, buckets 2 and 3): 0.5 + 0.1 + 2 + 3 + deep 1 = 6.6
            // (user 2, bucket 4, padding): 0.5 - 0.2 + 4 + deep 2 = 6.3
            // (unknown user, no buckets): 0.5 + 0 + deep 0 = 0.5
            NDList input = new NDList(manager.create(new long[] {1, 2, 3, 2, 4, 0, 0, 0, 0}, new Shape(3, 3)));
            assertArrayEquals(new float[] {6.6f, 6.3f, 0.5f}, forward(b, manager, input), 1e-5f);

            NDArray wide = p.get("user_x_genres_wide").getArray();
            wide.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = b.forward(new ParameterStore(manager, false), input, true).head();
                collector.backward(out.sum());
            }
            // One count per use of a bucket; the padding row gets none.
            assertArrayEquals(new float[] {0, 0, 1, 1, 1}, wide.getGradient().toFloatArray());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> new Field("user_x_genres", 5, 3, 2));
        assertEquals("field \"user_x_genres\": a bag of 2 slots is wide only, so its embedding width must be 0,"
                + " found 3", e.getMessage());
    }
}
