package dev.embtrain.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables over the limit go through row blocks. The limits are lowered here (a table is "large"
 * over 1,000 bytes, a block is 96 bytes), so small arrays take the path a 2 GB table takes.
 */
class LargeArraysTest {

    @AfterEach
    void restoreLimits() {
        LargeArrays.limits(LargeArrays.LIMIT_BYTES, LargeArrays.BLOCK_BYTES);
    }

    /** A [50, 4] table (800 bytes) is not large; [300, 4] (4,800 bytes) is, in blocks of 6 rows. */
    @Test
    void blocksAreViewsOfWholeRowsAndValuesRoundTrip() {
        LargeArrays.limits(1_000, 96);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertFalse(LargeArrays.large(new Shape(50, 4)));
            assertTrue(LargeArrays.large(new Shape(300, 4)));
            assertEquals(6, LargeArrays.blockRows(4));
            float[] values = new float[1200];
            for (int i = 0; i < values.length; i++) {
                values[i] = i * 0.5f;
            }
            NDArray table = manager.zeros(new Shape(300, 4));
            LargeArrays.set(table, values);
            assertArrayEquals(values, table.toFloatArray(), 0f);
            assertArrayEquals(values, LargeArrays.toFloats(table), 0f);
            List<NDArray> blocks = LargeArrays.rowBlocks(table);
            assertEquals(50, blocks.size());
            assertEquals(new Shape(6, 4), blocks.get(49).getShape());
            // A view aliases the table: a write through a block's buffer shows in the table.
            blocks.get(2).toByteBuffer(true).asFloatBuffer().put(1, -7f);
            assertEquals(-7f, table.getFloat(12, 1));
            // A table that requires a gradient can still be set (PyTorch refuses in-place writes then).
            table.setRequiresGradient(true);
            LargeArrays.set(table, values);
            assertEquals(24.5f, table.getFloat(12, 1));
            assertTrue(table.hasGradient());
        }
    }

    private static Map<String, float[]> values(Model model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            out.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    /**
     * A model whose factor tables are large saves them in row blocks and loads them back value
     * for value; its bias tables stay under the limit and take DJL's own path in the same file.
     * Deep collaborative filtering has child blocks, whose parameters follow.
     */
    @Test
    void modelsWithLargeTablesSaveAndLoadValueForValue(@TempDir Path dir) throws Exception {
        LargeArrays.limits(1_500, 96);
        List<ScoreBlock> blocks = List.of(
                DotProductBias.builder().setVocabularySizes(300, 120).setFactors(4).build(),
                DeepCollaborative.builder().setVocabularySizes(300, 120).optEmbeddingWidths(4, 4)
                        .optLayers(List.of(8)).build());
        for (ScoreBlock block : blocks) {
            String name = block.getClass().getSimpleName();
            Map<String, float[]> before;
            try (Model model = Model.newInstance(name)) {
                model.setBlock(block);
                block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2));
                before = values(model);
                model.save(dir, name);
            }
            ScoreBlock fresh = name.equals("DotProductBias")
                    ? DotProductBias.builder().setVocabularySizes(300, 120).setFactors(4).build()
                    : DeepCollaborative.builder().setVocabularySizes(300, 120).optEmbeddingWidths(4, 4)
                            .optLayers(List.of(8)).build();
            try (Model model = Model.newInstance(name)) {
                model.setBlock(fresh);
                model.load(dir, name);
                Map<String, float[]> after = values(model);
                assertEquals(before.keySet(), after.keySet());
                for (String key : before.keySet()) {
                    assertArrayEquals(before.get(key), after.get(key), 0f, name + " " + key);
                }
            }
            // Arrays in the file, each with DJL's magic: the user factors (300 x 4, 4,800 bytes) in
            // 50 blocks of 6 rows, the item factors (120 x 4) in 20, and one per other parameter:
            // the two biases (1,200 and 480 bytes), or the MLP's two layers' weights and biases.
            String file = new String(Files.readAllBytes(dir.resolve(name + "-0000.params")),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            assertEquals(50 + 20 + 2 + (name.equals("DotProductBias") ? 0 : 2),
                    file.split("NDAR", -1).length - 1, name);
        }
    }
}
