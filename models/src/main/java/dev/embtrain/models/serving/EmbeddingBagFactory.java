package dev.embtrain.models.serving;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import dev.embtrain.models.EmbeddingBag;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Rebuilds an {@link EmbeddingBag} (item2vec) for DJL Serving from {@code serving.properties}:
 * {@code items} (rows, the unknown slot included), {@code vector_size}, {@code mode}
 * ({@code skip-gram} or {@code cbow}) and {@code pooling}.
 */
public final class EmbeddingBagFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        return EmbeddingBag.builder()
                .setVocabularySize(Arguments.integer(arguments, "items"))
                .setVectorSize(Arguments.integer(arguments, "vector_size"))
                .optMode(EmbeddingBag.Mode.valueOf(enumName(Arguments.string(arguments, "mode"))))
                .optPooling(EmbeddingBag.Pooling.valueOf(enumName(Arguments.string(arguments, "pooling"))))
                .build();
    }

    private static String enumName(String yaml) {
        return yaml.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
