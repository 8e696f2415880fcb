package dev.embtrain.models;

import ai.djl.nn.Block;

/**
 * Everything a model's block is built from, as one record: the trainer builds its block from
 * it, and the serving export writes it to {@code serving.properties} (with {@link
 * dev.embtrain.models.serving.Specs}), from which {@link dev.embtrain.models.serving.SpecFactory}
 * builds the same block in DJL Serving. A new model type adds a record that implements this
 * interface next to its block; nothing else in this module changes.
 *
 * <p>Components may be {@code int}, {@code long}, {@code float}, {@code double}, {@code boolean},
 * {@code String}, an enum, or a {@code List} of those or of records of those.
 */
public interface BlockSpec {

    /**
     * Builds an uninitialised block.
     *
     * @return the block
     * @throws IllegalArgumentException naming the first bad value
     */
    Block newBlock();
}
