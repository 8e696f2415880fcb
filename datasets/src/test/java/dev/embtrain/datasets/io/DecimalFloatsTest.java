package dev.embtrain.datasets.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecimalFloatsTest {

    private static void same(String s) {
        float expected = Float.parseFloat(s);
        float actual = DecimalFloats.parse("x" + s + "y", 1, s.length() + 1);
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual), s);
    }

    @Test
    void agreesWithFloatParseFloatBitForBit() {
        for (String s : new String[] {"0", "-0", "0.0", "-0.0", "1", "-1.5", ".5", "5.", "1e3", "1E-3", "-2.5e+2",
            "3.4028235e38", "3.4028236e38", "1e39", "1.17549435E-38", "1.4e-45", "123456789012345678901234",
            "0.000000000000000000000000001", "16777217", "16777219", "33554434", "0.1", "0.30000001192092896",
            "1.000000059604644775390625", "1.0000000596046448", "007.50", "1e-22", "1e22", "9e22", "1e-23"}) {
            same(s);
        }
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 40_000; i++) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (Float.isFinite(f)) {
                same(Float.toString(f));
                same(String.format(Locale.ROOT, "%.9g", f));
            }
            double g = r.nextGaussian() * Math.pow(10, r.nextInt(-8, 8));
            same(Double.toString(g));
            same(String.format(Locale.ROOT, "%.6f", g));
            // Exact float midpoints written in few digits: between 2^25 and 2^26 floats are 4
            // apart, so 2^25 + 4k + 2 lies halfway between two of them.
            long k = r.nextInt(1 << 20);
            same(Long.toString((1L << 25) + 4 * k + 2));
            same(Long.toString((1L << 25) + 4 * k + 2) + "e-10");
        }
    }

    @Test
    void refusesWhatIsNotANumber() {
        for (String s : new String[] {"", "-", "e5", "1e", "1.2.3", "abc", "1e+"}) {
            assertThrows(NumberFormatException.class, () -> DecimalFloats.parse(s, 0, s.length()), s);
        }
    }
}
