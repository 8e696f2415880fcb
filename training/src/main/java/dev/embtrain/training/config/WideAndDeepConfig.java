package dev.embtrain.training.config;

import dev.embtrain.models.EmbeddingSizeRule;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Hyperparameters of {@link dev.embtrain.models.WideAndDeep}: the wide part is linear over the
 * one-hots of every field and every {@code dataset.crosses} column; the deep part is an MLP over
 * the fields' embeddings (widths by rule unless given) and the genres bag.
 *
 * @param objective binary (logit) or regression (sigmoid range)
 * @param layers hidden widths
 * @param dropout dropout after each hidden layer
 * @param batchNorm batch normalisation after each hidden layer
 * @param embeddingRule the rule for widths not given
 * @param embeddingSizes widths given per field
 * @param yRange the sigmoid range of a regression
 * @param initStd standard deviation of the embeddings' normal initialisation
 */
@Doc("Wide & deep (Cheng et al. 2016): a linear model over one-hots and hashed crosses plus an MLP over embeddings.")
public record WideAndDeepConfig(
        @Doc("binary: a logit trained with sigmoid cross-entropy (needs dataset.label.type: binary); regression: a"
                + " rating in y_range, MSE.") @Default("binary") Objective objective,
        @Doc("Hidden layer widths of the deep part, each Linear then ReLU.") @Default("[100, 50]") List<Integer> layers,
        @Doc("Dropout after each hidden layer.") @Default("0.0") double dropout,
        @Doc("Batch normalisation after each hidden layer.") @Default("false") boolean batchNorm,
        @Doc("Embedding widths from the vocabulary size n: fastai (min(600, round(1.6 n^0.56))) or fourth-root.")
                @Default("fastai") EmbeddingSizeRule embeddingRule,
        @Doc("Widths given per field, e.g. [{field: user, size: 32}]; the others come from embedding_rule.")
                @Default("[]") List<FieldSize> embeddingSizes,
        @Doc("Output range [lo, hi] of a regression.") @Default("[0.0, 5.5]") List<Double> yRange,
        @Doc("Standard deviation of the embeddings' normal initialisation.") @Default("0.01") double initStd)
        implements ModelConfig {

    /** Validates the section. */
    public WideAndDeepConfig {
        for (int units : layers) {
            if (units < 1) {
                throw new ConfigValueException("layers", "each must be > 0, found " + layers);
            }
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new ConfigValueException("dropout", "must be in [0, 1), found " + dropout);
        }
        Set<String> seen = new HashSet<>();
        for (FieldSize s : embeddingSizes) {
            if (!seen.add(s.field())) {
                throw new ConfigValueException("embedding_sizes", "field \"" + s.field() + "\" is listed twice");
            }
        }
        Check.range("y_range", yRange);
        Check.positive("init_std", initStd);
        layers = List.copyOf(layers);
        embeddingSizes = List.copyOf(embeddingSizes);
        yRange = List.copyOf(yRange);
    }

    /** {@inheritDoc} */
    @Override
    public java.util.Map<String, String> unreadKeys() {
        return objective == Objective.REGRESSION ? java.util.Map.of() : java.util.Map.of("y_range", "objective "
                + ConfigBinder.yamlName(objective) + " does not use it (only a regression maps into a range);"
                + " remove it, or pick objective: regression");
    }

    /** The head. */
    public enum Objective {
        /** A logit. */
        BINARY,
        /** A rating in y_range. */
        REGRESSION
    }
}
