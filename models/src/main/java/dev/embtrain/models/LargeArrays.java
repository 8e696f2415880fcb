package dev.embtrain.models;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Tables over 2 GB, read and written a block of rows at a time. DJL moves an array through one
 * Java buffer (its parameter file holds each array as one byte array with an int length), and
 * PyTorch's engine will not alias a tensor that large to a direct buffer; a row range of the
 * table is a view PyTorch keeps in the same storage, and each view under the limit passes.
 * Arrays at or under the limit take DJL's own path, so their parameter files are unchanged.
 */
public final class LargeArrays {

    /** The most bytes one array takes DJL's own path with. */
    public static final long LIMIT_BYTES = Integer.MAX_VALUE - 8;

    /**
     * Bytes in a block of rows: 64 MiB. Small, because DJL encodes an array for the model file
     * through about four Java copies of it (and on a heap without room for them its native code
     * crashes the JVM instead of throwing), and aliasing takes one direct buffer per block.
     */
    public static final long BLOCK_BYTES = 1L << 26;

    // System properties lower them for tests that start a child JVM (embtrain.large.limit, .block).
    private static volatile long limitBytes = Long.getLong("embtrain.large.limit", LIMIT_BYTES);
    private static volatile long blockBytes = Long.getLong("embtrain.large.block", BLOCK_BYTES);

    private static final char MARK = 'R';
    private static final byte VERSION = 1;

    private LargeArrays() {}

    /**
     * Lowers the limits, so that tests take the block path with small arrays; {@link #LIMIT_BYTES}
     * and {@link #BLOCK_BYTES} restore them. For tests only.
     *
     * @param limit bytes over which an array is large
     * @param block bytes in a block of rows
     */
    public static void limits(long limit, long block) {
        limitBytes = limit;
        blockBytes = block;
    }

    /**
     * Says whether an array of this shape is read and written in blocks of rows.
     *
     * @param shape the shape
     * @return true over {@link #LIMIT_BYTES} of float32
     */
    public static boolean large(Shape shape) {
        return shape != null && shape.size() * Float.BYTES > limitBytes;
    }

    /**
     * Returns the rows of one block of a {@code [rows, cols]} table.
     *
     * @param cols the width
     * @return at least 1
     */
    public static long blockRows(long cols) {
        return Math.max(1, blockBytes / (Math.max(1, cols) * Float.BYTES));
    }

    /**
     * Returns views of consecutive row blocks of a 2-d array, sharing its storage; the caller
     * closes them (closing a view leaves the array).
     *
     * @param array {@code [rows, cols]}
     * @return the views, in row order
     */
    public static List<NDArray> rowBlocks(NDArray array) {
        long rows = array.getShape().get(0);
        long block = blockRows(array.getShape().size() / Math.max(1, rows));
        List<NDArray> out = new ArrayList<>();
        for (long from = 0; from < rows; from += block) {
            out.add(array.get(new NDIndex("{}:{}", from, Math.min(rows, from + block))));
        }
        return out;
    }

    /**
     * Copies an array's values out, in blocks when it is large.
     *
     * @param array a float32 array of at most {@code Integer.MAX_VALUE - 8} values
     * @return its values, row-major
     */
    public static float[] toFloats(NDArray array) {
        if (!large(array.getShape())) {
            return array.toFloatArray();
        }
        float[] out = new float[Math.toIntExact(array.size())];
        int at = 0;
        for (NDArray view : rowBlocks(array)) {
            try (view) {
                float[] part = view.toFloatArray();
                System.arraycopy(part, 0, out, at, part.length);
                at += part.length;
            }
        }
        return out;
    }

    /**
     * Sets an array's values, in blocks when it is large.
     *
     * @param array a float32 array
     * @param values as many values, row-major
     */
    public static void set(NDArray array, float[] values) {
        if (!large(array.getShape())) {
            array.set(FloatBuffer.wrap(values));
            return;
        }
        long rows = array.getShape().get(0);
        int cols = Math.toIntExact(array.size() / rows);
        long block = blockRows(cols);
        NDManager manager = array.getManager();
        // PyTorch refuses in-place writes to a leaf that requires a gradient.
        boolean gradient = array.hasGradient();
        if (gradient) {
            array.setRequiresGradient(false);
        }
        for (long from = 0; from < rows; from += block) {
            long to = Math.min(rows, from + block);
            int n = Math.toIntExact((to - from) * cols);
            try (NDManager scratch = manager.newSubManager()) {
                NDArray part = scratch.create(FloatBuffer.wrap(values, Math.toIntExact(from * cols), n),
                        new Shape(to - from, cols));
                array.set(new NDIndex("{}:{}", from, to), part);
            }
        }
        if (gradient) {
            array.setRequiresGradient(true);
        }
    }

