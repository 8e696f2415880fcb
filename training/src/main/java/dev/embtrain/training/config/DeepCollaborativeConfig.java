package dev.embtrain.training.config;

import dev.embtrain.models.EmbeddingSizeRule;
import java.util.List;

/**
 * Hyperparameters of {@link dev.embtrain.models.DeepCollaborative}; vocabulary sizes come from
 * the data, embedding widths from a named rule unless given.
 *
 * @param layers hidden layer widths
 * @param dropout dropout after each hidden layer
 * @param batchNorm batch normalisation after each hidden layer
 * @param embeddingRule the rule for widths left at 0
 * @param userEmbeddingSize the user embedding's width, 0 for the rule
 * @param itemEmbeddingSize the item embedding's width, 0 for the rule
 * @param yRange the sigmoid range of predictions
 * @param initStd standard deviation of the embeddings' normal initialisation
 */
@Doc("A neural network over concatenated user and item embeddings (fastai's CollabNN).")
public record DeepCollaborativeConfig(
        @Doc("Hidden layer widths, each Linear then ReLU; [] is a linear model over the embeddings.")
                @Default("[100]") List<Integer> layers,
        @Doc("Dropout after each hidden layer.") @Default("0.0") double dropout,
        @Doc("Batch normalisation after each hidden layer.") @Default("false") boolean batchNorm,
        @Doc("Embedding widths from the vocabulary size n: fastai (min(600, round(1.6 n^0.56))) or fourth-root"
                        + " (round(n^0.25), Google's).")
                @Default("fastai") EmbeddingSizeRule embeddingRule,
        @Doc("The user embedding's width; 0 takes it from embedding_rule.") @Default("0") int userEmbeddingSize,
        @Doc("The item embedding's width; 0 takes it from embedding_rule.") @Default("0") int itemEmbeddingSize,
        @Doc("Output range [lo, hi].") @Default("[0.0, 5.5]") List<Double> yRange,
        @Doc("Standard deviation of the embeddings' normal initialisation.") @Default("0.01") double initStd)
        implements ModelConfig {

    /** Validates the section. */
    public DeepCollaborativeConfig {
        for (int units : layers) {
            if (units < 1) {
                throw new ConfigValueException("layers", "each must be > 0, found " + layers);
            }
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new ConfigValueException("dropout", "must be in [0, 1), found " + dropout);
        }
        if (userEmbeddingSize < 0) {
            throw new ConfigValueException("user_embedding_size", "must be >= 0, found " + userEmbeddingSize);
        }
        if (itemEmbeddingSize < 0) {
            throw new ConfigValueException("item_embedding_size", "must be >= 0, found " + itemEmbeddingSize);
        }
        Check.range("y_range", yRange);
        Check.positive("init_std", initStd);
        layers = List.copyOf(layers);
        yRange = List.copyOf(yRange);
    }
}
