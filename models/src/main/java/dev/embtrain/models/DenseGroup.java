package dev.embtrain.models;

/**
 * A named group of consecutive columns of a model's dense input: feat2vec's grouped
 * attributes, or one precomputed vector (a 512-wide image embedding).
 *
 * @param name the group's name; it also names the group's parameters and tables
 * @param width how many columns the group spans
 */
public record DenseGroup(String name, int width) {

    /**
     * Checks the group.
     *
     * @throws IllegalArgumentException naming the group and the bad value
     */
    public DenseGroup {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("dense group name must be non-empty, found \"" + name + "\"");
        }
        if (width < 1) {
            throw new IllegalArgumentException("dense group \"" + name + "\": width must be > 0, found " + width);
        }
    }
}
