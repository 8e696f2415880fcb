package dev.embtrain.models;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;

/**
 * A model that maps each row of a batch to one float32 score (a rating, or a logit), so its
 * output is {@code [B]}; the shape contract every block here shares, stated once.
 */
public abstract class ScoreBlock extends AbstractBlock implements HasEmbeddingTables {

    /**
     * Creates the block.
     *
     * @param version the block's version, saved with its parameters
     */
    protected ScoreBlock(byte version) {
        super(version);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0))};
    }

    /** {@inheritDoc} */
    @Override
    public DataType[] getOutputDataTypes() {
        return new DataType[] {DataType.FLOAT32};
    }

    /** Saves as DJL does, but a table over 2 GB in row blocks ({@link LargeArrays}). */
    @Override
    public void saveParameters(java.io.DataOutputStream os) throws java.io.IOException {
        LargeArrays.saveParameters(this, version, () -> saveMetadata(os), os);
    }

    /** Loads what {@link #saveParameters} wrote. */
    @Override
    public void loadParameters(ai.djl.ndarray.NDManager manager, java.io.DataInputStream is)
            throws java.io.IOException, ai.djl.MalformedModelException {
        LargeArrays.loadParameters(this, manager, is, this::loadMetadata);
    }
}
