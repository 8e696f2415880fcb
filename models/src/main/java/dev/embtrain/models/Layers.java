package dev.embtrain.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
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
     * Looks rows up with a dense gradient: the fastest exact gather whose gradient Adam(W) can
     * consume (a COO gradient is cheaper to make but no DJL optimizer takes it).
     *
     * @param ids int64 indices {@code [B]}
     * @param table the table {@code [n, D]}
     * @return the rows {@code [B, D]}
     */
    static NDArray lookup(NDArray ids, NDArray table) {
        return Embedding.embedding(ids, table, SparseFormat.DENSE).head();
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
