package dev.embtrain.datasets.synthetic;

import dev.embtrain.datasets.labelled.EmbeddingsFile;
import dev.embtrain.datasets.labelled.NpyFloats;
import dev.embtrain.datasets.labelled.ParquetEmbeddings;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Writes labelled embeddings with a planted linear signal of known strength, so a classifier
 * can be judged against the best AUC any classifier could reach on it.
 *
 * <h2>Generative model</h2>
 *
 * With W = {@code width}: a direction w is drawn once (N(0, I) normalised to length 1); each
 * id gets x ~ N(0, I_W), the logit s·(w·x) + b with s = {@code strength} and
 * b = {@code bias}, and a label ~ Bernoulli(sigmoid(s·(w·x) + b)). Since |w| = 1, z = w·x is
 * exactly N(0, 1) whatever W, so the difficulty depends on s and b alone; the other W − 1
 * directions are pure noise.
 *
 * <h2>Bayes-optimal AUC</h2>
 *
 * The true probability p(z) = sigmoid(s·z + b) is the best possible score; being increasing
 * in z (for s &gt; 0), its AUC is P(z₁ &gt; z₀) for z₁ drawn from the positives' density
 * f₁(z) = p(z)·φ(z)/π₁ and z₀ from the negatives' f₀(z) = (1 − p(z))·φ(z)/π₀, where
 * π₁ = ∫p·φ is the share of positives. So AUC = ∫ f₁(z)·F₀(z) dz with F₀ the negatives'
 * distribution function. {@link #bayesAuc(double, double)} evaluates this by the trapezoid rule
 * on [−12, 12] with step 10⁻⁴ (φ is below 10⁻³¹ outside; the rule's error is far below 10⁻⁶):
 * it is the population value, not the AUC of one sample, which would itself be off by about
 * 0.5/√n. {@link Result#sampleBayesAuc()} is also given: the AUC of the true probabilities on
 * the generated rows, what a perfect model would score on exactly these labels.
 *
 * <h2>Files</h2>
 *
 * {@code labels.csv} ({@code rid,label,evkey} with evkey {@code synthetic}), the embeddings as
 * {@code embeddings.csv} (packed column {@code bottleneck}, values space-separated),
 * {@code embeddings.parquet} (list column {@code bottleneck}, snappy) or {@code embeddings.npy}
 * with {@code ids.csv}, and {@code synthetic.properties} holding the spec and both AUCs,
 * written last, so its presence marks a complete directory. Ids are {@code u0000001} onwards.
 * All arithmetic uses {@link StrictMath} and {@link SplittableRandom}: the same spec gives
 * byte-identical files.
 */
public final class SyntheticLabelledEmbeddings {
    /** The name of the file that holds the spec and marks a directory as complete. */
    public static final String PROPERTIES_FILE = "synthetic.properties";
    /** The vector column's name. */
    public static final String COLUMN = "bottleneck";

    private static final double STEP = 1e-4;
    private static final double RANGE = 12;

    private SyntheticLabelledEmbeddings() {}

    /**
     * What to generate.
     *
     * @param ids the number of ids
     * @param width the vectors' width W
     * @param strength s, the logit's slope along the planted direction (0: no signal)
     * @param bias b, the logit's intercept (negative: fewer positives)
     * @param seed seed of every draw
     */
    public record Spec(int ids, int width, double strength, double bias, long seed) {
        /** Refuses sizes below 1 and non-finite or negative strength. */
        public Spec {
            if (ids < 1 || width < 1) {
                throw new IllegalArgumentException("ids and width must be > 0, found " + ids + " and " + width);
            }
            if (!(strength >= 0 && Double.isFinite(strength)) || !Double.isFinite(bias)) {
                throw new IllegalArgumentException("strength must be finite and >= 0 and bias finite, found "
                        + strength + " and " + bias);
            }
        }

        /** 10,000 ids × 512, strength 2, bias −1 (35.2% positives, Bayes AUC 0.8640), seed 42. */
        public static Spec defaults() {
            return new Spec(10_000, 512, 2.0, -1.0, 42);
        }
    }

    /**
     * What was written.
     *
     * @param labels the labels file
     * @param embeddings the embeddings file, to read with {@link #embeddingsFile()}
     * @param ids the ids file of a .npy file, else null
     * @param bayesAuc the population Bayes-optimal AUC
     * @param sampleBayesAuc the AUC of the true probabilities on the generated rows
     * @param positives the number of positive labels
     */
    public record Result(Path labels, Path embeddings, Path ids, double bayesAuc, double sampleBayesAuc,
            int positives) {
        /**
         * Returns the embeddings as a readable file.
         *
         * @return the file with its column and ids
         */
        public EmbeddingsFile embeddingsFile() {
            return new EmbeddingsFile(embeddings, COLUMN, ids);
        }
    }

    /**
     * σ(t) = 1/(1 + e^(−t)).
     *
     * @param t the logit
     * @return the probability
     */
    static double sigmoid(double t) {
        return t >= 0 ? 1 / (1 + StrictMath.exp(-t)) : StrictMath.exp(t) / (1 + StrictMath.exp(t));
    }

    private static double phi(double z) {
        return StrictMath.exp(-0.5 * z * z) / StrictMath.sqrt(2 * Math.PI);
    }

    /**
     * The share of positives in the population: π₁ = ∫ sigmoid(s·z + b)·φ(z) dz.
     *
     * @param strength s
     * @param bias b
     * @return π₁
     */
    public static double prevalence(double strength, double bias) {
        double sum = 0;
        int n = (int) Math.round(2 * RANGE / STEP);
        for (int i = 0; i <= n; i++) {
            double z = -RANGE + i * STEP;
            double w = i == 0 || i == n ? 0.5 : 1;
            sum += w * sigmoid(strength * z + bias) * phi(z);
        }
        return sum * STEP;
    }

    /**
     * The population Bayes-optimal AUC, ∫ f₁(z)·F₀(z) dz (see the class comment).
     *
     * @param strength s, at least 0 (0 gives 0.5)
     * @param bias b
     * @return the AUC
     */
    public static double bayesAuc(double strength, double bias) {
        int n = (int) Math.round(2 * RANGE / STEP);
        double pos = 0;
        double neg = 0;
        double auc = 0;
        // Running trapezoid integrals: neg = ∫_{-R}^{z} (1 − p)φ, auc = ∫ pφ · neg. Ties cannot
        // occur (z is continuous), but for s = 0 the scores are all equal and the AUC is ½ by
        // the tie convention; the integral gives ½ there too, since then f₁ = f₀.
        double prevG = 0;
        double prevF = 0;
        double prevNeg = 0;
        for (int i = 0; i <= n; i++) {
            double z = -RANGE + i * STEP;
            double p = sigmoid(strength * z + bias);
            double f = p * phi(z);
            double g = (1 - p) * phi(z);
            if (i > 0) {
                neg += 0.5 * (prevG + g) * STEP;
                pos += 0.5 * (prevF + f) * STEP;
                auc += 0.5 * (prevF * prevNeg + f * neg) * STEP;
            }
            prevG = g;
            prevF = f;
            prevNeg = neg;
        }
        return auc / (pos * neg);
    }

    /**
     * Writes the files into {@code dir}, or reuses them when {@code dir} already holds the same
     * spec and format.
     *
     * @param spec what to generate
     * @param dir the directory (created if missing)
     * @param format how to write the vectors
     * @return the files and the AUCs
     * @throws IllegalArgumentException when {@code dir} holds other files
     */
    public static Result write(Spec spec, Path dir, EmbeddingsFile.Format format) throws IOException {
        Files.createDirectories(dir);
        Path props = dir.resolve(PROPERTIES_FILE);
        Properties wanted = properties(spec, format);
        Path labels = dir.resolve("labels.csv");
        Path emb = dir.resolve(switch (format) {
            case CSV -> "embeddings.csv";
            case PARQUET -> "embeddings.parquet";
            case NPY -> "embeddings.npy";
        });
        Path ids = format == EmbeddingsFile.Format.NPY ? dir.resolve("ids.csv") : null;
        if (Files.exists(props)) {
            Properties found = new Properties();
            try (Reader r = Files.newBufferedReader(props, StandardCharsets.UTF_8)) {
                found.load(r);
            }
            Properties spec0 = new Properties();
            found.forEach((k, v) -> {
                if (!k.toString().contains("auc") && !k.toString().equals("positives")) {
                    spec0.put(k, v);
                }
            });
            if (spec0.equals(wanted)) {
                return new Result(labels, emb, ids, Double.parseDouble(found.getProperty("bayes_auc")),
                        Double.parseDouble(found.getProperty("sample_bayes_auc")),
                        Integer.parseInt(found.getProperty("positives")));
            }
            throw new IllegalArgumentException(dir + " holds another synthetic data set (" + found
                    + "); choose another directory");
        }
        try (var listing = Files.list(dir)) {
            if (listing.findAny().isPresent()) {
                throw new IllegalArgumentException(dir + " is not empty; choose another directory");
            }
        }
        Generator g = new Generator(spec);
        double[] trueP = new double[spec.ids()];
        int[] y = new int[spec.ids()];
        try (BufferedWriter lw = Files.newBufferedWriter(labels, StandardCharsets.UTF_8)) {
            lw.write("rid,label,evkey\n");
            switch (format) {
                case CSV -> {
                    try (BufferedWriter ew = Files.newBufferedWriter(emb, StandardCharsets.UTF_8)) {
                        ew.write("rid," + COLUMN + "\n");
                        StringBuilder sb = new StringBuilder();
                        for (int i = 0; i < spec.ids(); i++) {
                            float[] x = g.next(i, trueP, y);
                            sb.setLength(0);
                            sb.append(id(i)).append(',');
                            for (int k = 0; k < x.length; k++) {
                                if (k > 0) {
                                    sb.append(' ');
                                }
                                sb.append(x[k]);
                            }
                            ew.write(sb.append('\n').toString());
                            lw.write(id(i) + "," + y[i] + ",synthetic\n");
                        }
                    }
                }
                case PARQUET -> {
                    BufferedWriter labelsOut = lw;
                    ParquetEmbeddings.write(emb, COLUMN, spec.ids(), new ParquetEmbeddings.RowSource() {
                        @Override
                        public String id(long i) {
                            return SyntheticLabelledEmbeddings.id((int) i);
                        }

                        @Override
                        public float[] vector(long i) {
                            float[] x = g.next((int) i, trueP, y);
                            try {
                                labelsOut.write(SyntheticLabelledEmbeddings.id((int) i) + "," + y[(int) i]
                                        + ",synthetic\n");
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                            return x;
                        }
                    }, CompressionCodecName.SNAPPY);
                }
                case NPY -> {
                    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(emb), 1 << 16);
                            BufferedWriter iw = Files.newBufferedWriter(ids, StandardCharsets.UTF_8)) {
                        NpyFloats.writeHeader(out, spec.ids(), spec.width());
                        ByteBuffer scratch = ByteBuffer.allocate(spec.width() * 4).order(ByteOrder.LITTLE_ENDIAN);
                        iw.write("rid\n");
                        for (int i = 0; i < spec.ids(); i++) {
                            NpyFloats.writeRow(out, g.next(i, trueP, y), scratch);
                            iw.write(id(i) + "\n");
                            lw.write(id(i) + "," + y[i] + ",synthetic\n");
                        }
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
        int positives = Arrays.stream(y).sum();
        double bayes = bayesAuc(spec.strength(), spec.bias());
        double sample = positives == 0 || positives == y.length ? Double.NaN : auc(trueP, y);
        Properties out = properties(spec, format);
        out.setProperty("bayes_auc", Double.toString(bayes));
        out.setProperty("sample_bayes_auc", Double.toString(sample));
        out.setProperty("positives", Integer.toString(positives));
        try (BufferedWriter w = Files.newBufferedWriter(props, StandardCharsets.UTF_8)) {
            out.store(w, "synthetic labelled embeddings: the generator's spec and Bayes-optimal AUC");
        }
        return new Result(labels, emb, ids, bayes, sample, positives);
    }

    private static Properties properties(Spec spec, EmbeddingsFile.Format format) {
        Properties p = new Properties();
        p.setProperty("ids", Integer.toString(spec.ids()));
        p.setProperty("width", Integer.toString(spec.width()));
        p.setProperty("strength", Double.toString(spec.strength()));
        p.setProperty("bias", Double.toString(spec.bias()));
        p.setProperty("seed", Long.toString(spec.seed()));
        p.setProperty("format", format.name().toLowerCase(Locale.ROOT));
        p.setProperty("generator_version", "1");
        return p;
    }

    /**
     * The generator's true probability for each of some rows, sigmoid(s·(w·x) + b) recomputed
     * from their vectors, so the Bayes-optimal score can be evaluated on any subset of rows (a
     * test split) rather than only on the population or on every row.
     *
     * @param spec the spec the rows were generated with
     * @param vectors the rows' vectors, as read back from the files
     * @return one probability per vector
     */
    public static double[] trueProbabilities(Spec spec, float[][] vectors) {
        Generator g = new Generator(spec);
        double[] p = new double[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i].length != spec.width()) {
                throw new IllegalArgumentException("vector " + i + " has width " + vectors[i].length + ", the spec "
                        + spec.width());
            }
            p[i] = sigmoid(spec.strength() * g.projection(vectors[i]) + spec.bias());
        }
        return p;
    }

    /**
     * The id of row i.
     *
     * @param i 0-based row
     * @return {@code u} and the 1-based row, 7 digits
     */
    static String id(int i) {
        return String.format(Locale.ROOT, "u%07d", i + 1);
    }

    /** Draws the rows in order from three independent streams (direction, vectors, labels). */
    static final class Generator {
        private final Spec spec;
        private final double[] w;
        private final SplittableRandom vectors;
        private final SplittableRandom labels;

        Generator(Spec spec) {
            this.spec = spec;
            SplittableRandom root = new SplittableRandom(spec.seed());
            SplittableRandom direction = root.split();
            vectors = root.split();
            labels = root.split();
            w = new double[spec.width()];
            double norm = 0;
            for (int k = 0; k < w.length; k++) {
                w[k] = gaussian(direction);
                norm += w[k] * w[k];
            }
            norm = StrictMath.sqrt(norm);
            for (int k = 0; k < w.length; k++) {
                w[k] /= norm;
            }
        }

        /** z = w·x, accumulated as {@link #next} does, so it reproduces the generated value exactly. */
        double projection(float[] x) {
            double z = 0;
            for (int k = 0; k < x.length; k++) {
                z += w[k] * x[k];
            }
            return z;
        }

        /** Draws row i, recording its true probability and label. */
        float[] next(int i, double[] trueP, int[] y) {
            float[] x = new float[spec.width()];
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) gaussian(vectors);
            }
            double p = sigmoid(spec.strength() * projection(x) + spec.bias());
            trueP[i] = p;
            y[i] = labels.nextDouble() < p ? 1 : 0;
            return x;
        }
    }

    /** Box–Muller, written out so the draws do not depend on the JDK's nextGaussian. */
    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * v);
    }

    /** The AUC of scores against 0/1 labels, ties counting one half (average ranks). */
    static double auc(double[] scores, int[] y) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSum = 0;
        long pos = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (y[order[k]] == 1) {
                    rankSum += avgRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = scores.length - pos;
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }
}
