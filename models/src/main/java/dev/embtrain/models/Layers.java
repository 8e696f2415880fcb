package dev.embtrain.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import java.util.List;

/** The pieces the blocks share: embedding tables, their lookup, and the MLP of the deep models. */
final class Layers {

    private Layers() {}

    /**
     * Declares a {@code [rows, cols]} weight table.
     *
     * @param name the parameter's name, also its exported table name
     * @param rows the rows, usually a vocabulary size
     * @param cols the width
     * @param init how it starts
     * @return the parameter, to be added with {@code addParameter}
     */
    static Parameter table(String name, int rows, int cols, Initializer init) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rows, cols))
                .optInitializer(init)
                .build();
    }

    /**
     * Looks rows of a table up: row by row when the store serves the table so ({@link RowLookup},
     * while training), else with a dense gradient, the fastest exact gather whose gradient Adam(W)
     * can consume (a COO gradient is cheaper to make but no DJL optimizer takes it).
     *
     * @param store the forward pass's parameter store
     * @param table the table {@code [n, D]}
     * @param training whether this is a training pass
     * @param ids int64 indices of any shape S
     * @return the rows {@code S + [D]}
     */
    static NDArray lookup(ParameterStore store, Parameter table, boolean training, NDArray ids) {
        return lookups(store, table, training, ids).head();
    }

    /**
     * Looks rows of one table up for several arrays of ids in one step; a row-sparse table must be
     * looked up this way, once, when a forward pass needs it for more than one set of ids.
     *
     * @param store the forward pass's parameter store
     * @param table the table {@code [n, D]}
     * @param training whether this is a training pass
     * @param ids int64 indices, any shapes
     * @return the rows for each array of ids
     */
    static NDList lookups(ParameterStore store, Parameter table, boolean training, NDArray... ids) {
        Device device = ids[0].getDevice();
        if (training && store instanceof RowLookup rows && rows.isRowSparse(table)) {
            return rows.rows(table, device, new NDList(ids));
        }
        NDArray weight = store.getValue(table, device, training);
        NDList out = new NDList(ids.length);
        for (NDArray id : ids) {
            out.add(Embedding.embedding(id, weight, SparseFormat.DENSE).head());
        }
        return out;
    }

    /**
     * Builds {@code (Linear → ReLU [→ BatchNorm] [→ Dropout])* → Linear(1)}.
     *
     * @param layers the hidden widths, possibly none
     * @param batchNorm batch normalisation after each hidden ReLU
     * @param dropout dropout after each hidden layer, 0 for none
     * @return the block, uninitialised
     */
    static SequentialBlock mlp(List<Integer> layers, boolean batchNorm, float dropout) {
        SequentialBlock mlp = new SequentialBlock();
        for (int units : layers) {
            mlp.add(Linear.builder().setUnits(units).build()).add(Activation.reluBlock());
            if (batchNorm) {
                mlp.add(BatchNorm.builder().build());
            }
            if (dropout > 0) {
                mlp.add(Dropout.builder().optRate(dropout).build());
            }
        }
        return mlp.add(Linear.builder().setUnits(1).build());
    }
}
