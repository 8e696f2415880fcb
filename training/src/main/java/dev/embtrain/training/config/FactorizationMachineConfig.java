package dev.embtrain.training.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Hyperparameters of {@link dev.embtrain.models.FactorizationMachine}: one embedding of
 * {@code factors} per field of {@code dataset.features} (and per cross), a linear projection
 * for the genres bag, O(n·k) pairwise interactions; vocabulary sizes come from the data.
 *
 * @param factors latent factors per field value
 * @param objective regression, binary or implicit
 * @param fieldModes per-field bias_only / embeddings_only
 * @param globalBias whether to learn w_0
 * @param yRange the sigmoid range of a regression
 * @param initStd standard deviation of the normal initialisation
 * @param negatives implicit: negatives per positive
 * @param fieldExponent implicit: α1, a field is corrupted with probability ∝ params^α1
 * @param valueExponent implicit: α2, a replacement value is drawn ∝ (count + value_bias)^α2
 * @param valueBias implicit: added to each value's count
 * @param loss implicit: ns (negative sampling) or nce
 */
@Doc("A factorization machine over every field of dataset.features (Rendle 2010; feat2vec's per-field modes).")
public record FactorizationMachineConfig(
        @Doc("Latent factors of every field's embedding.") @Default("50") int factors,
        @Doc("regression: rating in y_range, MSE; binary: logit, sigmoid cross-entropy (needs dataset.label.type:"
                + " binary); implicit: feat2vec's negative sampling on positives only (synthetic-feat2vec rows, or the rows of"
                + " any ratings dataset with the side features dataset.features names).")
                @Default("regression") Objective objective,
        @Doc("Per-field modes, e.g. [{field: year, mode: bias_only}]; unlisted fields use both.") @Default("[]")
                List<FieldMode> fieldModes,
        @Doc("Learn a global bias w_0.") @Default("true") boolean globalBias,
        @Doc("Output range [lo, hi] of a regression.") @Default("[0.0, 5.5]") List<Double> yRange,
        @Doc("Standard deviation of the embeddings' and biases' normal initialisation.") @Default("0.01")
                double initStd,
        @Doc("implicit: negatives drawn per positive row.") @Default("5") int negatives,
        @Doc("implicit: alpha1; the field to corrupt is drawn with probability proportional to its parameters^alpha1.")
                @Default("0.25") double fieldExponent,
        @Doc("implicit: alpha2; the replacement value is drawn proportional to (count + value_bias)^alpha2.")
                @Default("0.75") double valueExponent,
        @Doc("implicit: added to every value's count, so values unseen in training are drawn too.") @Default("1.0")
                double valueBias,
        @Doc("implicit: ns (negative sampling, logistic loss on positives and negatives) or nce.") @Default("ns")
                ImplicitLoss loss)
        implements ModelConfig {

    /** Validates the section. */
    public FactorizationMachineConfig {
        Check.positive("factors", factors);
        Check.range("y_range", yRange);
        Check.positive("init_std", initStd);
        Check.positive("negatives", negatives);
        Check.nonNegative("field_exponent", fieldExponent);
        Check.nonNegative("value_exponent", valueExponent);
        Check.positive("value_bias", valueBias);
        Set<String> seen = new HashSet<>();
        for (FieldMode m : fieldModes) {
            if (!seen.add(m.field())) {
                throw new ConfigValueException("field_modes", "field \"" + m.field() + "\" is listed twice");
            }
        }
        fieldModes = List.copyOf(fieldModes);
        yRange = List.copyOf(yRange);
    }

    /** {@inheritDoc} */
    @Override
    public java.util.Map<String, String> unreadKeys() {
        java.util.Map<String, String> unread = new java.util.LinkedHashMap<>();
        String objectiveName = "objective " + ConfigBinder.yamlName(objective);
        if (objective != Objective.REGRESSION) {
            unread.put("y_range", objectiveName + " does not use it (only a regression maps into a range); remove it,"
                    + " or pick objective: regression");
        }
        if (objective != Objective.IMPLICIT) {
            for (String key : List.of("negatives", "field_exponent", "value_exponent", "value_bias", "loss")) {
                unread.put(key, objectiveName + " does not use it (it configures the implicit sampler); remove it,"
                        + " or pick objective: implicit");
            }
        }
        return unread;
    }

    /** What the model is trained to predict. */
    public enum Objective {
        /** A rating in y_range, MSE. */
        REGRESSION,
        /** A logit, sigmoid cross-entropy. */
        BINARY,
        /** Positives only, negatives sampled (feat2vec). */
        IMPLICIT
    }

    /** The implicit objective's losses. */
    public enum ImplicitLoss {
        /** Negative sampling: logistic loss, positives 1, negatives 0. */
        NS,
        /** Noise-contrastive estimation: the logit corrected by the negative's sampling probability. */
        NCE
    }
}
