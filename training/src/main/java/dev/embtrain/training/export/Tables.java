package dev.embtrain.training.export;

import ai.djl.ndarray.NDArray;

/** Copies embedding tables out of NDArrays into plain Java matrices for export and search. */
public final class Tables {

    private Tables() {}

    /**
     * Copies a 2-D float array into rows.
     *
     * @param array a {@code [rows, cols]} float32 array
     * @return its rows
     */
    public static float[][] toMatrix(NDArray array) {
        long[] shape = array.getShape().getShape();
        if (shape.length != 2) {
            throw new IllegalArgumentException("expected a 2-D table, found shape " + array.getShape());
        }
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        float[] flat = dev.embtrain.models.LargeArrays.toFloats(array);
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, out[r], 0, cols);
        }
        return out;
    }

    /**
     * Returns every table's shape, for a run's resolved config.
     *
     * @param model a block with embedding tables
     * @return name to {@code [rows, columns]}, in the model's order
     */
    public static java.util.Map<String, java.util.List<Long>> shapes(dev.embtrain.models.HasEmbeddingTables model) {
        java.util.Map<String, java.util.List<Long>> shapes = new java.util.LinkedHashMap<>();
        for (dev.embtrain.models.EmbeddingTable t : model.embeddingTables()) {
            shapes.put(t.name(), java.util.Arrays.stream(t.parameter().getArray().getShape().getShape()).boxed()
                    .toList());
        }
        return shapes;
    }
}
