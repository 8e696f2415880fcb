package dev.embtrain.training.engine;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a step optimizes and how an epoch is judged: the one part of training that differs
 * between supervised ratings, sampled candidates (item2vec) and implicit feedback (feat2vec).
 * {@link Learner} runs every objective with the same loop; it never learns the model's type
 * (torchrec's {@code DLRMTrain} wraps a model the same way).
 *
 * <p>A batch's {@link Batch#getData()} is the block's input and {@link Batch#getLabels()} what
 * {@link #loss()} reads besides the predictions; {@link Batch#getSize()} counts its training
 * examples (rows, pairs or positives) for the samples-per-second figure. The loop closes every
 * batch, and every epoch, in try-with-resources.
 */
public interface Objective extends AutoCloseable {

    /**
     * Returns the shapes {@code Trainer.initialize} takes for a batch of the configured size.
     *
     * @return the input shapes
     */
    Shape[] inputShapes();

    /**
     * Returns how many batches an epoch has, for the learning-rate schedule's length (an
     * objective whose epochs differ in size returns its first epoch's count).
     *
     * @return batches per epoch, at least 1
     */
    int batchesPerEpoch();

    /**
     * Returns the validation metrics {@link #validate} computes, in column order.
     *
     * @return the names, e.g. valid_mse, valid_rmse, valid_mae
     */
    List<String> metrics();

    /**
     * Starts an epoch.
     *
     * @param manager the epoch's manager: arrays that live for the epoch belong here; it is
     *     closed after the epoch
     * @param epoch the epoch, from 1
     * @return its batches
     */
    Epoch epoch(NDManager manager, int epoch);

    /**
     * Returns the loss of a batch's predictions.
     *
     * @return the loss
     */
    Loss loss();

    /**
     * Computes the validation metrics with the current parameters, in inference mode.
     *
     * @param trainer the trainer
     * @return {@link #metrics()} by name, in that order
     */
    Map<String, Double> validate(Trainer trainer);

    /**
     * Offers the forward pass, loss and backward pass of a block as one {@link HostStep}, for
     * the loop to use where every parameter is a row-sparse table on the host; the default
     * offers none, and the loop runs autograd.
     *
     * @param block the model's block
     * @return the step, or null
     */
    default HostStep hostStep(Block block) {
        return null;
    }

    /** Frees what the objective holds (rows on the device, a producer thread). */
    @Override
    default void close() {}

    /** One epoch's batches. */
    interface Epoch extends Iterator<Batch>, AutoCloseable {
        /**
         * Returns how many batches this epoch has.
         *
         * @return the count
         */
        int batches();

        /** Frees the epoch's arrays. */
        @Override
        default void close() {}
    }
}
