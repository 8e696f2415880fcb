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

class DotProductBiasTest {

    private static DotProductBias block(List<String> fields) {
        return DotProductBias.builder()
                .setVocabularySizes(3, 3)
                .setFactors(2)
                .optFields(fields)
                .optYRange(0f, 5.5f)
                .build();
    }

    /** Sets the hand-chosen tables the expected values below are computed from. */
    private static void setTables(DotProductBias b) {
        var p = b.getParameters();
        p.get("user_factors").getArray().set(new float[] {0, 0, 1, 2, 0.5f, -1});
        p.get("item_factors").getArray().set(new float[] {0, 0, 3, 1, -2, 0.5f});
        p.get("user_bias").getArray().set(new float[] {0, 0.1f, -0.2f});
        p.get("item_bias").getArray().set(new float[] {0, 0.3f, 0});
    }

    private static double sigmoidRange(double x) {
        return 5.5 / (1 + Math.exp(-x));
    }

    @Test
    void forwardMatchesHandComputation() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DotProductBias b = block(List.of("user", "item"));
            b.initialize(manager, DataType.FLOAT32, new Shape(3, 2));
            setTables(b);
            // rows: (user 1, item 1), (user 2, item 2), (unknown user, item 1)
            NDArray ids = manager.create(new long[] {1, 1, 2, 2, 0, 1}, new Shape(3, 2));
            NDList out = b.forward(new ParameterStore(manager, false), new NDList(ids), false);
            float[] expected = {
                (float) sigmoidRange(1 * 3 + 2 * 1 + 0.1 + 0.3), // 5.4
                (float) sigmoidRange(0.5 * -2 + -1 * 0.5 - 0.2 + 0), // -1.7
                (float) sigmoidRange(0 + 0 + 0.3) // unknown user: item bias only
            };
            assertArrayEquals(expected, out.head().toFloatArray(), 1e-5f);
            assertEquals(5.475265f, out.head().toFloatArray()[0], 1e-5f);
            assertEquals(b.getOutputShapes(new Shape[] {new Shape(3, 2)})[0], out.head().getShape());
        }
    }

    @Test
    void fieldsAreFoundByNameNotPosition() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DotProductBias b = block(List.of("item", "user"));
            b.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            setTables(b);
            NDArray ids = manager.create(new long[] {2, 2, 1, 1}, new Shape(2, 2)); // item first
            float[] out = b.forward(new ParameterStore(manager, false), new NDList(ids), false)
                    .head().toFloatArray();
            assertArrayEquals(
                    new float[] {(float) sigmoidRange(-1.7), (float) sigmoidRange(5.4)}, out, 1e-5f);
        }
    }

    @Test
    void saveAndLoadGiveIdenticalPredictions(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray ids = manager.create(new long[] {1, 1, 2, 2, 0, 1, 2, 0}, new Shape(4, 2));
            float[] before;
            try (Model model = Model.newInstance("dpb")) {
                model.setBlock(block(List.of("user", "item")));
                model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2));
                before = model.getBlock()
                        .forward(new ParameterStore(manager, false), new NDList(ids), false)
                        .head().toFloatArray();
                model.save(dir, "dpb");
            }
            try (Model model = Model.newInstance("dpb")) {
                model.setBlock(block(List.of("user", "item")));
                model.load(dir, "dpb");
                float[] after = model.getBlock()
                        .forward(new ParameterStore(manager, false), new NDList(ids), false)
                        .head().toFloatArray();
                assertArrayEquals(before, after, 0f);
            }
        }
    }

    @Test
    void builderNamesTheBadValue() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> DotProductBias.builder().setVocabularySizes(3, 3).setFactors(0).build());
        assertEquals("factors must be > 0, found 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DotProductBias.builder().setVocabularySizes(3, 3).setFactors(2)
                        .optYRange(5f, 1f).build());
        assertEquals("y_range must be two finite numbers [lo, hi] with lo < hi, found [5.0, 1.0]",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DotProductBias.builder().setVocabularySizes(3, 3).setFactors(2)
                        .optFields(List.of("user", "movie")).build());
        assertEquals("item field \"item\" is not among the dataset's categorical fields [user, movie]",
                e.getMessage());
    }
}
