package dev.embtrain.models;

/**
 * A categorical input field of a model: its name and the size of its frozen vocabulary.
 *
 * @param name the field's name; it also names the field's parameters and tables
 * @param vocabularySize rows of the field's tables, index 0 (unknown) included
 */
public record CategoricalField(String name, int vocabularySize) {

    /**
     * Checks the field.
     *
     * @throws IllegalArgumentException naming the field and the bad value
     */
    public CategoricalField {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("categorical field name must be non-empty, found \"" + name + "\"");
        }
        if (vocabularySize < 2) {
            throw new IllegalArgumentException("categorical field \"" + name
                    + "\": vocabulary size must be >= 2 (unknown + one id), found " + vocabularySize);
        }
    }
}
