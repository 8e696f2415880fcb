package dev.embtrain.training.config;

/**
 * An embedding width given for one field, overriding the model's size rule.
 *
 * @param field the field
 * @param size its embedding width
 */
@Doc("An embedding width for one field, instead of the one embedding_rule gives.")
public record FieldSize(
        @Doc("The field (one of dataset.features).") String field,
        @Doc("Its embedding width.") int size) {

    /** Validates the entry. */
    public FieldSize {
        Check.notBlank("field", field);
        Check.positive("size", size);
    }
}
