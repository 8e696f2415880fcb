package dev.embtrain.training.config;

import dev.embtrain.training.modeltypes.ModelTypes;

/**
 * The {@code model} section: one record per {@code model.type}, each listed by its entry in
 * {@link ModelTypes}.
 */
public interface ModelConfig extends Variants {

    /** The model types, by the name written in {@code model.type}. */
    Variants.Table VARIANTS = new Variants.Table(ModelTypes.variants());
}
