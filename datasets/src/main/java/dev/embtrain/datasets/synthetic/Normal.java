package dev.embtrain.datasets.synthetic;

import java.util.SplittableRandom;

/**
 * The standard normal distribution function and the error function, accurate to about
 * 1e-15, for the exact noise floor of {@link SyntheticMovieLens}; and standard normal draws
 * for the synthetic generators.
 *
 * <p>Uses the everywhere-convergent series erf(x) = 2/√π · e^(−x²) · Σ (2x²)^n · x /
 * (1·3·…·(2n+1)) (Abramowitz–Stegun 7.1.6). All its terms are positive, so nothing cancels
 * and the sum is accurate to rounding; for |x| ≥ 6, erf(x) is ±1 to within 2e-17. The series
 * needs up to a couple of hundred terms near |x| = 6, which is cheap for our use (a few
 * evaluations per generated rating). StrictMath keeps results identical on every JVM, so the
 * written noise floor is byte-identical too.
 */
final class Normal {
    private static final double TWO_OVER_SQRT_PI = 2 / StrictMath.sqrt(Math.PI);
    private static final double SQRT_HALF = StrictMath.sqrt(0.5);

    private Normal() {}

    /**
     * One standard normal draw by Box–Muller. Written out rather than
     * {@code RandomGenerator.nextGaussian()} because that algorithm is not specified and
     * could change between JDKs, breaking byte-identical output.
     */
    static double draw(SplittableRandom random) {
        double u1 = 1 - random.nextDouble(); // in (0, 1], so the log is finite
        double u2 = random.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }

    /** The error function. */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        double a = Math.abs(x);
        if (a >= 6) {
            return Math.copySign(1.0, x);
        }
        double x2 = a * a;
        double term = a;
        double sum = a;
        for (int n = 1; n < 1000; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        double value = Math.min(1.0, TWO_OVER_SQRT_PI * StrictMath.exp(-x2) * sum);
        return Math.copySign(value, x);
    }

    /** Φ(z), the probability that a standard normal variable is at most {@code z}. */
    static double cdf(double z) {
        if (z == Double.POSITIVE_INFINITY) {
            return 1;
        }
        if (z == Double.NEGATIVE_INFINITY) {
            return 0;
        }
        return 0.5 * (1 + erf(z * SQRT_HALF));
    }
}
