package dev.embtrain.training.optim;

import ai.djl.ndarray.NDArray;
import dev.embtrain.models.LargeArrays;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * The floats of a row-sparse table, row-major, where the row optimizers read and write them: one
 * buffer, or for a table over 2 GB one direct buffer per block of rows ({@link LargeArrays}), a
 * Java buffer being at most 2 GB. Positions are value indices ({@code row · cols + column}); a
 * bulk read or write stays within one row, and so within one block.
 */
public final class TableRows {

    private final FloatBuffer[] blocks;
    private final int blockValues;
    private final float[] array;

    private TableRows(FloatBuffer[] blocks, int blockValues, float[] array) {
        this.blocks = blocks;
        this.blockValues = blockValues;
        this.array = array;
    }

    /**
     * Wraps values on the heap.
     *
     * @param values the table, row-major
     * @return the rows
     */
    public static TableRows wrap(float[] values) {
        return new TableRows(new FloatBuffer[] {FloatBuffer.wrap(values)}, Math.max(1, values.length), values);
    }

    /**
     * Aliases direct buffers over blocks of rows of a table.
     *
     * @param blocks one buffer per block, in row order, each of {@code blockValues} values but the last
     * @param blockValues values in a block (whole rows)
     * @return the rows
     */
    static TableRows of(List<FloatBuffer> blocks, int blockValues) {
        return new TableRows(blocks.toArray(new FloatBuffer[0]), blockValues, null);
    }

    /**
     * Copies values out.
     *
     * @param index the first value's position
     * @param dst where to
     * @param offset where in dst
     * @param length how many, within one row
     */
    public void get(int index, float[] dst, int offset, int length) {
        blocks[index / blockValues].get(index % blockValues, dst, offset, length);
    }

    /**
     * Copies values in.
     *
     * @param index the first value's position
     * @param src where from
     * @param offset where in src
     * @param length how many, within one row
     */
    public void put(int index, float[] src, int offset, int length) {
        blocks[index / blockValues].put(index % blockValues, src, offset, length);
    }

    /**
     * Reads one value.
     *
     * @param index its position
     * @return the value
     */
    public float get(int index) {
        return blocks[index / blockValues].get(index % blockValues);
    }

    /**
     * Writes one value.
     *
     * @param index its position
     * @param value the value
     */
    public void put(int index, float value) {
        blocks[index / blockValues].put(index % blockValues, value);
    }

    /**
     * Returns the wrapped heap array, for tests.
     *
     * @return the values {@link #wrap} was given
     */
    public float[] array() {
        if (array == null) {
            throw new IllegalStateException("these rows alias an engine array");
        }
        return array;
    }

    /**
     * Writes every value into an array of the same shape.
     *
     * @param target the parameter's array
     */
    void copyTo(NDArray target) {
        if (array != null) {
            LargeArrays.set(target, array);
            return;
        }
        throw new IllegalStateException("these rows alias the parameter already");
    }
}
