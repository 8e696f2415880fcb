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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingBagTest {

    // V = 3 (row 0 unknown), D = 2.
    private static final float[] INPUT = {0, 0, 1, 2, 3, -1};
    private static final float[] OUTPUT = {0, 0, 0.5f, 1, -1, 2};

    private static EmbeddingBag initialised(NDManager manager, EmbeddingBag.Mode mode, EmbeddingBag.Pooling pooling,
            Shape first) {
        EmbeddingBag b = EmbeddingBag.builder().setVocabularySize(3).setVectorSize(2).optMode(mode)
                .optPooling(pooling).build();
        b.initialize(manager, DataType.FLOAT32, first, new Shape(2, 2));
        b.getParameters().get("input").getArray().set(INPUT);
        b.getParameters().get("output").getArray().set(OUTPUT);
        return b;
    }

    private static float[] forward(NDManager manager, EmbeddingBag b, NDArray first, NDArray candidates) {
        return b.forward(new ParameterStore(manager, false), new NDList(first, candidates), false).head()
                .toFloatArray();
    }

    @Test
    void skipGramScoresAreDotProductsOfInputAndOutputRows() {
        try (NDManager manager = NDManager.newBaseManager()) {
            EmbeddingBag b = initialised(manager, EmbeddingBag.Mode.SKIP_GRAM, EmbeddingBag.Pooling.MEAN, new Shape(2));
            NDArray centers = manager.create(new long[] {1, 2});
            NDArray candidates = manager.create(new long[] {2, 1, 1, 0}, new Shape(2, 2));
            // in[1]=(1,2): . out[2]=(-1,2) = 3, . out[1]=(0.5,1) = 2.5; in[2]=(3,-1): . out[1] = 0.5, . out[0] = 0
            assertArrayEquals(new float[] {3, 2.5f, 0.5f, 0}, forward(manager, b, centers, candidates), 1e-6f);
            assertEquals(new Shape(2, 2), b.getOutputShapes(new Shape[] {new Shape(2), new Shape(2, 2)})[0]);
        }
    }

    @Test
    void sharedPoolScoresEveryExampleAgainstEveryPooledItem() {
        try (NDManager manager = NDManager.newBaseManager()) {
            EmbeddingBag b = initialised(manager, EmbeddingBag.Mode.SKIP_GRAM, EmbeddingBag.Pooling.MEAN, new Shape(2));
            NDArray centers = manager.create(new long[] {1, 2});
            NDArray positives = manager.create(new long[] {2, 1});
            NDArray pool = manager.create(new long[] {1, 2, 0});
            NDList out = b.forward(new ParameterStore(manager, false), new NDList(centers, positives, pool), false);
            // in[1]=(1,2) . out[2]=(-1,2) = 3; in[2]=(3,-1) . out[1]=(0.5,1) = 0.5
            assertArrayEquals(new float[] {3, 0.5f}, out.get(0).toFloatArray(), 1e-6f);
            // in[1] . out[1], out[2], out[0] = 2.5, 3, 0; in[2] . the same = 0.5, -5, 0
            assertArrayEquals(new float[] {2.5f, 3, 0, 0.5f, -5, 0}, out.get(1).toFloatArray(), 1e-6f);
            assertEquals(new Shape(2, 3), out.get(1).getShape());
            Shape[] shapes = b.getOutputShapes(new Shape[] {new Shape(2), new Shape(2), new Shape(3)});
            assertArrayEquals(new Shape[] {new Shape(2), new Shape(2, 3)}, shapes);
        }
    }

    @Test
    void cbowPoolsTheNonPaddedContext() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray bags = manager.create(new long[] {1, 2, 2, 0}, new Shape(2, 2)); // second bag padded
            NDArray candidates = manager.create(new long[] {1, 2, 2, 1}, new Shape(2, 2));
            EmbeddingBag mean = initialised(manager, EmbeddingBag.Mode.CBOW, EmbeddingBag.Pooling.MEAN, new Shape(2, 2));
            // mean of in[1], in[2] = (2, 0.5): . out[1] = 1.5, . out[2] = -1; bag {2}: (3,-1): . out[2] = -5, . out[1] = 0.5
            assertArrayEquals(new float[] {1.5f, -1, -5, 0.5f}, forward(manager, mean, bags, candidates), 1e-6f);
            EmbeddingBag sum = initialised(manager, EmbeddingBag.Mode.CBOW, EmbeddingBag.Pooling.SUM, new Shape(2, 2));
            // sum (4, 1): . out[1] = 3, . out[2] = -2; the padded bag sums to the same (3, -1)
            assertArrayEquals(new float[] {3, -2, -5, 0.5f}, forward(manager, sum, bags, candidates), 1e-6f);
        }
    }

    @Test
    void saveAndLoadGiveIdenticalScores(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray centers = manager.create(new long[] {1, 2});
            NDArray candidates = manager.create(new long[] {2, 1, 1, 0}, new Shape(2, 2));
            float[] before;
            try (Model model = Model.newInstance("bag")) {
                model.setBlock(EmbeddingBag.builder().setVocabularySize(3).setVectorSize(2).build());
                model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(2), new Shape(2, 2));
                // output starts at zero, as in word2vec: give it values so the comparison means something
                model.getBlock().getParameters().get("output").getArray().set(OUTPUT);
                before = forward(manager, (EmbeddingBag) model.getBlock(), centers, candidates);
                model.save(dir, "bag");
            }
            try (Model model = Model.newInstance("bag")) {
                model.setBlock(EmbeddingBag.builder().setVocabularySize(3).setVectorSize(2).build());
                model.load(dir, "bag");
                assertArrayEquals(before, forward(manager, (EmbeddingBag) model.getBlock(), centers, candidates), 0f);
            }
        }
    }

    @Test
    void gradientsStayFiniteUnderNegativeSamplingLoss() {
        SplittableRandom rng = new SplittableRandom(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (EmbeddingBag.Mode mode : EmbeddingBag.Mode.values()) {
                Engine.getInstance().setRandomSeed(1);
                EmbeddingBag b = EmbeddingBag.builder().setVocabularySize(50).setVectorSize(8).optMode(mode).build();
                Shape first = mode == EmbeddingBag.Mode.SKIP_GRAM ? new Shape(32) : new Shape(32, 4);
                b.initialize(manager, DataType.FLOAT32, first, new Shape(32, 6));
                for (int step = 0; step < 10; step++) {
                    try (NDManager s = manager.newSubManager()) {
                        long[] ids = new long[(int) first.size()];
                        long[] cand = new long[32 * 6];
                        for (int i = 0; i < ids.length; i++) {
                            ids[i] = rng.nextInt(50);
                        }
                        for (int i = 0; i < cand.length; i++) {
                            cand[i] = 1 + rng.nextInt(49);
                        }
                        float[] labels = new float[32 * 6];
                        for (int r = 0; r < 32; r++) {
                            labels[r * 6] = 1; // the positive is the first candidate
                        }
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray scores = b.forward(new ParameterStore(s, false),
                                    new NDList(s.create(ids, first), s.create(cand, new Shape(32, 6))), true).head();
                            NDArray y = s.create(labels, new Shape(32, 6));
                            NDArray one = s.ones(new Shape(32, 6));
                            // Negative sampling: softplus(-s) for the positive, softplus(s) for the negatives.
                            NDArray loss = scores.neg().getNDArrayInternal().softPlus().mul(y)
                                    .add(scores.getNDArrayInternal().softPlus().mul(one.sub(y)))
                                    .sum(new int[] {1}).mean();
                            List<ByteBuffer> poison = poisonFreedMemory();
                            gc.backward(loss);
                            poison.clear();
                        }
                        for (Parameter p : b.getParameters().values()) {
                            NDArray g = p.getArray().getGradient();
                            assertFalse(g.isNaN().any().getBoolean() || g.isInfinite().any().getBoolean(),
                                    mode + " " + p.getName() + " step " + step);
                            p.getArray().subi(g.mul(0.5f)); // plain SGD, outside the recorded graph
                            g.attach(s);
                        }
                    }
                }
            }
        }
    }

    private static List<ByteBuffer> poisonFreedMemory() {
        System.gc();
        List<ByteBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ByteBuffer buf = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
            buf.putFloat(0, Float.NaN);
            buffers.add(buf);
        }
        return buffers;
    }

    @Test
    void builderNamesTheBadValue() {
        assertEquals("vector_size must be > 0, found 0", assertThrows(IllegalArgumentException.class,
                () -> EmbeddingBag.builder().setVocabularySize(3).setVectorSize(0).build()).getMessage());
        assertEquals("vocabulary size must be >= 2 (unknown + one item), found 1", assertThrows(
                IllegalArgumentException.class,
                () -> EmbeddingBag.builder().setVocabularySize(1).setVectorSize(2).build()).getMessage());
    }
}
