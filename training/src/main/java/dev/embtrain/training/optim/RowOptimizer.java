package dev.embtrain.training.optim;


/**
 * Updates the rows of an embedding table that a step touched, and only those: the weights and
 * the state of every other row stay as they are, bit for bit. The update is one fused pass over
 * the touched rows' floats on the Java side, where the table's floats are (a direct buffer that
 * aliases the parameter on the CPU, a host copy for a device): a chain of NDArray calls per table
 * spent 37 of a 45 ms step in per-call overhead (DJL-NOTES, "Measured for round 2").
 */
public interface RowOptimizer extends SavesState {

    /**
     * Updates some rows of a table.
     *
     * @param tableId the table parameter's id
     * @param weights the whole table, row-major, {@code rowCount · cols} floats, updated in place
     * @param rowCount the table's rows
     * @param cols its width
     * @param rows the distinct row indices; the first {@code count} are used
     * @param count how many rows the step touched
     * @param grad their summed gradients, {@code count · cols} floats in the order of {@code rows}
     * @param step the optimizer step, from 1, the same for every table
     */
    void update(String tableId, TableRows weights, long rowCount, int cols, int[] rows, int count, float[] grad,
            int step);

    /**
     * Brings some rows of a table to the last step, for an optimizer that defers what the steps
     * skipping a row do to it; called with a step's rows before its forward pass reads them. The
     * default does nothing.
     *
     * @param tableId the table parameter's id
     * @param weights the whole table, updated in place
     * @param rowCount the table's rows
     * @param cols its width
     * @param rows the distinct row indices; the first {@code count} are used
     * @param count how many
     */
    default void catchUp(String tableId, TableRows weights, long rowCount, int cols, int[] rows, int count) {}

    /**
     * Brings every row of a table to the last step, for an optimizer that defers what the steps
     * skipping a row do to it; called before validation, checkpoints and saving. The default
     * does nothing.
     *
     * @param tableId the table parameter's id
     * @param weights the whole table, updated in place
     * @param rowCount the table's rows
     * @param cols its width
     */
    default void settle(String tableId, TableRows weights, long rowCount, int cols) {}

    /**
     * Returns the bytes of state this optimizer keeps for a table.
     *
     * @param rows the table's rows
     * @param cols its width
     * @return bytes (float32)
     */
    long stateBytes(long rows, long cols);

    /**
     * Names the optimizer for messages and the run's start-up line.
     *
     * @return e.g. {@code lazy adamw}
     */
    String describe();
}
