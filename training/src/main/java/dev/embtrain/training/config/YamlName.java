package dev.embtrain.training.config;

/**
 * An enum whose YAML spelling is not the default (lower case, '_' written '-'), such as metric
 * names that are also CSV column names ({@code valid_mse}).
 */
public interface YamlName {
    /**
     * Returns the spelling used in YAML.
     *
     * @return the YAML name
     */
    String yamlName();
}
