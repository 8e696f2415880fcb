package dev.embtrain.training.config;

import dev.embtrain.training.modeltypes.ModelTypes;

/**
 * The {@code model} section: one record per {@code model.type}, each listed by its entry in
 * {@link ModelTypes}.
 */
public interface ModelConfig extends Variants {

    /** The model types, by the name written in {@code model.type}. */
    Variants.Table VARIANTS = new Variants.Table(ModelTypes.variants());

    /**
     * Returns the keys of this section that its own choices leave unread (the sampler's keys of
     * a model that does not sample), each with what would read it; written explicitly, they are
     * a config error, and a dumped config leaves them out ({@link UnreadKeys}).
     *
     * @return each unread key, in snake case relative to {@code model}, with why
     */
    default java.util.Map<String, String> unreadKeys() {
        return java.util.Map.of();
    }
}
