package dev.embtrain.models.serving;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds any embtrain block in DJL Serving: reads the {@link dev.embtrain.models.BlockSpec}
 * record that {@code serving.properties} names in {@code spec}, with its components, and asks
 * it for its block; the parameters are then loaded from the {@code .params} file.
 */
public final class SpecFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        return Specs.read(arguments).newBlock();
    }
}
