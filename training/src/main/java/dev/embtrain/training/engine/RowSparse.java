package dev.embtrain.training.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * Tables a run trains row by row: the loop's forward pass reads parameters through
 * {@link #store}, which hands the model only the rows a batch names, and after the backward pass
 * {@link #step} updates those rows and nothing else; the dense optimizer skips the parameters
 * {@link #hosts} claims.
 */
public interface RowSparse {

    /**
     * Opens a step: the store's arrays for it go into a manager closed by {@link #step}.
     *
     * @param parent the manager the step's manager is made under
     * @return the store the step's forward pass reads
     */
    ParameterStore begin(NDManager parent);

    /**
     * Says whether a parameter is updated here rather than by the dense optimizer.
     *
     * @param parameter a parameter of the model
     * @return true for a table served row by row
     */
    boolean hosts(Parameter parameter);

    /**
     * Updates the rows the step's forward pass looked up, from their gradients, and closes the
     * step's arrays.
     *
     * @param step the optimizer step, from 1
     */
    void step(int step);

    /**
     * Returns the gradients of the rows the step's forward pass looked up, one array per table
     * in a fixed order, after the backward pass; {@link #step} applies them as they are then, so
     * scaling them in place changes the update. The caller closes the arrays.
     *
     * @return the gradients
     */
    List<NDArray> gradients();

    /**
     * Returns the tables as a {@link HostStep} reads them, where every given parameter trains
     * row by row with its floats on the host; within a step, {@link #gradients} then wraps the
     * host gradients, and {@link #step} applies them.
     *
     * @param parameters the model's trained parameters
     * @return the host rows, or null where a parameter is dense or on a device
     */
    default HostRows hostRows(List<Parameter> parameters) {
        return null;
    }

    /** Closes the step without updating anything: its rows' gradients are dropped. */
    void discard();

    /**
     * Makes every parameter array hold the current weights (a no-op where the tables alias the
     * parameters, as on the CPU); called before validation, checkpoints and saving.
     */
    void sync();
}
