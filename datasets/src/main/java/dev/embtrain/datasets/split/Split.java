package dev.embtrain.datasets.split;

import java.util.Objects;

/**
 * Divides the rows of a table into a training part and a validation part, as row indices in
 * ascending (file) order.
 *
 * <p>The arrays are held as given, not copied, because a split of ml-25m holds 25 million
 * indices; treat them as read-only.
 *
 * @param train rows to train on, ascending
 * @param valid rows to validate on, ascending
 */
public record Split(int[] train, int[] valid) {
    /** Checks both parts are present. */
    public Split {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(valid, "valid");
    }

    /** The number of rows in both parts together. */
    public int size() {
        return train.length + valid.length;
    }

    @Override
    public String toString() {
        return "Split[train=" + train.length + " rows, valid=" + valid.length + " rows]";
    }
}
