package dev.embtrain.training.data;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.training.dataset.Batch;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * One split's rows held on the training device as categorical ids {@code int64 [N, F]}, dense
 * values {@code float32 [N, G]} (only when G &gt; 0) and labels {@code float32 [N]}, cut into
 * {@link Batch}es by slicing. A batch's data is {@code NDList{ids [B, F]}} or, with dense
 * values, {@code NDList{ids [B, F], dense [B, G]}}, the input layout of every model here.
 *
 * <p>Why not DJL's {@code ArrayDataset}: it builds each batch by stacking one small NDArray per
 * row, about a hundred native calls for a batch of 64, which costs more than the training step
 * itself for embedding models. Here an epoch costs one gather (the shuffle) and each batch two
 * slices.
 */
public final class Batches implements AutoCloseable {

    private final NDManager manager;
    private final NDArray features;
    private final NDArray dense;
    private final NDArray labels;
    private final int rows;

    /**
     * Copies a split of ids alone onto a device.
     *
     * @param parent the manager whose child will own the arrays
     * @param device the device
     * @param ids row-major ids, {@code rows * fields} of them
     * @param fields F, the number of categorical fields
     * @param labels one label per row
     */
    public Batches(NDManager parent, Device device, long[] ids, int fields, float[] labels) {
        this(parent, device, ids, fields, new float[0], 0, labels);
    }

    /**
     * Copies a split onto a device.
     *
     * @param parent the manager whose child will own the arrays
     * @param device the device
     * @param ids row-major ids, {@code rows * fields} of them
     * @param fields F, the number of id columns
     * @param dense row-major dense values, {@code rows * denseWidth} of them
     * @param denseWidth G, 0 for none
     * @param labels one label per row
     */
    public Batches(NDManager parent, Device device, long[] ids, int fields, float[] dense, int denseWidth,
            float[] labels) {
        if (ids.length != (long) labels.length * fields) {
            throw new IllegalArgumentException(
                    "ids hold " + ids.length + " values, expected " + labels.length + " rows x " + fields + " fields");
        }
        if (dense.length != (long) labels.length * denseWidth) {
            throw new IllegalArgumentException("dense values hold " + dense.length + ", expected " + labels.length
                    + " rows x " + denseWidth + " columns");
        }
        this.manager = parent.newSubManager(device);
        this.rows = labels.length;
        this.features = manager.create(ids, new Shape(rows, fields));
        this.dense = denseWidth == 0 ? null : manager.create(dense, new Shape(rows, denseWidth));
        this.labels = manager.create(labels);
    }

    /**
     * Returns the number of rows.
     *
     * @return N
     */
    public int rows() {
        return rows;
    }

    /**
     * Returns the number of batches an epoch has.
     *
     * @param batchSize rows per batch
     * @return {@code ceil(N / batchSize)}; the last batch may be smaller
     */
    public int batchCount(int batchSize) {
        return (rows + batchSize - 1) / batchSize;
    }

    /**
     * Iterates one epoch. Each batch owns its own manager; close it (try-with-resources) after
     * the step. The epoch's shuffled copy lives until the iterator is exhausted or closed.
     *
     * @param batchSize rows per batch
     * @param shuffle the epoch's random order, or null to keep row order
     * @return the batches
     */
    public Epoch epoch(int batchSize, SplittableRandom shuffle) {
        return new Epoch(batchSize, shuffle);
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        manager.close();
    }

    /** One pass over the rows. */
    public final class Epoch implements Iterator<Batch>, AutoCloseable {
        private final NDManager epochManager;
        private final NDArray x;
        private final NDArray d;
        private final NDArray y;
        private final int batchSize;
        private int start;

        private Epoch(int batchSize, SplittableRandom shuffle) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be > 0, found " + batchSize);
            }
            this.batchSize = batchSize;
            this.epochManager = manager.newSubManager();
            if (shuffle == null) {
                x = features;
                d = dense;
                y = labels;
            } else {
                NDArray order = epochManager.create(permutation(rows, shuffle));
                x = features.get(order);
                y = labels.get(order);
                d = dense == null ? null : dense.get(order);
                if (d != null) {
                    d.attach(epochManager);
                }
                x.attach(epochManager);
                y.attach(epochManager);
            }
        }

        /** {@inheritDoc} */
        @Override
        public boolean hasNext() {
            if (start < rows) {
                return true;
            }
            close();
            return false;
        }

        /** {@inheritDoc} */
        @Override
        public Batch next() {
            if (start >= rows) {
                throw new NoSuchElementException();
            }
            int end = Math.min(rows, start + batchSize);
            long number = start / batchSize + 1;
            NDIndex slice = new NDIndex().addSliceDim(start, end);
            NDManager batchManager = epochManager.newSubManager();
            NDList data = d == null ? new NDList(x.get(slice)) : new NDList(x.get(slice), d.get(slice));
            Batch batch = new Batch(batchManager, data, new NDList(y.get(slice)),
                    end - start, Batchifier.STACK, Batchifier.STACK, number, batchCount(batchSize));
            start = end;
            return batch;
        }

        /** {@inheritDoc} */
        @Override
        public void close() {
            epochManager.close();
        }
    }

    /**
     * Returns a uniformly random permutation of {@code 0..n-1} (Fisher–Yates).
     *
     * @param n the size
     * @param rng the source of randomness
     * @return the permutation
     */
    static long[] permutation(int n, SplittableRandom rng) {
        long[] p = new long[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            long t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
