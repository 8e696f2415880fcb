package dev.embtrain.training.engine;

/**
 * Dot products and axpys over float rows, for the loops that run on the host ({@link HostStep}s):
 * in SIMD registers through the JDK's Vector API where the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the launcher and the images do), else plain loops.
 * On a 64-wide row C2 leaves a plain loop scalar (its vectorized main loop is wider than the
 * row): measured 2026-12-06, a 64-float axpy took 20-35 ns scalar and 7 ns with the Vector
 * API, a dot product 27-35 ns and 9-10 ns, and negative sampling's loss and derivatives over
 * 49,152 scores 1.03 ms and 0.095 ms (with the Vector API's exp and log1p, since replaced by
 * arithmetic that gives the same bits compiled and interpreted: {@code SimdOps#expOfNonPositive}).
 * Every operation here is deterministic: a run gives the same numbers however much of it ran
 * before the JIT compiled these loops.
 */
public final class Floats {

    /** The operations, so that the Vector API's classes load only where its module is. */
    interface Ops {
        float dot(float[] a, int ao, float[] b, int bo, int n);

        void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n);

        void adam(float[] w, float[] g, int go, float[] m, float[] v, int mo, int n, Adam a);

        double softplusSigmoid(float[] x, int from, int to);

        void catchUp(float[] w, float[] m, float[] v, int mo, int n, float[] k);
    }

    /**
     * One Adam step's constants (the update of {@code optim.RowSparseAdam}, whose documentation
     * derives them).
     *
     * @param b1 beta1
     * @param c1 1 - beta1
     * @param b2 beta2
     * @param c2 1 - beta2
     * @param l2 L2 weight decay added to the gradient (Adam), or 0
     * @param decay the factor decoupled weight decay scales a weight by (AdamW), or 1
     * @param lr the learning rate with both debiasing terms folded in
     * @param eps epsilon times the square root of the second debiasing term
     */
    public record Adam(float b1, float c1, float b2, float c2, float l2, float decay, float lr, float eps) {}

    private static final Ops OPS = choose();

    private Floats() {}

    private static Ops choose() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (Ops) Class.forName("dev.embtrain.training.engine.SimdOps").getDeclaredConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return new ScalarOps();
            }
        }
        return new ScalarOps();
    }

    /**
     * Says whether the Vector API does the work.
     *
     * @return true with {@code --add-modules jdk.incubator.vector}
     */
    public static boolean simd() {
        return !(OPS instanceof ScalarOps);
    }

    /**
     * Returns {@code sum_i a[ao + i] b[bo + i]} over {@code n} values.
     *
     * @param a the first row's array
     * @param ao where the row starts
     * @param b the second row's array
     * @param bo where it starts
     * @param n the width
     * @return the dot product
     */
    public static float dot(float[] a, int ao, float[] b, int bo, int n) {
        return OPS.dot(a, ao, b, bo, n);
    }

    /**
     * Adds {@code alpha x} to {@code y}: {@code y[yo + i] += alpha x[xo + i]} for {@code n} values.
     *
     * @param alpha the factor
     * @param x the added row's array
     * @param xo where it starts
     * @param y the updated row's array
     * @param yo where it starts
     * @param n the width
     */
    public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        OPS.axpy(alpha, x, xo, y, yo, n);
    }

    /**
     * One Adam(W) step of a row: {@code g' = g + l2 w}, {@code m = b1 m + c1 g'},
     * {@code v = b2 v + c2 g'^2}, {@code w = decay w - lr m / (sqrt(v) + eps)}, each value rounded to
     * float after every operation, as a plain loop does (no fused multiply-add), so that both
     * implementations give the same bits.
     *
     * @param w the row's weights, updated in place, from 0
     * @param g the gradients' array
     * @param go where the row's gradient starts
     * @param m the first moments, updated in place
     * @param v the second moments, updated in place
     * @param mo where the row's moments start
     * @param n the width
     * @param a the step's constants
     */
    public static void adam(float[] w, float[] g, int go, float[] m, float[] v, int mo, int n, Adam a) {
        OPS.adam(w, g, go, m, v, mo, n, a);
    }

    /**
     * Replaces each value {@code x} from {@code from} to {@code to} by {@code sigmoid(x)} and returns the
     * sum of their {@code softplus(x) = log(1 + e^x)}: negative sampling's loss and its derivative
     * in one pass, both from {@code e^-|x|} ({@code softplus(x) = max(x, 0) + log(1 + e^-|x|)}).
     *
     * @param x the values, overwritten
     * @param from the first
     * @param to after the last
     * @return the sum of the softplus
     */
    public static double softplusSigmoid(float[] x, int from, int to) {
        return OPS.softplusSigmoid(x, from, to);
    }

    /** {@link #softplusSigmoid} from value {@code from} on, in a plain loop. */
    static double softplusSigmoidTail(float[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            double v = x[i];
            double e = Math.exp(-Math.abs(v));
            sum += Math.max(v, 0) + Math.log1p(e);
            x[i] = (float) (v >= 0 ? 1 / (1 + e) : e / (1 + e));
        }
        return sum;
    }

    /**
     * Brings a row of row-sparse Adam up over the steps it skipped, in one pass with the skipped
     * steps' coefficients ({@code optim.SkippedSteps}): {@code w = d w - c m / (sqrt(v) + e)},
     * {@code m = mf m}, {@code v = vf v}, each value rounded after every operation as a plain loop
     * does.
     *
     * @param w the row's weights, updated in place, from 0
     * @param m the first moments, updated in place
     * @param v the second moments, updated in place
     * @param mo where the row's moments start
     * @param n the width
     * @param k {@code d, c, mf, vf, e}
     */
    public static void catchUp(float[] w, float[] m, float[] v, int mo, int n, float[] k) {
        OPS.catchUp(w, m, v, mo, n, k);
    }

    /** {@link #catchUp} from value {@code from} on, in a plain loop. */
    static void catchUpTail(float[] w, float[] m, float[] v, int mo, int from, int n, float[] k) {
        float d = k[0];
        float c = k[1];
        float mf = k[2];
        float vf = k[3];
        float e = k[4];
        for (int i = from; i < n; i++) {
            float mi = m[mo + i];
            float vi = v[mo + i];
            w[i] = d * w[i] - c * mi / ((float) Math.sqrt(vi) + e);
            m[mo + i] = mi * mf;
            v[mo + i] = vi * vf;
        }
    }

    /** Plain loops, the dot product in four sums so that its multiply-adds overlap. */
    static final class ScalarOps implements Ops {
        @Override
        public float dot(float[] a, int ao, float[] b, int bo, int n) {
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            int i = 0;
            for (; i + 3 < n; i += 4) {
                s0 += a[ao + i] * b[bo + i];
                s1 += a[ao + i + 1] * b[bo + i + 1];
                s2 += a[ao + i + 2] * b[bo + i + 2];
                s3 += a[ao + i + 3] * b[bo + i + 3];
            }
            for (; i < n; i++) {
                s0 += a[ao + i] * b[bo + i];
            }
            return (s0 + s1) + (s2 + s3);
        }

        @Override
        public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
            for (int i = 0; i < n; i++) {
                y[yo + i] += alpha * x[xo + i];
            }
        }

        @Override
        public void adam(float[] w, float[] g, int go, float[] m, float[] v, int mo, int n, Adam a) {
            adamTail(w, g, go, m, v, mo, 0, n, a);
        }

        @Override
        public double softplusSigmoid(float[] x, int from, int to) {
            return softplusSigmoidTail(x, from, to);
        }

        @Override
        public void catchUp(float[] w, float[] m, float[] v, int mo, int n, float[] k) {
            catchUpTail(w, m, v, mo, 0, n, k);
        }
    }

    /** {@link #adam} from value {@code from} on, in a plain loop. */
    static void adamTail(float[] w, float[] g, int go, float[] m, float[] v, int mo, int from, int n, Adam a) {
        for (int i = from; i < n; i++) {
            float wi = w[i];
            float gi = g[go + i] + a.l2() * wi;
            float mi = m[mo + i] * a.b1() + gi * a.c1();
            float vi = v[mo + i] * a.b2() + gi * gi * a.c2();
            m[mo + i] = mi;
            v[mo + i] = vi;
            w[i] = wi * a.decay() - a.lr() * mi / ((float) Math.sqrt(vi) + a.eps());
        }
    }
}
