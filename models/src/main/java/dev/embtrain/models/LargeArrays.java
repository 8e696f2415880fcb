package dev.embtrain.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Tables over 2 GB, read and written a block of rows at a time ({@link TableBlock} saves them so). DJL moves an array through one
 * Java buffer (its parameter file holds each array as one byte array with an int length), and
 * PyTorch's engine will not alias a tensor that large to a direct buffer; a row range of the
 * table is a view PyTorch keeps in the same storage, and each view under the limit passes.
 * Arrays at or under the limit take DJL's own path, so their parameter files are unchanged.
 */
public final class LargeArrays {

    /** The most bytes one array takes DJL's own path with. */
    public static final long LIMIT_BYTES = Integer.MAX_VALUE - 8;

    /**
     * Bytes in a block of rows: 64 MiB. Small, because DJL encodes an array for the model file
     * through about four Java copies of it (and on a heap without room for them its native code
     * crashes the JVM instead of throwing), and aliasing takes one direct buffer per block.
     */
    public static final long BLOCK_BYTES = 1L << 26;

    // System properties lower them for tests that start a child JVM (embtrain.large.limit, .block).
    private static volatile long limitBytes = Long.getLong("embtrain.large.limit", LIMIT_BYTES);
    private static volatile long blockBytes = Long.getLong("embtrain.large.block", BLOCK_BYTES);

    private LargeArrays() {}

    /**
     * Lowers the limits, so that tests take the block path with small arrays; {@link #LIMIT_BYTES}
     * and {@link #BLOCK_BYTES} restore them. For tests only.
     *
     * @param limit bytes over which an array is large
     * @param block bytes in a block of rows
     */
    public static void limits(long limit, long block) {
        limitBytes = limit;
        blockBytes = block;
    }

    /**
     * Says whether an array of this shape is read and written in blocks of rows.
     *
     * @param shape the shape
     * @return true over {@link #LIMIT_BYTES} of float32
     */
    public static boolean large(Shape shape) {
        return shape != null && shape.size() * Float.BYTES > limitBytes;
    }

    /**
     * Returns the rows of one block of a {@code [rows, cols]} table.
     *
     * @param cols the width
     * @return at least 1
     */
    public static long blockRows(long cols) {
        return Math.max(1, blockBytes / (Math.max(1, cols) * Float.BYTES));
    }

    /**
     * Returns views of consecutive row blocks of a 2-d array, sharing its storage; the caller
     * closes them (closing a view leaves the array).
     *
     * @param array {@code [rows, cols]}
     * @return the views, in row order
     */
    public static List<NDArray> rowBlocks(NDArray array) {
        long rows = array.getShape().get(0);
        long block = blockRows(array.getShape().size() / Math.max(1, rows));
        List<NDArray> out = new ArrayList<>();
        for (long from = 0; from < rows; from += block) {
            out.add(array.get(new NDIndex("{}:{}", from, Math.min(rows, from + block))));
        }
        return out;
    }

    /**
     * Copies an array's values out, in blocks when it is large.
     *
     * @param array a float32 array of at most {@code Integer.MAX_VALUE - 8} values
     * @return its values, row-major
     */
    public static float[] toFloats(NDArray array) {
        if (!large(array.getShape())) {
            return array.toFloatArray();
        }
        float[] out = new float[Math.toIntExact(array.size())];
        int at = 0;
        for (NDArray view : rowBlocks(array)) {
            try (view) {
                float[] part = view.toFloatArray();
                System.arraycopy(part, 0, out, at, part.length);
                at += part.length;
            }
        }
        return out;
    }

    /**
     * Sets an array's values, in blocks when it is large.
     *
     * @param array a float32 array
     * @param values as many values, row-major
     */
    public static void set(NDArray array, float[] values) {
        if (!large(array.getShape())) {
            array.set(FloatBuffer.wrap(values));
            return;
        }
        long rows = array.getShape().get(0);
        int cols = Math.toIntExact(array.size() / rows);
        long block = blockRows(cols);
        NDManager manager = array.getManager();
        // PyTorch refuses in-place writes to a leaf that requires a gradient.
        boolean gradient = array.hasGradient();
        if (gradient) {
            array.setRequiresGradient(false);
        }
        for (long from = 0; from < rows; from += block) {
            long to = Math.min(rows, from + block);
            int n = Math.toIntExact((to - from) * cols);
            try (NDManager scratch = manager.newSubManager()) {
                NDArray part = scratch.create(FloatBuffer.wrap(values, Math.toIntExact(from * cols), n),
                        new Shape(to - from, cols));
                array.set(new NDIndex("{}:{}", from, to), part);
            }
        }
        if (gradient) {
            array.setRequiresGradient(true);
        }
    }
}
