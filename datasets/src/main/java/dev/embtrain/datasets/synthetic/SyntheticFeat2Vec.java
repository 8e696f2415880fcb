package dev.embtrain.datasets.synthetic;

import dev.embtrain.datasets.features.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Generates feat2vec's toy data set: rows of an {@code item}, an {@code id}, three real-valued
 * attributes and an outcome {@code y}, tied together by a latent variable, so that implicit
 * training (positives only, negatives sampled) has a known structure to find.
 *
 * <p>Source: the example notebook of the feat2vec library by Luis Armona, José P.
 * González-Brenes and Ralph Edezhath (Chegg), {@code feat2vec_example.ipynb} in
 * <a href="https://github.com/CheggEng/Feat2Vec">github.com/CheggEng/Feat2Vec</a> (cell 4;
 * unchanged from the first open-source commit of 2017-10-31 to the last of 2020-02-10). Per
 * row, with N(μ, σ) a normal draw and U a uniform one:
 *
 * <pre>
 * id            ~ U{0, ..., 49}
 * (attr1, attr2) ~ N((0, 0), [[1, 0.1], [0.1, 1]])
 * attr3         ~ U(0, 1)
 * item          = clamp(round(id mod 10 + N(0, 0.5)), 0, 9)        (round half to even, as numpy)
 * latent        = attr3⁴/600 + exp(attr1·attr2) + π·[item ≤ 3] − attr3·[item ∈ {2, 4}]
 *                 + attr2·[item ∈ {7, 8}] + attr1·[item ≥ 6] + (id mod 3)·attr3 + N(0, 1) − 5
 * latent        = 0 where |latent| ≥ 10
 * y             = [latent &gt; 0]   ({@link Outcome#BINARY}, the notebook's)
 *               or floor(latent)   ({@link Outcome#FLOOR}, the notebook's commented-out variant,
 *                                   which the pre-release "feat2vec example.md" of 2017 used)
 * </pre>
 *
 * <p>The notebook models {@code item}, {@code id} and {@code y} as categorical fields and
 * groups {@code attr1..attr3} into one real-valued feature {@code attrs} (a dense group of
 * width 3); it shows that the embeddings of ids equal modulo 10 (same item, similar latent)
 * end up close: the neighbours of {@code id_5} are {@code id_35, id_25, id_24, id_15, id_45}
 * with cosines 0.93 to 0.94. numpy's random stream cannot be reproduced here, so the rows are
 * the same model drawn from {@link SplittableRandom} (Box–Muller normals; {@link StrictMath}
 * throughout), not the notebook's very rows; the same arguments always give the same rows.
 *
 * <p>Vocabularies hold the values that occur, in numeric order (index 0 = unknown), so
 * {@code id} 5 has index 6 when every id occurs. Shapes: N = rows, F = 3 categorical fields in
 * the order of {@link #FIELDS}, G = 3 dense columns in the order of {@link #ATTRIBUTES}.
 */
public final class SyntheticFeat2Vec {

    /** The categorical fields, in column order. */
    public static final List<String> FIELDS = List.of("item", "id", "y");
    /** The name of the dense group the attributes form (feat2vec's {@code attrs}). */
    public static final String DENSE_GROUP = "attrs";
    /** The columns of the dense group, in order. */
    public static final List<String> ATTRIBUTES = List.of("attr1", "attr2", "attr3");

    /** How many ids the notebook draws; items are ids modulo 10. */
    public static final int IDS = 50;
    /** Items are 0..9. */
    public static final int ITEMS = 10;

    /** How {@code y} is read off the latent variable. */
    public enum Outcome {
        /** {@code y = [latent > 0]}: two values, 0 and 1 (the notebook's). */
        BINARY,
        /** {@code y = floor(latent)}: the integers −10..9 (the notebook's commented-out variant). */
        FLOOR
    }

    private SyntheticFeat2Vec() {}

    /**
     * The generated rows.
     *
     * @param values raw values, {@code values[r] = {item, id, y}} (N × F)
     * @param indices the same values as vocabulary indices (N × F), what a model reads
     * @param attributes {@code attributes[r] = {attr1, attr2, attr3}} (N × G)
     * @param latent the latent variable of each row, after the |latent| ≥ 10 rule
     * @param vocabularies one per field, in {@link #FIELDS} order
     */
    public record Data(int[][] values, int[][] indices, float[][] attributes, double[] latent,
                       List<Vocabulary> vocabularies) {

        /** The number of rows N. */
        public int rows() {
            return values.length;
        }

        /**
         * The vocabulary of a field.
         *
         * @param field one of {@link #FIELDS}
         * @return its vocabulary
         * @throws IllegalArgumentException naming the fields there are
         */
        public Vocabulary vocabulary(String field) {
            return vocabularies.get(column(field));
        }

        /**
         * How often each vocabulary index of a field occurs; entry 0 (unknown) is 0. These are
         * the counts feat2vec's value distribution (count + bias)^α2 is built from.
         *
         * @param field one of {@link #FIELDS}
         * @return counts indexed like the field's vocabulary
         */
        public long[] counts(String field) {
            int f = column(field);
            long[] counts = new long[vocabularies.get(f).size()];
            for (int[] row : indices) {
                counts[row[f]]++;
            }
            return counts;
        }

        /**
         * The column of a field in {@link #values} and {@link #indices}.
         *
         * @param field one of {@link #FIELDS}
         * @return its column
         */
        public static int column(String field) {
            int f = FIELDS.indexOf(field);
            if (f < 0) {
                throw new IllegalArgumentException("no field \"" + field + "\"; the fields are " + FIELDS);
            }
            return f;
        }
    }

    /**
     * Draws the rows.
     *
     * @param rows how many rows, at least 1 (the notebook draws 100,000)
     * @param outcome how y is read off the latent variable
     * @param seed the seed; the same arguments always give the same rows
     * @return the rows and their vocabularies
     * @throws IllegalArgumentException when {@code rows < 1} or {@code outcome} is null
     */
    public static Data generate(int rows, Outcome outcome, long seed) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be > 0, found " + rows);
        }
        if (outcome == null) {
            throw new IllegalArgumentException("outcome must be one of " + Arrays.toString(Outcome.values()) + ", found null");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[][] values = new int[rows][];
        float[][] attributes = new float[rows][];
        double[] latent = new double[rows];
        double offDiagonal = 0.1;
        double rest = StrictMath.sqrt(1 - offDiagonal * offDiagonal);
        for (int r = 0; r < rows; r++) {
            int id = random.nextInt(IDS);
            // Cholesky factor of [[1, 0.1], [0.1, 1]].
            double z1 = Normal.draw(random);
            double z2 = Normal.draw(random);
            double attr1 = z1;
            double attr2 = offDiagonal * z1 + rest * z2;
            double attr3 = random.nextDouble();
            int item = item(id, 0.5 * Normal.draw(random));
            double l = latent(item, id, attr1, attr2, attr3, Normal.draw(random));
            int y = outcome == Outcome.BINARY ? (l > 0 ? 1 : 0) : (int) StrictMath.floor(l);
            values[r] = new int[] {item, id, y};
            attributes[r] = new float[] {(float) attr1, (float) attr2, (float) attr3};
            latent[r] = l;
        }
        List<Vocabulary> vocabularies = new ArrayList<>();
        int[][] indices = new int[rows][FIELDS.size()];
        for (int f = 0; f < FIELDS.size(); f++) {
            TreeSet<Integer> seen = new TreeSet<>();
            for (int[] row : values) {
                seen.add(row[f]);
            }
            Vocabulary v = Vocabulary.build(seen.stream().map(String::valueOf).toList());
            vocabularies.add(v);
            for (int r = 0; r < rows; r++) {
                indices[r][f] = v.index(String.valueOf(values[r][f]));
            }
        }
        return new Data(values, indices, attributes, latent, List.copyOf(vocabularies));
    }

    /**
     * The item of a row: {@code clamp(round(id mod 10 + noise), 0, 9)}, rounding half to even
     * as numpy's {@code np.round} does.
     *
     * @param id the row's id
     * @param noise its N(0, 0.5) draw
     * @return the item
     */
    static int item(int id, double noise) {
        return (int) Math.max(0, Math.min(ITEMS - 1, StrictMath.rint(id % 10 + noise)));
    }

    /**
     * The latent variable of a row, set to 0 where its magnitude reaches 10 (the notebook's
     * guard against exp(attr1·attr2) blowing up).
     *
     * @param item the row's item
     * @param id its id
     * @param attr1 first attribute
     * @param attr2 second attribute
     * @param attr3 third attribute
     * @param noise its N(0, 1) draw
     * @return the latent value
     */
    static double latent(int item, int id, double attr1, double attr2, double attr3, double noise) {
        double l = StrictMath.pow(attr3, 4) / 600.0
                + StrictMath.exp(attr1 * attr2)
                + (item <= 3 ? Math.PI : 0)
                - (item == 2 || item == 4 ? attr3 : 0)
                + (item == 7 || item == 8 ? attr2 : 0)
                + (item >= 6 ? attr1 : 0)
                + (id % 3) * attr3
                + noise
                - 5;
        return Math.abs(l) >= 10 ? 0 : l;
    }
}
