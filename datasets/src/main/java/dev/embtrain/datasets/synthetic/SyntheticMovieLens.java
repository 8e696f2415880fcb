package dev.embtrain.datasets.synthetic;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.FileTrees;
import dev.embtrain.datasets.movielens.MovieLensFolds;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Writes a MovieLens-shaped data set (the ml-100k layout: {@code u.data}, {@code u.item},
 * {@code u.user}, and the official splits {@code u1.base} ... {@code ub.test} as
 * {@link MovieLensFolds} makes them) drawn from a known latent-factor model, so demos and tests need no download
 * and a trained model can be judged against the best error any predictor could reach.
 *
 * <h2>Generative model</h2>
 *
 * With F = {@code factors}:
 *
 * <ul>
 *   <li>user bias b_u ~ N(0, 0.4²) and item bias b_i ~ N(0, 0.4²);
 *   <li>user factors p_u and item factors q_i with independent N(0, 0.8/√F) components, so
 *       that p_u·q_i has standard deviation 0.8 whatever F;
 *   <li>latent rating x_ui = 0.5 + 5·sigmoid(c + b_u + b_i + p_u·q_i), i.e. a model with
 *       {@code y_range [0.5, 5.5]} fits it exactly; the offset c is solved for (bisection) so
 *       that the mean of x over the generated pairs is 3.5, about MovieLens's mean;
 *   <li>observed rating r = clamp(round(x_ui + ε), 1, 5) with ε ~ N(0, noise²), where round
 *       sends [k − ½, k + ½) to k.
 * </ul>
 *
 * The (user, item) pairs are distinct. Every user and every item gets at least one rating when
 * {@code ratings >= max(users, items)} (a first pass pairs a shuffled list of users with a
 * shuffled list of items); with fewer ratings, some go without. The other pairs are drawn
 * uniformly without replacement from the cells still free. With {@code exposure} β &gt; 0 each
 * further rating goes to a uniformly drawn user, who picks an item it has not rated with
 * probability proportional to exp(β·(b_i + p_u·q_i)): users see more of what they like and of
 * popular items, as in real implicit feedback, and the true ranking of a user's items is by
 * b_i + p_u·q_i (written to {@code truth/} for benchmarks to score). Rows are written in random order
 * with increasing timestamps (874,965,758 s, Sept 1997, plus 13 s a row plus up to 12 s).
 *
 * <h2>Noise floor</h2>
 *
 * {@link Result#noiseFloorMse()} is the mean over the generated ratings of Var(r | x_ui),
 * computed exactly from the discretised Gaussian (see {@link #ratingVariance(double, double)}).
 * No predictor of r from (u, i) can have a lower expected mean squared error, so a model's
 * validation MSE should approach it from above.
 *
 * <h2>Files</h2>
 *
 * Alongside the ml-100k files, {@code synthetic.properties} holds the spec and the noise
 * floor. The same spec always gives byte-identical files (all arithmetic uses
 * {@link StrictMath} and {@link SplittableRandom}).
 */
public final class SyntheticMovieLens {
    /** The name of the file that marks a directory as synthetic and holds its spec. */
    public static final String PROPERTIES_FILE = "synthetic.properties";

    /** Bumped when the generator changes, so an old directory is not reused as if current. */
    static final int GENERATOR_VERSION = 1;

    private static final double BIAS_STD = 0.4;
    /** The most cells exposure scores (each user's draw weighs every item). */
    public static final long MAX_EXPOSURE_CELLS = 100_000_000L;
    private static final double TARGET_MEAN = 3.5;
    private static final long FIRST_TIMESTAMP = 874_965_758L;
    private static final String[] OCCUPATIONS = {"administrator", "artist", "doctor", "educator", "engineer",
        "entertainment", "executive", "healthcare", "homemaker", "lawyer", "librarian", "marketing", "none",
        "other", "programmer", "retired", "salesman", "scientist", "student", "technician", "writer"};
    private static final Logger LOG = LogManager.getLogger(SyntheticMovieLens.class);

    private SyntheticMovieLens() {}

    /**
     * What to generate.
     *
     * @param users number of users (ids 1..users)
     * @param items number of movies (ids 1..items)
     * @param ratings number of distinct (user, movie) ratings, at most users·items
     * @param factors latent dimension F of the true model
     * @param noise standard deviation of the Gaussian noise added before rounding
     * @param seed seed of every random draw
     * @param exposure β, how strongly preference decides which cells are rated; 0: uniformly
     */
    public record Spec(int users, int items, int ratings, int factors, double noise, long seed, double exposure) {
        /** Rejects sizes that are not positive, too many ratings, and negative or non-finite noise. */
        public Spec {
            positive("users", users);
            positive("items", items);
            positive("ratings", ratings);
            positive("factors", factors);
            if (!(noise >= 0 && Double.isFinite(noise))) {
                throw new IllegalArgumentException("noise must be finite and >= 0, found " + noise);
            }
            if ((long) ratings > (long) users * items) {
                throw new IllegalArgumentException("ratings must be <= users·items = " + (long) users * items
                        + ", found " + ratings);
            }
            if (!(exposure >= 0 && Double.isFinite(exposure))) {
                throw new IllegalArgumentException("exposure must be finite and >= 0, found " + exposure);
            }
            if (exposure > 0 && (long) users * items > MAX_EXPOSURE_CELLS) {
                throw new IllegalArgumentException("exposure scores every user-item cell: users·items must be <= "
                        + MAX_EXPOSURE_CELLS + ", found " + (long) users * items);
            }
        }

        /**
         * A spec whose cells are drawn uniformly.
         *
         * @param users number of users
         * @param items number of movies
         * @param ratings number of ratings
         * @param factors latent dimension
         * @param noise the noise's standard deviation
         * @param seed the seed
         */
        public Spec(int users, int items, int ratings, int factors, double noise, long seed) {
            this(users, items, ratings, factors, noise, seed, 0);
        }

        private static void positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be > 0, found " + value);
            }
        }

        /** 600 users, 400 items, 100,000 ratings, 4 factors, noise 0.8, seed 42: ml-100k's size, trains in seconds. */
        public static Spec defaults() {
            return new Spec(600, 400, 100_000, 4, 0.8, 42);
        }
    }

    /**
     * What {@link #write(Spec, Path)} produced.
     *
     * @param dir the data set directory
     * @param noiseFloorMse the best expected MSE any predictor can reach on these ratings
     * @param ratings the number of ratings written
     */
    public record Result(Path dir, double noiseFloorMse, int ratings) {}

    /**
     * Generates the data set into {@code dir}, or reuses it when {@code dir} already holds the
     * same spec.
     *
     * <p>The files are written into a temporary sibling directory that is renamed to
     * {@code dir} at the end, so {@code dir} is either absent or complete.
     *
     * @throws IllegalArgumentException when {@code dir} exists but holds another spec or is not
     *     an (empty or) synthetic directory
     */
    public static Result write(Spec spec, Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Result existing = reuse(spec, target);
        if (existing != null) {
            return existing;
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = FileTrees.createUniqueDirectory(parent, "." + target.getFileName() + ".tmp-");
        try {
            long start = System.nanoTime();
            double floor = generate(spec, tmp);
            try {
                // An empty directory (e.g. made by a tool) is as good as none.
                if (Files.isDirectory(target)) {
                    Files.delete(target);
                }
                moveDirectory(tmp, target);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // Another process finished the same directory first; take it if it matches.
                Result raced = reuse(spec, target);
                if (raced != null) {
                    return raced;
                }
                throw e;
            }
            LOG.info("wrote {} synthetic ratings to {} in {} ms (noise floor MSE {})", spec.ratings(), target,
                    (System.nanoTime() - start) / 1_000_000, floor);
            return new Result(target, floor, spec.ratings());
        } finally {
            FileTrees.deleteRecursively(tmp);
        }
    }

    private static void moveDirectory(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** The result for {@code dir} when it already holds {@code spec}; null when it does not exist or is empty. */
    private static Result reuse(Spec spec, Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return null;
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " exists and is not a directory; refusing to write synthetic data there");
        }
        Path file = dir.resolve(PROPERTIES_FILE);
        if (!Files.isRegularFile(file)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isEmpty()) {
                    return null;
                }
            }
            throw new IllegalArgumentException(dir + " exists and is not a synthetic MovieLens directory (no "
                    + PROPERTIES_FILE + "); refusing to overwrite it");
        }
        Properties properties = load(file);
        Spec found = specOf(file, properties);
        int version = intProperty(file, properties, "generator_version");
        if (!found.equals(spec) || version != GENERATOR_VERSION) {
            throw new IllegalArgumentException(dir + " holds synthetic data of another spec (" + describe(found, version)
                    + "), not " + describe(spec, GENERATOR_VERSION) + "; choose another directory or delete it");
        }
        LOG.info("reusing synthetic data in {}", dir);
        if (!MovieLensFolds.present(dir)) {
            // Written by a version that did not write the official splits yet: add them.
            MovieLensFolds.write(dir);
        }
        return new Result(dir, doubleProperty(file, properties, "noise_floor_mse"), found.ratings());
    }

    private static String describe(Spec spec, int version) {
        return "users=" + spec.users() + ", items=" + spec.items() + ", ratings=" + spec.ratings() + ", factors="
                + spec.factors() + ", noise=" + spec.noise() + ", seed=" + spec.seed()
                + (spec.exposure() > 0 ? ", exposure=" + spec.exposure() : "") + ", generator_version=" + version;
    }

    /**
     * The noise floor written in {@code dir}'s {@value #PROPERTIES_FILE}; empty when there is
     * no such file (real MovieLens data).
     *
     * @throws DataFormatException when the file exists but has no valid {@code noise_floor_mse}
     */
    public static OptionalDouble readNoiseFloor(Path dir) throws IOException {
        Path file = dir.resolve(PROPERTIES_FILE);
        if (!Files.isRegularFile(file)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(doubleProperty(file, load(file), "noise_floor_mse"));
    }

    /**
     * Var(r | x) for a latent rating {@code x} and noise standard deviation {@code noise}: r is
     * 1 when x + ε < 1.5, 5 when x + ε ≥ 4.5 and round(x + ε) otherwise, so P(r = k) is a
     * difference of normal CDFs at the cell boundaries k ± ½. Zero when {@code noise} is 0.
     */
    public static double ratingVariance(double x, double noise) {
        if (noise == 0) {
            return 0;
        }
        double[] p = new double[5];
        double below = 0;
        for (int k = 1; k <= 4; k++) {
            double cdf = Normal.cdf((k + 0.5 - x) / noise);
            p[k - 1] = cdf - below;
            below = cdf;
        }
        p[4] = 1 - below;
        double mean = 0;
        for (int k = 1; k <= 5; k++) {
            mean += k * p[k - 1];
        }
        double variance = 0;
        for (int k = 1; k <= 5; k++) {
            double d = k - mean;
            variance += p[k - 1] * d * d;
        }
        return variance;
    }

    // ---------------------------------------------------------------- generation

    /** Writes every file into {@code dir} and returns the noise floor. */
    private static double generate(Spec spec, Path dir) throws IOException {
        SplittableRandom root = new SplittableRandom(spec.seed());
        // One stream per concern, so changing how one part is drawn leaves the others alone.
        SplittableRandom modelRandom = root.split();
        SplittableRandom pairRandom = root.split();
        SplittableRandom noiseRandom = root.split();
        SplittableRandom metaRandom = root.split();

        int users = spec.users();
        int items = spec.items();
        int f = spec.factors();
        double factorStd = StrictMath.sqrt(0.8 / StrictMath.sqrt(f));
        double[] userBias = gaussians(modelRandom, users, BIAS_STD);
        double[] itemBias = gaussians(modelRandom, items, BIAS_STD);
        double[] userFactors = gaussians(modelRandom, users * f, factorStd);
        double[] itemFactors = gaussians(modelRandom, items * f, factorStd);

        long[] pairs = drawPairs(spec, pairRandom, spec.exposure() == 0 ? null : cell -> {
            int u = (int) (cell / items);
            int i = (int) (cell % items);
            double s = itemBias[i];
            for (int k = 0; k < f; k++) {
                s += userFactors[u * f + k] * itemFactors[i * f + k];
            }
            return s;
        });
        int n = pairs.length;
        double[] logits = new double[n];
        for (int row = 0; row < n; row++) {
            int u = (int) (pairs[row] / items);
            int i = (int) (pairs[row] % items);
            double dot = 0;
            for (int k = 0; k < f; k++) {
                dot += userFactors[u * f + k] * itemFactors[i * f + k];
            }
            logits[row] = userBias[u] + itemBias[i] + dot;
        }
        double offset = solveOffset(logits);

        Path ratingsFile = dir.resolve("u.data");
        double floorSum = 0;
        try (BufferedWriter out = Files.newBufferedWriter(ratingsFile, StandardCharsets.ISO_8859_1)) {
            StringBuilder line = new StringBuilder(40);
            for (int row = 0; row < n; row++) {
                double x = latent(offset + logits[row]);
                double noisy = x + spec.noise() * Normal.draw(noiseRandom);
                int rating = (int) Math.max(1, Math.min(5, Math.floor(noisy + 0.5)));
                floorSum += ratingVariance(x, spec.noise());
                long timestamp = FIRST_TIMESTAMP + 13L * row + noiseRandom.nextInt(13);
                line.setLength(0);
                line.append(pairs[row] / items + 1).append('\t').append(pairs[row] % items + 1).append('\t')
                        .append(rating).append('\t').append(timestamp).append('\n');
                out.append(line);
            }
        }
        double floor = floorSum / n;
        writeItems(dir.resolve("u.item"), items, metaRandom);
        writeUsers(dir.resolve("u.user"), users, metaRandom);
        MovieLensFolds.write(dir);
        if (spec.exposure() > 0) {
            writeTruth(dir.resolve("truth"), users, items, f, userBias, itemBias, userFactors, itemFactors);
        }
        writeProperties(dir.resolve(PROPERTIES_FILE), spec, floor, offset);
        return floor;
    }

    private static double latent(double logit) {
        return 0.5 + 5 / (1 + StrictMath.exp(-logit));
    }

    /**
     * The offset c that makes the mean latent rating {@value #TARGET_MEAN}. Newton's method:
     * the mean rises with c and is smooth, so a few steps reach double precision where
     * bisection needed sixty passes over every rating.
     */
    private static double solveOffset(double[] logits) {
        double c = StrictMath.log((TARGET_MEAN - 0.5) / (5.5 - TARGET_MEAN)); // exact when all logits are 0
        for (int iteration = 0; iteration < 100; iteration++) {
            double mean = 0;
            double slope = 0;
            for (double logit : logits) {
                double sigmoid = 1 / (1 + StrictMath.exp(-(c + logit)));
                mean += 0.5 + 5 * sigmoid;
                slope += 5 * sigmoid * (1 - sigmoid);
            }
            mean /= logits.length;
            slope /= logits.length;
            double step = (TARGET_MEAN - mean) / slope;
            // Cap the step: far out in the tails the slope is tiny and a full step would overshoot.
            step = Math.max(-1, Math.min(1, step));
            c += step;
            if (Math.abs(step) < 1e-13) {
                break;
            }
        }
        return c;
    }

    /**
     * Distinct (user, item) cells as {@code user·items + item}, in random order: first a
     * covering pass so everyone gets a rating, then uniform draws from the free cells.
     */
    private static long[] drawPairs(Spec spec, SplittableRandom random,
            java.util.function.LongToDoubleFunction preference) {
        int users = spec.users();
        int items = spec.items();
        int n = spec.ratings();
        long cells = (long) users * items;
        long[] pairs = new long[n];
        LongSet taken = new LongSet(n);
        int[] userOrder = permutation(users, random);
        int[] itemOrder = permutation(items, random);
        int covering = Math.min(n, Math.max(users, items));
        // k indexes the larger side directly, so these cells are distinct.
        for (int k = 0; k < covering; k++) {
            long cell = (long) userOrder[k % users] * items + itemOrder[k % items];
            pairs[k] = cell;
            taken.add(cell);
        }
        int filled = covering;
        if (preference != null) {
            preferred(spec, random, preference, pairs, filled, taken);
        } else if (n - covering <= cells / 2) {
            // Sparse: rejection sampling needs fewer than two draws a cell on average.
            while (filled < n) {
                long cell = random.nextLong(cells);
                if (taken.add(cell)) {
                    pairs[filled++] = cell;
                }
            }
        } else {
            if (cells > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("users·items = " + cells + " cells is too many for "
                        + n + " ratings; use fewer ratings or a sparser spec");
            }
            int[] free = new int[(int) (cells - covering)];
            int count = 0;
            for (int cell = 0; cell < cells; cell++) {
                if (!taken.contains(cell)) {
                    free[count++] = cell;
                }
            }
            for (int k = 0; filled < n; k++) {
                int j = k + random.nextInt(count - k);
                int swap = free[k];
                free[k] = free[j];
                free[j] = swap;
                pairs[filled++] = free[k];
            }
        }
        for (int k = n - 1; k > 0; k--) {
            int j = random.nextInt(k + 1);
            long swap = pairs[k];
            pairs[k] = pairs[j];
            pairs[j] = swap;
        }
        return pairs;
    }

    /**
     * Fills {@code pairs[from..]} by exposure: each remaining rating goes to a uniformly drawn
     * user (moved to another with room when that user has every item), and each user's items are
     * drawn without replacement from its free cells with weight exp(β·s) (Efraimidis and
     * Spirakis: the largest keys log(U) / w).
     */
    private static void preferred(Spec spec, SplittableRandom random, java.util.function.LongToDoubleFunction score,
            long[] pairs, int from, LongSet taken) {
        int users = spec.users();
        int items = spec.items();
        int[] room = new int[users];
        java.util.Arrays.fill(room, items);
        for (int k = 0; k < from; k++) {
            room[(int) (pairs[k] / items)]--;
        }
        int[] count = new int[users];
        for (int k = from; k < pairs.length; k++) {
            int u = random.nextInt(users);
            while (count[u] == room[u]) {
                u = (u + 1) % users;
            }
            count[u]++;
        }
        int filled = from;
        double[] keys = new double[items];
        Integer[] order = new Integer[items];
        for (int u = 0; u < users; u++) {
            if (count[u] == 0) {
                continue;
            }
            for (int i = 0; i < items; i++) {
                long cell = (long) u * items + i;
                order[i] = i;
                keys[i] = taken.contains(cell) ? Double.NEGATIVE_INFINITY
                        : StrictMath.log(1 - random.nextDouble()) * StrictMath.exp(-spec.exposure()
                                * score.applyAsDouble(cell));
            }
            java.util.Arrays.sort(order, (a, b) -> keys[a] != keys[b] ? Double.compare(keys[b], keys[a])
                    : Integer.compare(a, b));
            for (int j = 0; j < count[u]; j++) {
                long cell = (long) u * items + order[j];
                taken.add(cell);
                pairs[filled++] = cell;
            }
        }
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        for (int k = n - 1; k > 0; k--) {
            int j = random.nextInt(k + 1);
            int swap = order[k];
            order[k] = order[j];
            order[j] = swap;
        }
        return order;
    }

    private static double[] gaussians(SplittableRandom random, int n, double std) {
        double[] values = new double[n];
        for (int k = 0; k < n; k++) {
            values[k] = std * Normal.draw(random);
        }
        return values;
    }

    private static void writeItems(Path file, int items, SplittableRandom random) throws IOException {
        String[] months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.ISO_8859_1)) {
            for (int i = 1; i <= items; i++) {
                int year = 1930 + random.nextInt(69);
                String date = String.format("%02d-%s-%d", 1 + random.nextInt(28), months[random.nextInt(12)], year);
                StringBuilder line = new StringBuilder();
                line.append(i).append("|Synthetic Movie ").append(i).append(" (").append(year).append(")|")
                        .append(date).append("||");
                boolean[] genres = new boolean[19];
                boolean any = false;
                for (int g = 0; g < 19; g++) {
                    genres[g] = random.nextInt(100) < 15;
                    any |= genres[g];
                }
                if (!any) {
                    genres[random.nextInt(19)] = true;
                }
                for (boolean genre : genres) {
                    line.append('|').append(genre ? '1' : '0');
                }
                out.append(line).append('\n');
            }
        }
    }

    private static void writeUsers(Path file, int users, SplittableRandom random) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.ISO_8859_1)) {
            for (int u = 1; u <= users; u++) {
                int age = 7 + random.nextInt(67);
                char gender = random.nextInt(100) < 71 ? 'M' : 'F';
                String occupation = OCCUPATIONS[random.nextInt(OCCUPATIONS.length)];
                String zip = String.format("%05d", random.nextInt(100_000));
                out.append(Integer.toString(u)).append('|').append(Integer.toString(age)).append('|').append(gender)
                        .append('|').append(occupation).append('|').append(zip).append('\n');
            }
        }
    }

    /**
     * Writes the true model: {@code users.tsv} and {@code items.tsv}, a line per id in id order,
     * the bias then the factors, tab-separated.
     */
    private static void writeTruth(Path dir, int users, int items, int f, double[] userBias, double[] itemBias,
            double[] userFactors, double[] itemFactors) throws IOException {
        Files.createDirectories(dir);
        for (boolean user : new boolean[] {true, false}) {
            int n = user ? users : items;
            double[] bias = user ? userBias : itemBias;
            double[] factors = user ? userFactors : itemFactors;
            try (BufferedWriter out = Files.newBufferedWriter(dir.resolve(user ? "users.tsv" : "items.tsv"),
                    StandardCharsets.ISO_8859_1)) {
                for (int k = 0; k < n; k++) {
                    out.write(Double.toString(bias[k]));
                    for (int j = 0; j < f; j++) {
                        out.write('\t');
                        out.write(Double.toString(factors[k * f + j]));
                    }
                    out.write('\n');
                }
            }
        }
    }

    /** Written by hand: Properties.store adds the current date, which would break byte-identical output. */
    private static void writeProperties(Path file, Spec spec, double floor, double offset) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.ISO_8859_1)) {
            out.write("# Synthetic MovieLens data (ml-100k layout) written by embtrain's SyntheticMovieLens.\n");
            out.write("# noise_floor_mse: mean Var(rating | user, item), the best expected MSE of any predictor.\n");
            out.write("generator_version=" + GENERATOR_VERSION + "\n");
            out.write("users=" + spec.users() + "\n");
            out.write("items=" + spec.items() + "\n");
            out.write("ratings=" + spec.ratings() + "\n");
            out.write("factors=" + spec.factors() + "\n");
            out.write("noise=" + spec.noise() + "\n");
            out.write("seed=" + spec.seed() + "\n");
            if (spec.exposure() > 0) {
                out.write("exposure=" + spec.exposure() + "\n");
            }
            out.write("latent_offset=" + offset + "\n");
            out.write("noise_floor_mse=" + floor + "\n");
        }
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            properties.load(in);
        }
        return properties;
    }

    private static Spec specOf(Path file, Properties properties) {
        try {
            return new Spec(intProperty(file, properties, "users"), intProperty(file, properties, "items"),
                    intProperty(file, properties, "ratings"), intProperty(file, properties, "factors"),
                    doubleProperty(file, properties, "noise"), longProperty(file, properties, "seed"),
                    properties.getProperty("exposure") == null ? 0 : doubleProperty(file, properties, "exposure"));
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file, 0, e.getMessage(), e);
        }
    }

    private static String property(Path file, Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new DataFormatException(file, 0, "missing key " + key);
        }
        return value.strip();
    }

    private static int intProperty(Path file, Properties properties, String key) {
        String value = property(file, properties, key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, 0, key + ": expected an integer, found \"" + value + "\"");
        }
    }

    private static long longProperty(Path file, Properties properties, String key) {
        String value = property(file, properties, key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, 0, key + ": expected an integer, found \"" + value + "\"");
        }
    }

    private static double doubleProperty(Path file, Properties properties, String key) {
        String value = property(file, properties, key);
        try {
            double parsed = Double.parseDouble(value);
            if (!Double.isFinite(parsed)) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, 0, key + ": expected a number, found \"" + value + "\"");
        }
    }

    /** An open-addressing set of non-negative longs; boxing 25 million Longs would cost gigabytes. */
    private static final class LongSet {
        private static final long EMPTY = -1;
        private long[] slots;
        private int size;

        LongSet(int expected) {
            int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
            slots = new long[capacity];
            java.util.Arrays.fill(slots, EMPTY);
        }

        boolean contains(long value) {
            int mask = slots.length - 1;
            for (int i = hash(value) & mask; ; i = (i + 1) & mask) {
                if (slots[i] == EMPTY) {
                    return false;
                }
                if (slots[i] == value) {
                    return true;
                }
            }
        }

        /** Adds {@code value}; false when it was already there. */
        boolean add(long value) {
            if (2 * (size + 1) > slots.length) {
                grow();
            }
            int mask = slots.length - 1;
            for (int i = hash(value) & mask; ; i = (i + 1) & mask) {
                if (slots[i] == EMPTY) {
                    slots[i] = value;
                    size++;
                    return true;
                }
                if (slots[i] == value) {
                    return false;
                }
            }
        }

        private void grow() {
            long[] old = slots;
            slots = new long[old.length * 2];
            java.util.Arrays.fill(slots, EMPTY);
            size = 0;
            for (long value : old) {
                if (value != EMPTY) {
                    add(value);
                }
            }
        }

        private static int hash(long value) {
            long h = value * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32));
        }
    }
}
