package dev.embtrain.models;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A model that maps each row of a batch to one float32 score (a rating, or a logit), so its
 * output is {@code [B]}; the shape contract every block here shares, stated once.
 */
public abstract class ScoreBlock extends TableBlock {

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
}
