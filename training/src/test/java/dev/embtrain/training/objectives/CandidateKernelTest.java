package dev.embtrain.training.objectives;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.embtrain.models.EmbeddingBag;
import dev.embtrain.training.engine.CandidateLoss;
import dev.embtrain.training.engine.HostRows;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link CandidateKernel} against autograd over {@link EmbeddingBag} and {@link CandidateLoss}:
 * the same loss and the same gradient for every row of both tables, for skip-gram and both CBOW
 * poolings, negative sampling and sampled softmax, with ids repeated within and across examples
 * and CBOW bags padded with 0.
 */
class CandidateKernelTest {

    private static final int ITEMS = 9;
    /** Odd, so that the dot product's tail after its unrolled part runs too. */
    private static final int DIM = 7;

    /** Skip-gram: centre 3 three times, candidates repeating 5 and 2, an example naming 5 twice. */
    private static final long[] CENTRES = {3, 1, 3, 8, 3};
    private static final long[] CANDIDATES = {5, 2, 5, 7, 2, 6, 1, 2, 4, 5, 8, 3, 6, 6, 6, 2, 5, 4, 1, 1};
    /** CBOW bags of width 4, padded with 0; the last is all padding (an empty bag pools to 0). */
    private static final long[] BAGS = {1, 2, 0, 0, 3, 3, 4, 0, 8, 0, 0, 0, 2, 5, 6, 7, 0, 0, 0, 0};

    private static void compare(EmbeddingBag.Mode mode, EmbeddingBag.Pooling pooling, boolean softmax) {
        boolean cbow = mode == EmbeddingBag.Mode.CBOW;
        compare(mode, pooling, softmax, cbow ? BAGS : CENTRES, cbow ? new Shape(5, 4) : new Shape(5), CANDIDATES,
                new Shape(5, 4));
    }

    private static void compare(EmbeddingBag.Mode mode, EmbeddingBag.Pooling pooling, boolean softmax, long[] first,
            Shape firstShape, long[] candidates, Shape candidateShape) {
        EmbeddingBag bag = EmbeddingBag.builder().setVocabularySize(ITEMS).setVectorSize(DIM).optMode(mode)
                .optPooling(pooling).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            bag.initialize(manager, DataType.FLOAT32, firstShape, candidateShape);
            Random random = new Random(11);
            Map<String, float[]> weights = new HashMap<>();
            for (Parameter p : bag.getParameters().values()) {
                float[] values = new float[ITEMS * DIM];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) random.nextGaussian();
                }
                p.getArray().set(values);
                p.getArray().setRequiresGradient(true);
                weights.put(p.getName(), values);
            }
            NDList data = new NDList(manager.create(first, firstShape), manager.create(candidates, candidateShape));
            // autograd
            float expectedLoss;
            Map<String, float[]> expected = new HashMap<>();
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDList scores = bag.forward(new ParameterStore(manager, false), data, true);
                NDArray loss = new CandidateLoss(softmax).evaluate(new NDList(), scores);
                collector.backward(loss);
                expectedLoss = loss.getFloat();
            }
            for (Parameter p : bag.getParameters().values()) {
                expected.put(p.getName(), p.getArray().getGradient().toFloatArray());
            }
            // the kernel, over rows that are the whole tables (positions = ids)
            Map<String, float[]> actual = new HashMap<>();
            HostRows whole = (table, ids) -> {
                int[][] positions = new int[ids.length][];
                for (int i = 0; i < ids.length; i++) {
                    positions[i] = new int[ids[i].length];
                    for (int k = 0; k < ids[i].length; k++) {
                        positions[i][k] = (int) ids[i][k];
                    }
                }
                float[] gradient = new float[ITEMS * DIM];
                actual.put(table.getName(), gradient);
                return new HostRows.Rows(DIM, weights.get(table.getName()).clone(), positions, gradient);
            };
            float loss = new CandidateKernel(bag, softmax).run(data, whole);
            assertEquals(expectedLoss, loss, 1e-5 * Math.abs(expectedLoss));
            for (String table : new String[] {"input", "output"}) {
                float[] e = expected.get(table);
                float[] a = actual.get(table);
                for (int i = 0; i < e.length; i++) {
                    assertEquals(e[i], a[i], 1e-6 + 1e-5 * Math.abs(e[i]), table + " value " + i);
                }
            }
        }
    }

    @Test
    void skipGramWithNegativeSamplingEqualsAutograd() {
        compare(EmbeddingBag.Mode.SKIP_GRAM, EmbeddingBag.Pooling.MEAN, false);
    }

    @Test
    void skipGramWithSampledSoftmaxEqualsAutograd() {
        compare(EmbeddingBag.Mode.SKIP_GRAM, EmbeddingBag.Pooling.MEAN, true);
    }

    @Test
    void cbowMeanEqualsAutogradPaddingAndEmptyBagsIncluded() {
        compare(EmbeddingBag.Mode.CBOW, EmbeddingBag.Pooling.MEAN, false);
    }

    @Test
    void cbowSumWithSampledSoftmaxEqualsAutograd() {
        compare(EmbeddingBag.Mode.CBOW, EmbeddingBag.Pooling.SUM, true);
    }

    @Test
    void aBatchOfSeveralBlocksEqualsAutograd() {
        // 70 examples: the kernel's blocks of 32 end inside the batch, twice (skip-gram, then CBOW).
        Random random = new Random(5);
        long[] centres = new long[70];
        long[] candidates = new long[70 * 6];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = 1 + random.nextInt(ITEMS - 1);
        }
        for (int i = 0; i < candidates.length; i++) {
            candidates[i] = 1 + random.nextInt(ITEMS - 1);
        }
        compare(EmbeddingBag.Mode.SKIP_GRAM, EmbeddingBag.Pooling.MEAN, false, centres, new Shape(70), candidates,
                new Shape(70, 6));
        // CBOW over the same candidates: a block's contexts are pooled afresh, not onto the last block's.
        long[] bags = new long[70 * 4];
        for (int i = 0; i < bags.length; i++) {
            bags[i] = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(ITEMS - 1);
        }
        compare(EmbeddingBag.Mode.CBOW, EmbeddingBag.Pooling.MEAN, false, bags, new Shape(70, 4), candidates,
                new Shape(70, 6));
    }

    @Test
    void negativeSamplingGradientsMatchTheirFormulaByHand() {
        // Two examples: s = (0, 2, -30) and (1, 0, 0): losses softplus(-0) + softplus(2) + softplus(-30) and
        // softplus(-1) + 2 softplus(0); derivatives sigmoid(s_0) - 1 and sigmoid(s_j).
        float[] s = {0f, 2f, -30f, 1f, 0f, 0f};
        double loss = CandidateKernel.negativeSamplingGradients(s, 0, 6, 3);
        double expected = Math.log(2) + Math.log1p(Math.exp(2)) + Math.log1p(Math.exp(-30))
                + Math.log1p(Math.exp(-1)) + 2 * Math.log(2);
        assertEquals(expected, loss, 1e-5);
        float[] want = {-0.5f, (float) (1 / (1 + Math.exp(-2))), (float) (Math.exp(-30) / (1 + Math.exp(-30))),
            (float) (1 / (1 + Math.exp(-1)) - 1), 0.5f, 0.5f};
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], s[i], 1e-6f * Math.max(1e-12f, Math.abs(want[i])) + 1e-20f, "score " + i);
        }
    }
}