    /**
     * Writes a block's parameters as {@code AbstractBaseBlock.saveParameters} does, but a large
     * parameter in row blocks, each encoded as DJL encodes an array.
     *
     * @param block the block
     * @param version its version byte
     * @param metadata writes the block's metadata
     * @param os where to write
     * @throws IOException when writing fails
     */
    public static void saveParameters(Block block, byte version, IoAction metadata, DataOutputStream os)
            throws IOException {
        os.write(version);
        metadata.run();
        for (Parameter p : block.getDirectParameters().values()) {
            if (!p.isInitialized() || !large(p.getArray().getShape())) {
                p.save(os);
                continue;
            }
            os.writeChar(MARK);
            os.writeByte(VERSION);
            os.writeUTF(p.getName());
            List<NDArray> views = rowBlocks(p.getArray());
            os.writeInt(views.size());
            for (NDArray view : views) {
                try (view) {
                    os.write(view.encode());
                }
            }
        }
        for (Block child : block.getChildren().values()) {
            child.saveParameters(os);
        }
    }

    /**
     * Reads what {@link #saveParameters} wrote. A large parameter (by the shape the block gave
     * it) is first initialised, then filled block by block.
     *
     * @param block the block
     * @param manager where the arrays go
     * @param is where to read
     * @param metadata reads the version byte's metadata
     * @throws IOException when reading fails
     * @throws MalformedModelException when the file does not fit the block
     */
    public static void loadParameters(Block block, NDManager manager, DataInputStream is, MetadataReader metadata)
            throws IOException, MalformedModelException {
        metadata.read(is.readByte(), is);
        for (Parameter p : block.getDirectParameters().values()) {
            if (!large(p.getShape())) {
                p.load(manager, is);
                continue;
            }
            char mark = is.readChar();
            if (mark != MARK) {
                throw new MalformedModelException("parameter " + p.getName() + " of " + p.getShape()
                        + " was not saved in row blocks");
            }
            byte v = is.readByte();
            if (v != VERSION) {
                throw new MalformedModelException("Unsupported row-block encoding version: " + v);
            }
            String name = is.readUTF();
            if (!name.equals(p.getName())) {
                throw new MalformedModelException("Unexpected parameter name: " + name + ", expected: " + p.getName());
            }
            // Zeros, without a gradient while it is filled (PyTorch refuses in-place writes to a
            // leaf that requires one), then as the block declared it.
            Initializer init = p.getInitializer();
            boolean gradient = p.requiresGradient();
            p.setInitializer(Initializer.ZEROS);
            p.freeze(true);
            p.initialize(manager, DataType.FLOAT32);
            p.setInitializer(init);
            NDArray array = p.getArray();
            int blocks = is.readInt();
            long from = 0;
            for (int b = 0; b < blocks; b++) {
                try (NDManager scratch = manager.newSubManager()) {
                    NDArray part = scratch.decode(is);
                    long to = from + part.getShape().get(0);
                    array.set(new NDIndex("{}:{}", from, to), part);
                    from = to;
                }
            }
            if (from != p.getShape().get(0)) {
                throw new MalformedModelException("parameter " + p.getName() + " has " + from + " rows in its file, "
                        + p.getShape().get(0) + " in the model");
            }
            p.freeze(!gradient);
        }
        for (Block child : block.getChildren().values()) {
            child.loadParameters(manager, is);
        }
    }

    /** Writes metadata. */
    @FunctionalInterface
    public interface IoAction {
        /**
         * Runs.
         *
         * @throws IOException when writing fails
         */
        void run() throws IOException;
    }

    /** Reads metadata after the version byte. */
    @FunctionalInterface
    public interface MetadataReader {
        /**
         * Reads.
         *
         * @param version the version byte read
         * @param is where to read
         * @throws IOException when reading fails
         * @throws MalformedModelException when the version is not the block's
         */
        void read(byte version, DataInputStream is) throws IOException, MalformedModelException;
    }
}
