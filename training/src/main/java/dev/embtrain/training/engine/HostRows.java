package dev.embtrain.training.engine;

import ai.djl.nn.Parameter;

/**
 * Row-sparse tables as a {@link HostStep} reads them: a step's rows copied out of a table into a
 * small array, every id replaced by its row's position there, and a zeroed array of the same
 * size for the rows' gradients, which the table's optimizer applies after the step.
 */
public interface HostRows {

    /**
     * A table's rows for one step.
     *
     * @param cols the table's width
     * @param values the distinct rows the ids name, row-major, {@code count · cols} floats; a copy
     *     of the weights before the step, which the kernel may read but not write
     * @param positions per id array, each id's row in {@code values} (row {@code p} starts at
     *     {@code p · cols})
     * @param gradient where the kernel adds each row's gradient, laid out as {@code values}, zero
     *     at first
     */
    record Rows(int cols, float[] values, int[][] positions, float[] gradient) {}

    /**
     * Gathers the rows of a table that some ids name; a table is gathered once a step, every set
     * of its ids in the one call.
     *
     * @param table a table parameter of the model
     * @param ids the ids, each array in its own layout (the kernel knows it)
     * @return the rows
     * @throws IndexOutOfBoundsException naming the table and the id outside it
     * @throws IllegalStateException outside a step, or when the table was gathered already
     */
    Rows gather(Parameter table, long[]... ids);
}
