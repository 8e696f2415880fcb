package dev.embtrain.models.serving;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import dev.embtrain.models.DeepCollaborative;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a {@link DeepCollaborative} for DJL Serving from {@code serving.properties}:
 * {@code users}, {@code items}, {@code user_width}, {@code item_width}, {@code layers}
 * (comma-separated, may be empty), {@code dropout}, {@code batch_norm}, {@code y_lo},
 * {@code y_hi}.
 */
public final class DeepCollaborativeFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        List<Integer> layers = new ArrayList<>();
        for (String s : Arguments.string(arguments, "layers").split(",")) {
            if (!s.isBlank()) {
                layers.add(Integer.parseInt(s.trim()));
            }
        }
        return DeepCollaborative.builder()
                .setVocabularySizes(Arguments.integer(arguments, "users"), Arguments.integer(arguments, "items"))
                .optEmbeddingWidths(Arguments.integer(arguments, "user_width"), Arguments.integer(arguments, "item_width"))
                .optLayers(layers)
                .optDropout(Arguments.number(arguments, "dropout"))
                .optBatchNorm(Boolean.parseBoolean(Arguments.string(arguments, "batch_norm")))
                .optYRange(Arguments.number(arguments, "y_lo"), Arguments.number(arguments, "y_hi"))
                .build();
    }
}
