package dev.embtrain.training.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Floats}' two implementations on rows at offsets, wider and narrower than a vector. */
class FloatsTest {

    private static void check(Floats.Ops ops) {
        for (int n : new int[] {0, 1, 3, 7, 16, 37, 64}) {
            float[] a = new float[n + 2];
            float[] b = new float[n + 5];
            double expected = 0;
            for (int i = 0; i < n; i++) {
                a[2 + i] = i + 1; // 1, 2, 3, ...
                b[5 + i] = (i % 2 == 0) ? 0.5f : -0.25f;
                expected += (i + 1) * ((i % 2 == 0) ? 0.5 : -0.25);
            }
            assertEquals(expected, ops.dot(a, 2, b, 5, n), 1e-4, "width " + n);
            float[] y = b.clone();
            ops.axpy(2f, a, 2, y, 5, n);
            float[] want = b.clone();
            for (int i = 0; i < n; i++) {
                want[5 + i] = b[5 + i] + 2f * (i + 1);
            }
            assertArrayEquals(want, y, "width " + n);
        }
    }

    @Test
    void plainLoopsComputeDotProductsAndAxpys() {
        check(new Floats.ScalarOps());
    }

    @Test
    void theVectorApiComputesTheSameWhereTheTestsHaveIt() {
        // surefire starts the tests with --add-modules jdk.incubator.vector, as ./embtrain starts runs
        assertTrue(Floats.simd(), "the Vector API is not in use");
        check(new SimdOps());
    }

    @Test
    void adamStepsGiveTheSameBitsInBothImplementationsAndMatchTheFormula() {
        Floats.Adam a = new Floats.Adam(0.9f, 0.1f, 0.99f, 0.01f, 0.05f, 0.98f, 0.01f, 1e-8f);
        java.util.Random random = new java.util.Random(3);
        for (int n : new int[] {5, 37, 64}) {
            float[] w = new float[n];
            float[] g = new float[n + 3];
            float[] m = new float[n + 2];
            float[] v = new float[n + 2];
            for (int i = 0; i < n; i++) {
                w[i] = (float) random.nextGaussian();
                g[3 + i] = (float) random.nextGaussian();
                m[2 + i] = (float) random.nextGaussian() * 0.1f;
                v[2 + i] = (float) random.nextDouble() * 0.1f;
            }
            float[][] plain = {w.clone(), m.clone(), v.clone()};
            float[][] simd = {w.clone(), m.clone(), v.clone()};
            new Floats.ScalarOps().adam(plain[0], g, 3, plain[1], plain[2], 2, n, a);
            new SimdOps().adam(simd[0], g, 3, simd[1], simd[2], 2, n, a);
            for (int k = 0; k < 3; k++) {
                assertArrayEquals(plain[k], simd[k], "width " + n + ", array " + k);
            }
            // value 0 by hand, in double: g' = g + l2 w; m = b1 m + c1 g'; v = b2 v + c2 g'^2
            double gi = g[3] + 0.05 * w[0];
            double mi = 0.9 * m[2] + 0.1 * gi;
            double vi = 0.99 * v[2] + 0.01 * gi * gi;
            assertEquals(mi, plain[1][2], 1e-6);
            assertEquals(vi, plain[2][2], 1e-6);
            assertEquals(0.98 * w[0] - 0.01 * mi / (Math.sqrt(vi) + 1e-8), plain[0][0], 1e-5);
        }
    }

