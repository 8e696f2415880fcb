package dev.embtrain.models;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A block with embedding tables, which may be over 2 GB: it saves and loads its parameters as
 * DJL does, but a table over the limit in row blocks ({@link LargeArrays}).
 */
public abstract class TableBlock extends AbstractBlock implements HasEmbeddingTables {

    /**
     * Creates the block.
     *
     * @param version the block's version, saved with its parameters
     */
    protected TableBlock(byte version) {
        super(version);
    }

    /** Saves as DJL does, but a table over 2 GB in row blocks. */
    @Override
    public void saveParameters(DataOutputStream os) throws IOException {
        LargeArrays.saveParameters(this, version, () -> saveMetadata(os), os);
    }

    /** Loads what {@link #saveParameters} wrote. */
    @Override
    public void loadParameters(NDManager manager, DataInputStream is) throws IOException, MalformedModelException {
        LargeArrays.loadParameters(this, manager, is, this::loadMetadata);
    }
}
