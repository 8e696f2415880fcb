package dev.embtrain.training.config;

import java.util.Map;

/**
 * Marks a config section whose keys depend on its {@code type}: the interface lists its
 * variants, {@code type} name to record, in a static {@code VARIANTS} field of this type.
 */
public interface Variants {
    /**
     * Returns the {@code type} this variant is written under.
     *
     * @return the type name
     */
    default String type() {
        return ConfigBinder.typeName(this);
    }

    /** The variants of one section, in the order they are documented. */
    record Table(Map<String, Class<? extends Record>> byName) {}
}
