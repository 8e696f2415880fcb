package dev.embtrain.training.engine;

import ai.djl.ndarray.NDList;

/**
 * A model's forward pass, loss and backward pass written out as loops over a batch's rows on the
 * host, for a model whose every parameter is a row-sparse table (item2vec): the work gensim's
 * Cython does per pair, here per batch, with no engine call between the table rows and the
 * gradients. The result must equal autograd's over the model's block and the objective's loss
 * (tests compare them); the loop still shows the listeners the loss, as a scalar array, and the
 * gradients, and the tables' optimizer applies them. {@link Objective#hostStep} offers one; the
 * loop uses it when training on the CPU with every parameter row-sparse, unless
 * {@code -Dembtrain.host_steps=false}.
 */
public interface HostStep {

    /**
     * Computes one batch's loss and adds its gradients to the gathered rows.
     *
     * @param data the batch's input, as the block takes it
     * @param rows the row-sparse tables, each gathered once here
     * @return the batch's loss, as the objective's loss would return it
     */
    float run(NDList data, HostRows rows);
}
