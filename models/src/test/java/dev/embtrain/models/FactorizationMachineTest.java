package dev.embtrain.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import ai.djl.util.PairList;
import dev.embtrain.models.FactorizationMachine.Mode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FactorizationMachineTest {

    private static final Shape IDS = new Shape(3, 2);
    private static final Shape DENSE = new Shape(3, 2);

    /** Two fields of vocabulary 3 (user, item) and one dense group of width 2 (attrs), D = 2. */
    private static FactorizationMachine.Builder builder() {
        return FactorizationMachine.builder()
                .setCategoricalFields(List.of(new CategoricalField("user", 3), new CategoricalField("item", 3)))
                .optDenseGroups(List.of(new DenseGroup("attrs", 2)))
                .setFactors(2);
    }

    /** Sets the hand-chosen tables the expected values below are computed from; absent ones are skipped. */
    private static void setTables(FactorizationMachine b) {
        var p = b.getParameters();
        set(p, "user", 0, 0, 1, 2, 0.5f, -1); // u1 = (1, 2), u2 = (0.5, -1)
        set(p, "user_bias", 0, 0.1f, -0.2f);
        set(p, "item", 0, 0, 3, 1, -2, 0.5f); // i1 = (3, 1), i2 = (-2, 0.5)
        set(p, "item_bias", 0, 0.3f, 0);
        set(p, "attrs", 1, 0, 0, -1); // column 0 -> (1, 0), column 1 -> (0, -1): v_g = (x0, -x1)
        set(p, "attrs_bias", 0.5f, -0.25f);
        set(p, "global_bias", 0.7f);
    }

    private static void set(PairList<String, Parameter> p, String name, float... values) {
        if (p.contains(name)) {
            p.get(name).getArray().set(values);
        }
    }

    /** Rows (user 1, item 1, x = (1, 2)), (user 2, item 2, x = (0, 1)), (unknown user, item 1, x = 0). */
    private static NDList inputs(NDManager manager) {
        return new NDList(manager.create(new long[] {1, 1, 2, 2, 0, 1}, IDS),
                manager.create(new float[] {1, 2, 0, 1, 0, 0}, DENSE));
    }

    private static float[] forward(FactorizationMachine b, UnaryOperator<FactorizationMachine> prepare) {
        try (NDManager manager = NDManager.newBaseManager()) {
            b.initialize(manager, DataType.FLOAT32, IDS, DENSE);
            prepare.apply(b);
            return b.forward(new ParameterStore(manager, false), inputs(manager), false).head().toFloatArray();
        }
    }

    private static float[] handSet(FactorizationMachine b) {
        return forward(b, x -> {
            setTables(x);
            return x;
        });
    }

    private static double sigmoidRange(double x, double lo, double hi) {
        return lo + (hi - lo) / (1 + Math.exp(-x));
    }

    @Test
    void forwardMatchesHandComputation() {
        FactorizationMachine b = builder().build();
        float[] out = handSet(b);
        assertEquals(List.of("user", "user_bias", "item", "item_bias", "attrs", "attrs_bias", "global_bias"),
                b.getParameters().keys());
        // row 1: v_u = (1, 2), v_i = (3, 1), v_g = (1, -2)
        //   linear 0.1 + 0.3 + (1 * 0.5 + 2 * -0.25) + 0.7 = 1.1
        //   pairs <u,i> = 3 + 2 = 5, <u,g> = 1 - 4 = -3, <i,g> = 3 - 2 = 1: 3; score 4.1
        // row 2: v_u = (0.5, -1), v_i = (-2, 0.5), v_g = (0, -1)
        //   linear -0.2 + 0 + (0 * 0.5 + 1 * -0.25) + 0.7 = 0.25
        //   pairs <u,i> = -1 - 0.5 = -1.5, <u,g> = 0 + 1 = 1, <i,g> = 0 - 0.5 = -0.5: -1; score -0.75
        // row 3: v_u = 0 (unknown), v_i = (3, 1), v_g = 0: linear 0 + 0.3 + 0 + 0.7 = 1.0, pairs 0; score 1.0
        float[] expected = {(float) sigmoidRange(4.1, 0, 5.5), (float) sigmoidRange(-0.75, 0, 5.5),
            (float) sigmoidRange(1.0, 0, 5.5)};
        assertArrayEquals(expected, out, 1e-5f);
    }

    @Test
    void modesDropExactlyTheTermsTheyName() {
        FactorizationMachine b = builder().optBinary()
                .optFieldMode("user", Mode.BIAS_ONLY)
                .optFieldMode("item", Mode.EMBEDDINGS_ONLY)
                .optFieldMode("attrs", Mode.EMBEDDINGS_ONLY)
                .build();
        float[] out = handSet(b);
        assertEquals(List.of("user_bias", "item", "attrs", "global_bias"), b.getParameters().keys());
        assertEquals(Mode.BIAS_ONLY, b.fieldMode("user"));
        // user keeps only its bias, item and attrs only their embeddings:
        // row 1: 0.1 + 0.7 + <i,g> = 1:      1.8  (4.1 - <u,i> 5 - <u,g> -3 - item bias 0.3 - attrs linear 0)
        // row 2: -0.2 + 0.7 + <i,g> = -0.5:  0.0  (-0.75 + 1.5 - 1 - 0 + 0.25)
        // row 3: 0 + 0.7 + <i,g> = 0:         0.7  (1.0 - item bias 0.3)
        assertArrayEquals(new float[] {1.8f, 0f, 0.7f}, out, 1e-5f);

        FactorizationMachine noGlobal = builder().optBinary().optGlobalBias(false).build();
        assertArrayEquals(new float[] {4.1f - 0.7f, -0.75f - 0.7f, 1.0f - 0.7f}, handSet(noGlobal), 1e-5f);
        assertFalse(noGlobal.getParameters().contains("global_bias"));
    }

    @Test
    void binaryHeadIsTheRawScoreAndRegressionSquashesIt() {
        assertArrayEquals(new float[] {4.1f, -0.75f, 1.0f}, handSet(builder().optBinary().build()), 1e-5f);
        float[] expected = {(float) sigmoidRange(4.1, 1, 5), (float) sigmoidRange(-0.75, 1, 5),
            (float) sigmoidRange(1.0, 1, 5)};
        assertArrayEquals(expected, handSet(builder().optRegression(1f, 5f).build()), 1e-5f);
        assertTrue(builder().optRegression(1f, 5f).optBinary().build().isBinary());
        assertFalse(builder().optBinary().optRegression(1f, 5f).build().isBinary());
    }

    @Test
    void fastIdentityEqualsTheExplicitPairwiseSum() {
        int[] vocab = {5, 7, 4};
        int width = 3;
        int k = 4;
        int rows = 16;
        FactorizationMachine b = FactorizationMachine.builder()
                .setCategoricalFields(List.of(new CategoricalField("a", vocab[0]), new CategoricalField("b", vocab[1]),
                        new CategoricalField("c", vocab[2])))
                .optDenseGroups(List.of(new DenseGroup("g", width)))
                .setFactors(k).optBinary().build();
        SplittableRandom rng = new SplittableRandom(7);
        long[] ids = new long[rows * 3];
        float[] x = new float[rows * width];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rng.nextInt(vocab[i % 3]);
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble(-1, 1);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            b.initialize(manager, DataType.FLOAT32, new Shape(rows, 3), new Shape(rows, width));
            for (Parameter p : b.getParameters().values()) {
                float[] values = new float[Math.toIntExact(p.getArray().size())];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) rng.nextDouble(-1, 1);
                }
                p.getArray().set(values);
            }
            float[] out = b.forward(new ParameterStore(manager, false),
                    new NDList(manager.create(ids, new Shape(rows, 3)), manager.create(x, new Shape(rows, width))),
                    false).head().toFloatArray();
            var p = b.getParameters();
            float[][] tables = {p.get("a").getArray().toFloatArray(), p.get("b").getArray().toFloatArray(),
                p.get("c").getArray().toFloatArray()};
            float[][] biases = {p.get("a_bias").getArray().toFloatArray(), p.get("b_bias").getArray().toFloatArray(),
                p.get("c_bias").getArray().toFloatArray()};
            float[] projection = p.get("g").getArray().toFloatArray();
            float[] weights = p.get("g_bias").getArray().toFloatArray();
            double global = p.get("global_bias").getArray().toFloatArray()[0];
            for (int r = 0; r < rows; r++) {
                double[][] v = new double[4][k];
                double linear = global;
                for (int f = 0; f < 3; f++) {
                    int id = (int) ids[r * 3 + f];
                    for (int d = 0; d < k; d++) {
                        v[f][d] = tables[f][id * k + d];
                    }
                    linear += biases[f][id];
                }
                for (int c = 0; c < width; c++) {
                    double xc = x[r * width + c];
                    for (int d = 0; d < k; d++) {
                        v[3][d] += xc * projection[c * k + d];
                    }
                    linear += xc * weights[c];
                }
                double pairs = 0;
                for (int i = 0; i < 4; i++) {
                    for (int j = i + 1; j < 4; j++) {
                        for (int d = 0; d < k; d++) {
                            pairs += v[i][d] * v[j][d];
                        }
                    }
                }
                assertEquals(linear + pairs, out[r], 1e-5, "row " + r);
            }
        }
    }

    @Test
    void outputShapeAndTables() {
        try (NDManager manager = NDManager.newBaseManager()) {
            FactorizationMachine b = builder().build();
            b.initialize(manager, DataType.FLOAT32, IDS, DENSE);
            NDArray out = b.forward(new ParameterStore(manager, false), inputs(manager), false).head();
            assertEquals(b.getOutputShapes(new Shape[] {IDS, DENSE})[0], out.getShape());
            assertEquals(new Shape(3), out.getShape());
            assertEquals(List.of("user", "user_bias", "item", "item_bias", "attrs", "attrs_bias"),
                    b.embeddingTables().stream().map(EmbeddingTable::name).toList());
            assertEquals(List.of("user", "user", "item", "item", "attrs", "attrs"),
                    b.embeddingTables().stream().map(EmbeddingTable::vocabulary).toList());
            assertEquals(List.of("user", "item", "attrs"), b.fieldNames());
            assertEquals(new Shape(2, 2), b.getParameters().get("attrs").getArray().getShape());
            assertEquals(new Shape(1), b.getParameters().get("global_bias").getArray().getShape());
            var e = assertThrows(IllegalArgumentException.class, () -> b.forward(new ParameterStore(manager, false),
                    new NDList(manager.create(new long[] {1, 1, 1}, new Shape(1, 3)),
                            manager.create(new float[] {0, 0}, new Shape(1, 2))), false));
            assertEquals("ids must be [B, 2] for [user, item], found (1, 3)", e.getMessage());
        }
    }

    @Test
    void denseOnlyAndCategoricalOnlyInputs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            FactorizationMachine dense = FactorizationMachine.builder().setCategoricalFields(List.of())
                    .optDenseGroups(List.of(new DenseGroup("attrs", 2), new DenseGroup("photo", 1)))
                    .setFactors(2).optBinary().build();
            dense.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
            var p = dense.getParameters();
            set(p, "attrs", 1, 0, 0, -1);
            set(p, "attrs_bias", 0.5f, -0.25f);
            set(p, "photo", 2, 3);
            set(p, "photo_bias", 1);
            set(p, "global_bias", 0.7f);
            float[] out = dense.forward(new ParameterStore(manager, false),
                    new NDList(manager.create(new float[] {1, 2, -1}, new Shape(1, 3))), false).head().toFloatArray();
            // v_attrs = (1, -2), v_photo = (-2, -3): <,> = -2 + 6 = 4; linear 0.5 - 0.5 - 1 + 0.7 = -0.3
            assertArrayEquals(new float[] {3.7f}, out, 1e-5f);

            FactorizationMachine ids = FactorizationMachine.builder()
                    .setCategoricalFields(List.of(new CategoricalField("user", 3), new CategoricalField("item", 3)))
                    .setFactors(2).optBinary().build();
            ids.initialize(manager, DataType.FLOAT32, IDS);
            setTables(ids);
            out = ids.forward(new ParameterStore(manager, false),
                    new NDList(manager.create(new long[] {1, 1, 2, 2}, new Shape(2, 2))), false).head().toFloatArray();
            // 0.1 + 0.3 + 0.7 + 5 = 6.1; -0.2 + 0 + 0.7 - 1.5 = -1.0
            assertArrayEquals(new float[] {6.1f, -1.0f}, out, 1e-5f);
        }
    }

    @Test
    void saveAndLoadGiveIdenticalPredictions(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] before;
            try (Model model = Model.newInstance("fm")) {
                model.setBlock(builder().optFieldMode("item", Mode.BIAS_ONLY).optInitStd(0.5f).build());
                model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2), new Shape(1, 2));
                before = model.getBlock().forward(new ParameterStore(manager, false), inputs(manager), false)
                        .head().toFloatArray();
                model.save(dir, "fm");
            }
            try (Model model = Model.newInstance("fm")) {
                model.setBlock(builder().optFieldMode("item", Mode.BIAS_ONLY).optInitStd(0.5f).build());
                model.load(dir, "fm");
                assertArrayEquals(before, model.getBlock()
                        .forward(new ParameterStore(manager, false), inputs(manager), false).head().toFloatArray(), 0f);
            }
        }
    }

    private static String error(FactorizationMachine.Builder b) {
        return assertThrows(IllegalArgumentException.class, b::build).getMessage();
    }

    @Test
    void builderNamesTheBadValue() {
        assertEquals("factors must be > 0, found 0", error(builder().setFactors(0)));
        assertEquals("duplicate field name \"user\" in [user, item, user]",
                error(builder().optDenseGroups(List.of(new DenseGroup("user", 2)))));
        assertEquals("mode BIAS_ONLY for unknown field \"movie\"; the fields are [user, item, attrs]",
                error(builder().optFieldMode("movie", Mode.BIAS_ONLY)));
        assertEquals("dense group \"attrs\": mode must be BOTH or EMBEDDINGS_ONLY, found BIAS_ONLY",
                error(builder().optFieldMode("attrs", Mode.BIAS_ONLY)));
        assertEquals("parameter name \"item_bias\" is needed by both field \"item\" and dense group \"item_bias\";"
                + " rename one", error(builder().optDenseGroups(List.of(new DenseGroup("item_bias", 2)))));
        assertEquals("a factorization machine needs at least one categorical field or dense group, found none",
                error(FactorizationMachine.builder().setCategoricalFields(List.of()).setFactors(2)));
        assertEquals("y_range must be two finite numbers [lo, hi] with lo < hi, found [5.0, 1.0]",
                error(builder().optRegression(5f, 1f)));
        assertEquals("init_std must be > 0, found 0.0", error(builder().optInitStd(0f)));
        assertEquals("categorical field \"user\": vocabulary size must be >= 2 (unknown + one id), found 1",
                assertThrows(IllegalArgumentException.class, () -> new CategoricalField("user", 1)).getMessage());
        assertEquals("dense group \"attrs\": width must be > 0, found 0",
                assertThrows(IllegalArgumentException.class, () -> new DenseGroup("attrs", 0)).getMessage());
    }

    /** Collects garbage and refills freed native memory with NaN (FiniteGradientsTest's guard). */
    private static List<ByteBuffer> poisonFreedMemory() {
        System.gc();
        try {
            Thread.sleep(2); // the Cleaner thread frees direct buffers after the collection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ByteBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
            b.putFloat(0, Float.NaN);
            buffers.add(b);
        }
        return buffers;
    }

    /**
     * Guards against DJL's use-after-free of Java scalars inside differentiated code (DJL-NOTES):
     * a forced collection between forward and backward makes a freed scalar poison the gradients
     * at once. Every mode and the dense path take part; two fresh models, ten steps each.
     */
    @Test
    void everyGradientStaysFiniteOverManySteps() {
        SplittableRandom rng = new SplittableRandom(3);
        int batch = 64;
        for (int run = 0; run < 2; run++) {
            Engine.getInstance().setRandomSeed(run);
            FactorizationMachine b = FactorizationMachine.builder()
                    .setCategoricalFields(List.of(new CategoricalField("user", 51), new CategoricalField("item", 41),
                            new CategoricalField("genre", 6)))
                    .optDenseGroups(List.of(new DenseGroup("attrs", 4)))
                    .optFieldMode("item", Mode.EMBEDDINGS_ONLY).optFieldMode("genre", Mode.BIAS_ONLY)
                    .setFactors(8).build();
            try (NDManager manager = NDManager.newBaseManager()) {
                b.initialize(manager, DataType.FLOAT32, new Shape(batch, 3), new Shape(batch, 4));
                ParameterStore store = new ParameterStore(manager, false);
                for (int step = 0; step < 10; step++) {
                    long[] ids = new long[batch * 3];
                    float[] x = new float[batch * 4];
                    float[] y = new float[batch];
                    for (int r = 0; r < batch; r++) {
                        ids[3 * r] = rng.nextInt(51);
                        ids[3 * r + 1] = rng.nextInt(41);
                        ids[3 * r + 2] = rng.nextInt(6);
                        for (int c = 0; c < 4; c++) {
                            x[4 * r + c] = (float) rng.nextDouble();
                        }
                        y[r] = 1 + rng.nextInt(5);
                    }
                    try (NDManager stepManager = manager.newSubManager()) {
                        NDList inputs = new NDList(stepManager.create(ids, new Shape(batch, 3)),
                                stepManager.create(x, new Shape(batch, 4)));
                        NDArray labels = stepManager.create(y);
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray pred = b.forward(store, inputs, true).head();
                            NDArray loss = pred.sub(labels).square().mean();
                            List<ByteBuffer> poison = poisonFreedMemory();
                            gc.backward(loss);
                            poison.clear();
                            assertTrue(Float.isFinite(loss.getFloat()), "loss in run " + run);
                        }
                        for (Parameter p : b.getParameters().values()) {
                            try (NDArray g = p.getArray().getGradient()) {
                                assertFalse(g.isNaN().any().getBoolean() || g.isInfinite().any().getBoolean(),
                                        p.getName() + " gradient in run " + run + ", step " + step);
                                assertTrue(g.abs().sum().getFloat() > 0, p.getName() + " gradient is all zero");
                                // plain SGD outside the collector: no scalar is differentiated here
                                p.getArray().subi(g.mul(0.5f));
                            }
                        }
                    }
                }
            }
        }
    }
}
