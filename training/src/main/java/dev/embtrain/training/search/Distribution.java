package dev.embtrain.training.search;

import java.util.List;

/**
 * The range one hyperparameter is searched over. Samplers work in an internal space where the
 * distribution is uniform on {@code [internalLow, internalHigh]} (logarithms for
 * {@link LogUniform}); values handed to the objective are {@link Double} for real ranges,
 * {@link Integer} for {@link IntUniform}, and the chosen {@link String} for {@link Choice}.
 */
public sealed interface Distribution {

    /**
     * The lower end of the internal space, where the distribution is uniform.
     *
     * @return log(low) for log-uniform, low − ½ for integers (so rounding gives each integer the
     *     same width), the low end otherwise; 0 for choices
     */
    double internalLow();

    /**
     * The upper end of the internal space.
     *
     * @return log(high), high + ½ for integers, high otherwise; the number of values for choices
     */
    double internalHigh();

    /**
     * Maps a point of the internal space to the value the objective sees.
     *
     * @param x a point in [internalLow, internalHigh] (an index for choices)
     * @return the value, clamped into the range
     */
    Object fromInternal(double x);

    /**
     * Maps a value back to the internal space.
     *
     * @param value a value this distribution produced
     * @return its internal coordinate (its index for choices)
     */
    double toInternal(Object value);

    /**
     * A real value whose logarithm is uniform on [log low, log high]: learning rates, weight decay.
     *
     * @param low the smallest value, above 0
     * @param high the largest value
     */
    record LogUniform(double low, double high) implements Distribution {
        /** Refuses a range that is empty, not positive or not finite. */
        public LogUniform {
            if (!(low > 0 && high > low && Double.isFinite(high))) {
                throw new IllegalArgumentException(
                        "log-uniform range must have 0 < low < high, found [" + low + ", " + high + "]");
            }
        }

        @Override
        public double internalLow() {
            return Math.log(low);
        }

        @Override
        public double internalHigh() {
            return Math.log(high);
        }

        @Override
        public Object fromInternal(double x) {
            return Math.min(high, Math.max(low, Math.exp(x)));
        }

        @Override
        public double toInternal(Object value) {
            return Math.log((Double) value);
        }
    }

    /**
     * A real value uniform on [low, high]: dropout, say.
     *
     * @param low the smallest value
     * @param high the largest value
     */
    record Uniform(double low, double high) implements Distribution {
        /** Refuses an empty or non-finite range. */
        public Uniform {
            if (!(high > low && Double.isFinite(low) && Double.isFinite(high))) {
                throw new IllegalArgumentException(
                        "uniform range must have low < high, found [" + low + ", " + high + "]");
            }
        }

        @Override
        public double internalLow() {
            return low;
        }

        @Override
        public double internalHigh() {
            return high;
        }

        @Override
        public Object fromInternal(double x) {
            return Math.min(high, Math.max(low, x));
        }

        @Override
        public double toInternal(Object value) {
            return (Double) value;
        }
    }

    /**
     * An integer uniform on low..high, both included: a width, a number of epochs.
     *
     * @param low the smallest value
     * @param high the largest value
     */
    record IntUniform(int low, int high) implements Distribution {
        /** Refuses an empty range. */
        public IntUniform {
            if (high < low) {
                throw new IllegalArgumentException(
                        "int range must have low <= high, found [" + low + ", " + high + "]");
            }
        }

        @Override
        public double internalLow() {
            return low - 0.5;
        }

        @Override
        public double internalHigh() {
            return high + 0.5;
        }

        @Override
        public Object fromInternal(double x) {
            return (int) Math.min(high, Math.max(low, Math.round(x)));
        }

        @Override
        public double toInternal(Object value) {
            return (Integer) value;
        }
    }

    /**
     * One of a list of values, each written as YAML text so that a value can be a number, a
     * word or a list ({@code "[128, 64]"} for layers) and is applied as a config override as is.
     *
     * @param values the values, distinct
     */
    record Choice(List<String> values) implements Distribution {
        /** Refuses an empty or duplicated list. */
        public Choice {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("choice needs at least one value");
            }
            if (values.stream().distinct().count() != values.size()) {
                throw new IllegalArgumentException("choice values must differ, found " + values);
            }
        }

        @Override
        public double internalLow() {
            return 0;
        }

        @Override
        public double internalHigh() {
            return values.size();
        }

        @Override
        public Object fromInternal(double x) {
            return values.get((int) Math.min(values.size() - 1, Math.max(0, Math.floor(x))));
        }

        @Override
        public double toInternal(Object value) {
            int i = values.indexOf(value);
            if (i < 0) {
                throw new IllegalArgumentException(value + " is not one of " + values);
            }
            return i;
        }
    }
}