    @Test
    void softplusAndSigmoidInOnePassInBothImplementations() {
        // 19 values: a vector's worth or two and a tail; large magnitudes where e^-|x| underflows.
        float[] x = new float[19];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i - 9) * 1.5f;
        }
        x[0] = -200f;
        x[18] = 200f;
        double expected = 0;
        float[] sigmoid = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            expected += x[i] > 0 ? x[i] + Math.log1p(Math.exp(-x[i])) : Math.log1p(Math.exp(x[i]));
            sigmoid[i] = (float) (1 / (1 + Math.exp(-x[i])));
        }
        for (Floats.Ops ops : new Floats.Ops[] {new Floats.ScalarOps(), new SimdOps()}) {
            float[] y = x.clone();
            assertEquals(expected, ops.softplusSigmoid(y, 0, y.length), 1e-4, ops.getClass().getSimpleName());
            for (int i = 0; i < y.length; i++) {
                assertEquals(sigmoid[i], y[i], 1e-6f * Math.max(1e-30f, sigmoid[i]) + 1e-38f,
                        ops.getClass().getSimpleName() + " value " + i);
            }
        }
    }

    @Test
    void catchUpGivesTheSameBitsInBothImplementationsAndMatchesTheFormula() {
        float[] k = {0.99f, 0.03f, 0.5f, 0.9f, 1e-6f};
        java.util.Random random = new java.util.Random(4);
        for (int n : new int[] {3, 37, 64}) {
            float[] w = new float[n];
            float[] m = new float[n + 1];
            float[] v = new float[n + 1];
            for (int i = 0; i < n; i++) {
                w[i] = (float) random.nextGaussian();
                m[1 + i] = (float) random.nextGaussian() * 0.1f;
                v[1 + i] = (float) random.nextDouble() * 0.1f;
            }
            float[][] plain = {w.clone(), m.clone(), v.clone()};
            float[][] simd = {w.clone(), m.clone(), v.clone()};
            new Floats.ScalarOps().catchUp(plain[0], plain[1], plain[2], 1, n, k);
            new SimdOps().catchUp(simd[0], simd[1], simd[2], 1, n, k);
            for (int j = 0; j < 3; j++) {
                assertArrayEquals(plain[j], simd[j], "width " + n + ", array " + j);
            }
            // value 0 by hand: w = d w - c m / (sqrt(v) + e), m = mf m, v = vf v
            assertEquals(0.99 * w[0] - 0.03 * m[1] / (Math.sqrt(v[1]) + 1e-6), plain[0][0], 1e-5);
            assertEquals(0.5 * m[1], plain[1][1], 1e-7);
            assertEquals(0.9 * v[1], plain[2][1], 1e-7);
        }
    }

    @Test
    void theVectorExpIsWithinTwoUlpsOfMathExpOverTheNormalFloats() {
        int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        float[] x = new float[lanes];
        float[] y = new float[lanes];
        for (int k = 0; k <= 87_000; k += lanes) {
            for (int l = 0; l < lanes; l++) {
                x[l] = -(k + l) / 1000f;
            }
            SimdOps.expOfNonPositive(jdk.incubator.vector.FloatVector.fromArray(
                    jdk.incubator.vector.FloatVector.SPECIES_PREFERRED, x, 0)).intoArray(y, 0);
            for (int l = 0; l < lanes; l++) {
                float want = (float) Math.exp(x[l]);
                assertTrue(Math.abs(y[l] - want) <= 2 * Math.ulp(want), "e^" + x[l] + ": " + y[l] + " vs " + want);
            }
        }
    }

    @Test
    void lanesAreSummedInAFixedTreeOrder() {
        jdk.incubator.vector.VectorSpecies<Float> species = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        int lanes = species.length();
        float[] x = new float[lanes];
        for (int i = 0; i < lanes; i++) {
            x[i] = (float) Math.scalb(1.0 + i / 7.0, (i % 5) * 9 - 20); // magnitudes apart: the order shows
        }
        // lane i gets lane i + d (wrapping) added, d = half the lanes, a quarter, ..., 1; lane 0 is the sum
        float[] tree = x.clone();
        for (int d = lanes / 2; d >= 1; d /= 2) {
            float[] next = new float[lanes];
            for (int i = 0; i < lanes; i++) {
                next[i] = tree[i] + tree[(i + d) % lanes];
            }
            tree = next;
        }
        assertEquals(Float.floatToIntBits(tree[0]),
                Float.floatToIntBits(SimdOps.sum(jdk.incubator.vector.FloatVector.fromArray(species, x, 0))));
    }
}
