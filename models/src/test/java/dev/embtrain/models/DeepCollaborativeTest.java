package dev.embtrain.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeepCollaborativeTest {

    private static DeepCollaborative block() {
        return DeepCollaborative.builder().setVocabularySizes(3, 3).optEmbeddingWidths(2, 1)
                .optLayers(List.of(2)).build();
    }

    private static double sigmoidRange(double x) {
        return 5.5 / (1 + Math.exp(-x));
    }

    @Test
    void forwardMatchesHandComputation() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DeepCollaborative b = block();
            b.initialize(manager, DataType.FLOAT32, new Shape(3, 2));
            var p = b.getParameters();
            assertEquals(List.of("user_embedding", "item_embedding", "01mlp_01Linear_weight", "01mlp_01Linear_bias",
                    "01mlp_03Linear_weight", "01mlp_03Linear_bias"), p.keys());
            p.get("user_embedding").getArray().set(new float[] {0, 0, 1, 2, -1, 0.5f});
            p.get("item_embedding").getArray().set(new float[] {0, 1, -2});
            p.get("01mlp_01Linear_weight").getArray().set(new float[] {1, 0, 1, 0, 1, -1}); // [units 2, in 3]
            p.get("01mlp_01Linear_bias").getArray().set(new float[] {0.5f, -0.5f});
            p.get("01mlp_03Linear_weight").getArray().set(new float[] {2, -1});
            p.get("01mlp_03Linear_bias").getArray().set(new float[] {0.1f});
            NDArray ids = manager.create(new long[] {1, 1, 2, 2, 0, 1}, new Shape(3, 2));
            NDArray out = b.forward(new ParameterStore(manager, false), new NDList(ids), false).head();
            // (u1, i1): x = [1, 2, 1], h = relu([2.5, 0.5]), 2*2.5 - 0.5 + 0.1 = 4.6
            // (u2, i2): x = [-1, 0.5, -2], h = relu([-2.5, 2.0]) = [0, 2], -2 + 0.1 = -1.9
            // (unknown user, i1): x = [0, 0, 1], h = relu([1.5, -1.5]) = [1.5, 0], 3 + 0.1 = 3.1
            float[] expected = {(float) sigmoidRange(4.6), (float) sigmoidRange(-1.9), (float) sigmoidRange(3.1)};
            assertArrayEquals(expected, out.toFloatArray(), 1e-5f);
            assertEquals(b.getOutputShapes(new Shape[] {new Shape(3, 2)})[0], out.getShape());
        }
    }

    @Test
    void widthsComeFromTheRuleUnlessGiven() {
        DeepCollaborative b = DeepCollaborative.builder().setVocabularySizes(944, 1665).build();
        assertArrayEquals(new int[] {74, 102}, b.embeddingWidths()); // fastai's CollabNN on ml-100k
        b = DeepCollaborative.builder().setVocabularySizes(944, 1665)
                .optEmbeddingSizeRule(EmbeddingSizeRule.FOURTH_ROOT).optEmbeddingWidths(0, 20).build();
        assertArrayEquals(new int[] {6, 20}, b.embeddingWidths());
        assertEquals(600, EmbeddingSizeRule.FASTAI.size(10_000_000));
    }

    @Test
    void saveAndLoadGiveIdenticalPredictions(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray ids = manager.create(new long[] {1, 1, 2, 2, 0, 1}, new Shape(3, 2));
            float[] before;
            try (Model model = Model.newInstance("dc")) {
                model.setBlock(block());
                model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2));
                before = model.getBlock().forward(new ParameterStore(manager, false), new NDList(ids), false)
                        .head().toFloatArray();
                model.save(dir, "dc");
            }
            try (Model model = Model.newInstance("dc")) {
                model.setBlock(block());
                model.load(dir, "dc");
                assertArrayEquals(before, model.getBlock()
                        .forward(new ParameterStore(manager, false), new NDList(ids), false).head().toFloatArray(), 0f);
            }
        }
    }

    @Test
    void builderNamesTheBadValue() {
        assertEquals("layers must be > 0, found [100, 0]", assertThrows(IllegalArgumentException.class,
                () -> DeepCollaborative.builder().setVocabularySizes(3, 3).optLayers(List.of(100, 0)).build())
                .getMessage());
        assertEquals("dropout must be in [0, 1), found 1.0", assertThrows(IllegalArgumentException.class,
                () -> DeepCollaborative.builder().setVocabularySizes(3, 3).optDropout(1f).build()).getMessage());
    }
}
