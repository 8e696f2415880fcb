package dev.embtrain.training.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** {@link Floats}' operations with the Vector API, at the widest vectors the CPU has. */
final class SimdOps implements Floats.Ops {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    // Shuffles that bring lane i + d (wrapping) to lane i, d = half the lanes, a quarter, ...; each
    // its own constant, which C2 folds into one permute (from a list it took 90 ns a sum, not 5).
    private static final VectorShuffle<Float> HALF = shift(2);
    private static final VectorShuffle<Float> QUARTER = shift(4);
    private static final VectorShuffle<Float> EIGHTH = shift(8);
    private static final VectorShuffle<Float> SIXTEENTH = shift(16);
    private static final VectorShuffle<Float> THIRTY_SECOND = shift(32);
    private static final VectorShuffle<Float> SIXTY_FOURTH = shift(64);

    private static VectorShuffle<Float> shift(int parts) {
        return VectorShuffle.iota(SPECIES, Math.max(1, LANES / parts), 1, true);
    }

    /**
     * Sums a vector's lanes (up to 64) in a fixed tree order. {@code reduceLanes(ADD)} leaves the
     * order to the JIT, which later JDKs use to reassociate; this gives the same bits on every
     * JDK, compiled or interpreted, and measured a little faster (5.2 against 6.2-7.2 ns a
     * 64-float dot product).
     */
    static float sum(FloatVector v) {
        if (LANES >= 2) {
            v = v.add(v.rearrange(HALF));
        }
        if (LANES >= 4) {
            v = v.add(v.rearrange(QUARTER));
        }
        if (LANES >= 8) {
            v = v.add(v.rearrange(EIGHTH));
        }
        if (LANES >= 16) {
            v = v.add(v.rearrange(SIXTEENTH));
        }
        if (LANES >= 32) {
            v = v.add(v.rearrange(THIRTY_SECOND));
        }
        if (LANES >= 64) {
            v = v.add(v.rearrange(SIXTY_FOURTH));
        }
        return v.lane(0);
    }

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector sum = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i + LANES <= n; i += LANES) {
            sum = FloatVector.fromArray(SPECIES, a, ao + i).fma(FloatVector.fromArray(SPECIES, b, bo + i), sum);
        }
        float s = sum(sum);
        for (; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector factor = FloatVector.broadcast(SPECIES, alpha);
        int i = 0;
        for (; i + LANES <= n; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xo + i).fma(factor, FloatVector.fromArray(SPECIES, y, yo + i))
                    .intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    @Override
    public void adam(float[] w, float[] g, int go, float[] m, float[] v, int mo, int n, Floats.Adam a) {
        // The plain loop's operations in its order, lane by lane: mul and add, never fma.
        FloatVector l2 = FloatVector.broadcast(SPECIES, a.l2());
        FloatVector b1 = FloatVector.broadcast(SPECIES, a.b1());
        FloatVector c1 = FloatVector.broadcast(SPECIES, a.c1());
        FloatVector b2 = FloatVector.broadcast(SPECIES, a.b2());
        FloatVector c2 = FloatVector.broadcast(SPECIES, a.c2());
        FloatVector decay = FloatVector.broadcast(SPECIES, a.decay());
        FloatVector lr = FloatVector.broadcast(SPECIES, a.lr());
        FloatVector eps = FloatVector.broadcast(SPECIES, a.eps());
        int i = 0;
        for (; i + LANES <= n; i += LANES) {
            FloatVector wi = FloatVector.fromArray(SPECIES, w, i);
            FloatVector gi = FloatVector.fromArray(SPECIES, g, go + i).add(l2.mul(wi));
            FloatVector mi = FloatVector.fromArray(SPECIES, m, mo + i).mul(b1).add(gi.mul(c1));
            FloatVector vi = FloatVector.fromArray(SPECIES, v, mo + i).mul(b2).add(gi.mul(gi).mul(c2));
            mi.intoArray(m, mo + i);
            vi.intoArray(v, mo + i);
            wi.mul(decay).sub(lr.mul(mi).div(vi.sqrt().add(eps))).intoArray(w, i);
        }
        Floats.adamTail(w, g, go, m, v, mo, i, n, a);
    }

    @Override
    public double softplusSigmoid(float[] x, int from, int to) {
        // sum softplus(x) = sum max(x, 0) + log(prod (1 + e^-|x|)): the product is kept in a double
        // as mantissa and exponent and its log taken once, so the loss needs no vector log.
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        float[] factors = new float[LANES];
        double linear = 0;
        double product = 1;
        long exponent = 0;
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            FloatVector e = expOfNonPositive(v.abs().neg());
            FloatVector onePlus = one.add(e);
            FloatVector positive = one.div(onePlus); // sigmoid(x) for x >= 0; e times it for x < 0
            positive.blend(e.mul(positive), v.compare(VectorOperators.LT, 0f)).intoArray(x, i);
            linear += sum(v.max(0f));
            onePlus.intoArray(factors, 0);
            for (float f : factors) {
                product *= f;
            }
            if (product > 0x1p500) {
                int k = Math.getExponent(product);
                exponent += k;
                product = Math.scalb(product, -k);
            }
        }
        return linear + exponent * Math.log(2) + Math.log(product) + Floats.softplusSigmoidTail(x, i, to);
    }

    private static final FloatVector LOG2E = FloatVector.broadcast(SPECIES, 1.44269504088896341f);
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float[] EXP_POLY = {1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f,
        4.1665795894e-2f, 1.6666665459e-1f, 5.0000001201e-1f};

    /**
     * e^x for x <= 0, Cephes' expf (about 1 ulp): x = n ln 2 + r, |r| <= ln 2 / 2, e^r by a
     * polynomial, 2^n built in the exponent bits; below -87.3 (where e^x leaves the normal
     * floats) it returns e^-87.3. Only additions, multiplications and conversions, each exact
     * IEEE, so compiled and interpreted code give the same bits: the Vector API's own EXP does
     * not (the JIT's SVML routine and the interpreter's StrictMath differ in the last bits, which
     * made a resumed run drift from an uninterrupted one).
     */
    static FloatVector expOfNonPositive(FloatVector x) {
        FloatVector v = x.max(-87.3f);
        // n = round(x log2 e), half away from zero; x <= 0, so truncating t - 0.5 does it.
        IntVector n = (IntVector) v.mul(LOG2E).sub(0.5f).convert(VectorOperators.F2I, 0);
        FloatVector nf = (FloatVector) n.convert(VectorOperators.I2F, 0);
        FloatVector r = v.sub(nf.mul(LN2_HI)).sub(nf.mul(LN2_LO));
        FloatVector p = r.mul(EXP_POLY[0]).add(EXP_POLY[1]);
        for (int k = 2; k < EXP_POLY.length; k++) {
            p = p.mul(r).add(EXP_POLY[k]);
        }
        FloatVector er = p.mul(r.mul(r)).add(r).add(1f);
        FloatVector twoToN = n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return er.mul(twoToN);
    }

    @Override
    public void catchUp(float[] w, float[] m, float[] v, int mo, int n, float[] k) {
        FloatVector d = FloatVector.broadcast(SPECIES, k[0]);
        FloatVector c = FloatVector.broadcast(SPECIES, k[1]);
        FloatVector e = FloatVector.broadcast(SPECIES, k[4]);
        int i = 0;
        for (; i + LANES <= n; i += LANES) {
            FloatVector mi = FloatVector.fromArray(SPECIES, m, mo + i);
            FloatVector vi = FloatVector.fromArray(SPECIES, v, mo + i);
            d.mul(FloatVector.fromArray(SPECIES, w, i)).sub(c.mul(mi).div(vi.sqrt().add(e))).intoArray(w, i);
            mi.mul(k[2]).intoArray(m, mo + i);
            vi.mul(k[3]).intoArray(v, mo + i);
        }
        Floats.catchUpTail(w, m, v, mo, i, n, k);
    }
}
