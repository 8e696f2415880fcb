package dev.embtrain.models;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;

/**
 * A parameter store that serves some tables row by row: it gathers the rows a batch names into
 * a small array of their own, so that the step's gradient, and the optimizer after it, touch
 * those rows only (PyTorch's {@code sparse=True} embedding with {@code SparseAdam}, torchrec's
 * fused row-wise optimizers). Every lookup of a model goes through {@code Layers.lookups}, which
 * asks the store this; a store that is not one looks rows up with a dense gradient.
 */
public interface RowLookup {

    /**
     * Says whether this store serves a table row by row in the current step.
     *
     * @param table the table
     * @return true when {@link #rows} is to be used for it
     */
    boolean isRowSparse(Parameter table);

    /**
     * Looks up the rows of one table for every array of ids, as one gather: ids repeated within
     * or across the arrays are read once, and their gradients add up.
     *
     * @param table the table {@code [n, D]}
     * @param device where the ids are
     * @param ids int64 indices, any shapes; a table may be looked up once per step
     * @return for each array of ids of shape S, the rows of shape {@code S + [D]}
     */
    NDList rows(Parameter table, Device device, NDList ids);
}
