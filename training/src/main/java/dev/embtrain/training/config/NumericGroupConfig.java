package dev.embtrain.training.config;

import java.util.List;

/**
 * Real-valued columns of a side table grouped into one feature (feat2vec's grouped dense feature).
 *
 * @param name the feature's name, which dataset.features names
 * @param columns its columns
 */
@Doc("Real-valued columns grouped into one feature.")
public record NumericGroupConfig(
        @Doc("The feature's name, as dataset.features names it.") String name,
        @Doc("Its columns, two or more.") List<String> columns) {

    /** Validates the section. */
    public NumericGroupConfig {
        Check.notBlank("name", name);
        if (columns == null || columns.size() < 2) {
            throw new ConfigValueException("columns", "a group takes two or more columns (one column: list it under"
                    + " numeric), found " + (columns == null ? "none" : columns));
        }
        columns = List.copyOf(columns);
    }
}
