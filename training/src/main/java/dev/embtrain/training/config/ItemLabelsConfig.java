package dev.embtrain.training.config;

import java.nio.file.Path;

/**
 * A table of item labels (titles, descriptions) joined to the sessions' items by id.
 *
 * @param path the file
 * @param key the item id column
 * @param label the label column
 */
@Doc("A table labelling items (.csv, .tsv or .parquet, one row an item), for the Projector's metadata and"
        + " neighbours.")
public record ItemLabelsConfig(
        @Doc("The file.") Path path,
        @Doc("The item id column.") @Default("item") String key,
        @Doc("The label column.") @Default("label") String label) {

    /** Validates the section. */
    public ItemLabelsConfig {
        if (path == null) {
            throw new ConfigValueException("path", "required key is missing");
        }
        Check.notBlank("key", key);
        Check.notBlank("label", label);
        if (key.equals(label)) {
            throw new IllegalArgumentException("key and label must name different columns, found \"" + key + "\"");
        }
    }
}
