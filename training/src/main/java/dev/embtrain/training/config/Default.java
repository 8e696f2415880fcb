package dev.embtrain.training.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value a config key takes when the YAML leaves it out, written as YAML ({@code "0.2"},
 * {@code "[0.9, 0.99]"}, {@code "{}"} for a section of defaults). A component without it is
 * required.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface Default {
    /**
     * Returns the default, as YAML.
     *
     * @return the default
     */
    String value();
}
