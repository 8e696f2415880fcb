package dev.embtrain.models;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * A block with embedding tables, which may be over 2 GB: it saves and loads its parameters as
 * DJL's {@code AbstractBaseBlock} does, but a parameter over the limit as row blocks, each
 * encoded as DJL encodes an array ({@link LargeArrays}). Smaller parameters keep DJL's format, so
 * model files without a large table are as they were.
 */
public abstract class TableBlock extends AbstractBlock implements HasEmbeddingTables {

    private static final char MARK = 'R';
    private static final byte ROW_BLOCKS_VERSION = 1;

    /**
     * Creates the block.
     *
     * @param version the block's version, saved with its parameters
     */
    protected TableBlock(byte version) {
        super(version);
    }

    /** {@inheritDoc} */
    @Override
    public void saveParameters(DataOutputStream os) throws IOException {
        os.write(version);
        saveMetadata(os);
        for (Parameter p : getDirectParameters().values()) {
            if (!p.isInitialized() || !LargeArrays.large(p.getArray().getShape())) {
                p.save(os);
                continue;
            }
            os.writeChar(MARK);
            os.writeByte(ROW_BLOCKS_VERSION);
            os.writeUTF(p.getName());
            List<NDArray> views = LargeArrays.rowBlocks(p.getArray());
            os.writeInt(views.size());
            for (NDArray view : views) {
                try (view) {
                    os.write(view.encode());
                }
            }
        }
        for (Block child : getChildren().values()) {
            child.saveParameters(os);
        }
    }

    /**
     * Reads what {@link #saveParameters} wrote. A large parameter (by the shape the block gave
     * it) is first made, zeros, then filled block by block.
     */
    @Override
    public void loadParameters(NDManager manager, DataInputStream is) throws IOException, MalformedModelException {
        loadMetadata(is.readByte(), is);
        for (Parameter p : getDirectParameters().values()) {
            if (!LargeArrays.large(p.getShape())) {
                p.load(manager, is);
                continue;
            }
            char mark = is.readChar();
            if (mark != MARK) {
                throw new MalformedModelException("parameter " + p.getName() + " of " + p.getShape()
                        + " was not saved in row blocks");
            }
            byte v = is.readByte();
            if (v != ROW_BLOCKS_VERSION) {
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
        for (Block child : getChildren().values()) {
            child.loadParameters(manager, is);
        }
    }
}
