package dev.embtrain.training.job;

import ai.djl.nn.Block;
import dev.embtrain.models.DeepCollaborative;
import dev.embtrain.models.DotProductBias;
import dev.embtrain.training.config.DeepCollaborativeConfig;
import dev.embtrain.training.config.DotProductBiasConfig;
import dev.embtrain.training.config.ModelConfig;
import java.util.Map;

/**
 * Builds the Block a {@code model} section names, with the sizes the data decided: the one
 * place where YAML hyperparameters meet vocabulary sizes.
 */
public final class ModelFactory {

    private ModelFactory() {}

    /**
     * Builds a model.
     *
     * @param config the model section
     * @param vocabularySizes rows per vocabulary ({@code user}, {@code item}), unknown included
     * @return the uninitialised block
     */
    public static Block build(ModelConfig config, Map<String, Integer> vocabularySizes) {
        if (config instanceof DotProductBiasConfig dpb) {
            return DotProductBias.builder()
                    .setVocabularySizes(size(vocabularySizes, "user"), size(vocabularySizes, "item"))
                    .setFactors(dpb.factors())
                    .optYRange(dpb.yRange().get(0).floatValue(), dpb.yRange().get(1).floatValue())
                    .optInitStd((float) dpb.initStd())
                    .optFields(RatingsData.FIELDS)
                    .build();
        }
        if (config instanceof DeepCollaborativeConfig dc) {
            return DeepCollaborative.builder()
                    .setVocabularySizes(size(vocabularySizes, "user"), size(vocabularySizes, "item"))
                    .optLayers(dc.layers())
                    .optDropout((float) dc.dropout())
                    .optBatchNorm(dc.batchNorm())
                    .optEmbeddingSizeRule(dc.embeddingRule())
                    .optEmbeddingWidths(dc.userEmbeddingSize(), dc.itemEmbeddingSize())
                    .optYRange(dc.yRange().get(0).floatValue(), dc.yRange().get(1).floatValue())
                    .optInitStd((float) dc.initStd())
                    .optFields(RatingsData.FIELDS)
                    .build();
        }
        throw new IllegalStateException("no builder for model type " + config.type());
    }

    private static int size(Map<String, Integer> sizes, String vocabulary) {
        Integer n = sizes.get(vocabulary);
        if (n == null) {
            throw new IllegalArgumentException("no vocabulary \"" + vocabulary + "\" among " + sizes.keySet());
        }
        return n;
    }
}
