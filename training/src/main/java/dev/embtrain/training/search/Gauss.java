package dev.embtrain.training.search;

import java.util.SplittableRandom;

/** The normal distribution function and normal draws the samplers need. */
final class Gauss {
    private Gauss() {}

    /**
     * Φ(z) through erfc by the Numerical Recipes Chebyshev fit (erfcc), absolute error below
     * 1.2e-7 everywhere: ample for the truncation masses of TPE's kernels, which are above 0.3.
     */
    static double cdf(double z) {
        double x = -z / Math.sqrt(2);
        double t = 1 / (1 + 0.5 * Math.abs(x));
        double erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        erfc = x >= 0 ? erfc : 2 - erfc;
        return 0.5 * erfc;
    }

    /**
     * One standard normal draw by Box–Muller, written out so that a seed gives the same draws on
     * every JDK ({@code nextGaussian}'s algorithm is not specified).
     */
    static double standard(SplittableRandom rng) {
        double u = 1 - rng.nextDouble(); // (0, 1]
        double v = rng.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * v);
    }
}
