package dev.embtrain.training.config;

/**
 * What one field contributes to a factorization machine (feat2vec's options).
 *
 * @param field the field
 * @param mode bias_only or embeddings_only
 */
@Doc("What one field contributes to the factorization machine.")
public record FieldMode(
        @Doc("The field (one of dataset.features, or a cross).") String field,
        @Doc("both: a linear term and an embedding; bias_only: the linear term alone; embeddings_only: the embedding"
                + " alone.") Mode mode) {

    /** Validates the entry. */
    public FieldMode {
        Check.notBlank("field", field);
        if (mode == null) {
            throw new ConfigValueException("mode", "required key is missing");
        }
    }

    /** feat2vec's per-field modes. */
    public enum Mode implements YamlName {
        /** Linear term and embedding. */
        BOTH,
        /** Linear term only. */
        BIAS_ONLY,
        /** Embedding only. */
        EMBEDDINGS_ONLY;

        @Override
        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
