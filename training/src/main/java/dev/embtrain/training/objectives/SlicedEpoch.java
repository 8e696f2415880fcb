package dev.embtrain.training.objectives;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;
import dev.embtrain.training.engine.Objective;
import java.util.NoSuchElementException;

/**
 * An epoch of batches made on the host, one slice of the epoch's row order at a time: slice
 * {@code [from, to)} becomes a batch of {@code to - from} examples whose arrays belong to a
 * sub-manager of the epoch's, closed with the batch. Implicit feedback and feat2vec make their
 * batches this way, drawing negatives as each batch is made.
 */
final class SlicedEpoch implements Objective.Epoch {

    /** Makes one slice's input and labels. */
    @FunctionalInterface
    interface Maker {
        /**
         * Makes a batch's arrays.
         *
         * @param scope the batch's manager
         * @param from the slice's first position in the epoch's order
         * @param to one past its last
         * @return {@code {input, labels}}
         */
        NDList[] make(NDManager scope, int from, int to);
    }

    private final NDManager manager;
    private final int rows;
    private final int batchSize;
    private final int batches;
    private final Maker maker;
    private int b;

    /**
     * Starts the epoch.
     *
     * @param manager the epoch's manager
     * @param rows the examples of the epoch
     * @param batchSize examples per batch; the last batch may be smaller
     * @param maker makes each batch
     */
    SlicedEpoch(NDManager manager, int rows, int batchSize, Maker maker) {
        this.manager = manager;
        this.rows = rows;
        this.batchSize = batchSize;
        this.batches = (rows + batchSize - 1) / batchSize;
        this.maker = maker;
    }

    @Override
    public int batches() {
        return batches;
    }

    @Override
    public boolean hasNext() {
        return b < batches;
    }

    @Override
    public Batch next() {
        if (b >= batches) {
            throw new NoSuchElementException();
        }
        int from = b * batchSize;
        int to = Math.min(rows, from + batchSize);
        b++;
        NDManager scope = manager.newSubManager();
        NDList[] inputAndLabels = maker.make(scope, from, to);
        return new Batch(scope, inputAndLabels[0], inputAndLabels[1], to - from, Batchifier.STACK, Batchifier.STACK,
                b, batches);
    }
}
