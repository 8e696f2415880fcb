package dev.embtrain.training.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link Floats}' operations with the Vector API, at the widest vectors the CPU has. */
final class SimdOps implements Floats.Ops {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector sum = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i + LANES <= n; i += LANES) {
            sum = FloatVector.fromArray(SPECIES, a, ao + i).fma(FloatVector.fromArray(SPECIES, b, bo + i), sum);
        }
        float s = sum.reduceLanes(VectorOperators.ADD);
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
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        double sum = 0;
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            FloatVector e = v.abs().neg().lanewise(VectorOperators.EXP);
            sum += v.max(0f).add(e.lanewise(VectorOperators.LOG1P)).reduceLanes(VectorOperators.ADD);
            FloatVector positive = one.div(one.add(e)); // sigmoid(x) for x >= 0; e times it for x < 0
            positive.blend(e.mul(positive), v.compare(VectorOperators.LT, 0f)).intoArray(x, i);
        }
        return sum + Floats.softplusSigmoidTail(x, i, to);
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
