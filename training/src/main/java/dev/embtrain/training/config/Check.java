package dev.embtrain.training.config;

import java.util.List;

/** The checks config records run in their compact constructors, with uniform messages. */
public final class Check {

    private Check() {}

    /**
     * Refuses a value below 1.
     *
     * @param key the YAML key
     * @param value the value
     */
    public static void positive(String key, long value) {
        if (value < 1) {
            throw new ConfigValueException(key, "must be > 0, found " + value);
        }
    }

    /**
     * Refuses a value that is not finite or not above 0.
     *
     * @param key the YAML key
     * @param value the value
     */
    public static void positive(String key, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new ConfigValueException(key, "must be > 0, found " + value);
        }
    }

    /**
     * Refuses a negative or non-finite value.
     *
     * @param key the YAML key
     * @param value the value
     */
    public static void nonNegative(String key, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new ConfigValueException(key, "must be >= 0, found " + value);
        }
    }

    /**
     * Refuses a value outside the open interval (lo, hi).
     *
     * @param key the YAML key
     * @param value the value
     * @param lo lower end, excluded
     * @param hi upper end, excluded
     */
    public static void openInterval(String key, double value, double lo, double hi) {
        if (!(value > lo && value < hi)) {
            throw new ConfigValueException(
                    key, "must be in (" + plain(lo) + ", " + plain(hi) + "), found " + value);
        }
    }

    /**
     * Refuses a list whose size is not {@code size}.
     *
     * @param key the YAML key
     * @param list the list
     * @param size the expected size
     */
    public static void size(String key, List<?> list, int size) {
        if (list.size() != size) {
            throw new ConfigValueException(
                    key, "expected a list of " + size + " numbers, found " + list.size() + ": " + list);
        }
    }

    /**
     * Refuses a null or blank string.
     *
     * @param key the YAML key
     * @param value the value
     */
    public static void notBlank(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigValueException(key, "must not be empty");
        }
    }

    /**
     * Refuses an output range that is not two numbers lo &lt; hi.
     *
     * @param key the YAML key
     * @param range the range
     */
    public static void range(String key, List<Double> range) {
        size(key, range, 2);
        if (!(range.get(0) < range.get(1))) {
            throw new ConfigValueException(key, "expected [lo, hi] with lo < hi, found " + range);
        }
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
