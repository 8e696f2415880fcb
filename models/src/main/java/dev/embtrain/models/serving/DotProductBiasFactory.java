package dev.embtrain.models.serving;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import dev.embtrain.models.DotProductBias;
import java.nio.file.Path;
import java.util.Map;

/**
 * Rebuilds a {@link DotProductBias} for DJL Serving from the arguments an exported model
 * directory's {@code serving.properties} holds ({@code users}, {@code items}, {@code factors},
 * {@code y_lo}, {@code y_hi}); the parameters are then loaded from the {@code .params} file.
 */
public final class DotProductBiasFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        return DotProductBias.builder()
                .setVocabularySizes(Arguments.integer(arguments, "users"), Arguments.integer(arguments, "items"))
                .setFactors(Arguments.integer(arguments, "factors"))
                .optYRange(Arguments.number(arguments, "y_lo"), Arguments.number(arguments, "y_hi"))
                .build();
    }
}
