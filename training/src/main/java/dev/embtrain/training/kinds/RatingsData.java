package dev.embtrain.training.kinds;

import dev.embtrain.datasets.features.FeatureSchema;
import dev.embtrain.datasets.features.FeatureSource;
import dev.embtrain.datasets.features.FeatureSpec;
import dev.embtrain.models.shared.HashedCross;
import dev.embtrain.datasets.features.Vocabulary;
import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.movielens.ItemKey;
import dev.embtrain.datasets.movielens.MovieLens;
import dev.embtrain.datasets.movielens.MovieLensDownload;
import dev.embtrain.datasets.movielens.MovieLensFolds;
import dev.embtrain.datasets.movielens.MovieLensFeatures;
import dev.embtrain.datasets.movielens.RatingsTable;
import dev.embtrain.datasets.io.TableFile;
import dev.embtrain.datasets.split.Split;
import dev.embtrain.datasets.tables.PreparedParts;
import dev.embtrain.datasets.tables.PreparedRatings;
import dev.embtrain.datasets.tables.RatingsFile;
import dev.embtrain.datasets.tables.SideTable;
import dev.embtrain.datasets.tables.TableFeatures;
import dev.embtrain.datasets.split.Splits;
import dev.embtrain.datasets.synthetic.SyntheticMovieLens;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.CrossConfig;
import dev.embtrain.training.config.DatasetConfig;
import dev.embtrain.training.config.LabelConfig;
import dev.embtrain.training.config.MovieLensConfig;
import dev.embtrain.training.config.RatingsColumnsConfig;
import dev.embtrain.training.config.RatingsDatasetConfig;
import dev.embtrain.training.config.RatingsFileConfig;
import dev.embtrain.training.config.RankingConfig;
import dev.embtrain.training.config.SideTableConfig;
import dev.embtrain.training.config.SplitConfig;
import dev.embtrain.training.config.SyntheticMovieLensConfig;
import dev.embtrain.training.run.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A ratings dataset read, split and encoded for training: a {@link FeatureSchema} frozen on the
 * training split (vocabularies with index 0 = unknown, crosses, bags) and both splits encoded
 * with it, ids {@code [rows, F]} and dense values {@code [rows, G]}.
 *
 * @param table the ratings as read
 * @param split training and validation rows of the table
 * @param schema the frozen feature layout
 * @param train the training split, encoded
 * @param valid the validation split, encoded
 * @param noiseFloor the best achievable MSE, when the data is synthetic
 * @param source the dataset type it came from
 * @param features the rows with their side features, as read
 */
public record RatingsData(
        RatingsTable table, Split split, FeatureSchema schema, FeatureSchema.Encoded train, FeatureSchema.Encoded valid,
        OptionalDouble noiseFloor, String source, FeatureSource features) {

    /** The id fields every ratings batch starts with, in column order. */
    public static final List<String> FIELDS = FeatureSpec.IDS;

    /**
     * Returns the user vocabulary.
     *
     * @return users
     */
    public Vocabulary users() {
        return schema.vocabulary("user");
    }

    /**
     * Returns the item vocabulary.
     *
     * @return items
     */
    public Vocabulary items() {
        return schema.vocabulary("item");
    }

    /**
     * Returns whether the label is binary.
     *
     * @return true for {@code rating >= threshold}
     */
    public boolean binary() {
        return schema.spec().label().binary();
    }

    /**
     * Returns whether a run trains on implicit feedback.
     *
     * @param config the run
     * @return true for a ratings dataset with {@code label.type: implicit}
     */
    public static boolean implicit(dev.embtrain.training.config.RunConfig config) {
        return config.dataset() instanceof RatingsDatasetConfig r && r.label().type() == LabelConfig.LabelType.IMPLICIT;
    }

    /**
     * Returns the ranking a run measures: its {@code evaluation.ranking}, the defaults for an
     * implicit label without one, else null.
     *
     * @param config the run
     * @return the ranking, or null for none
     */
    public static RankingConfig ranking(dev.embtrain.training.config.RunConfig config) {
        if (!(config.dataset() instanceof RatingsDatasetConfig r)) {
            return null;
        }
        RankingConfig given = r.evaluation().ranking();
        return given == null && implicit(config) ? RankingConfig.DEFAULT : given;
    }

    /**
     * Returns each user's training items.
     *
     * @return per user vocabulary index, its distinct training item indices, sorted
     */
    public int[][] seen() {
        int[] u = schema.ids(train, "user");
        int[] i = schema.ids(train, "item");
        int[] counts = new int[users().size()];
        for (int x : u) {
            counts[x]++;
        }
        int[][] out = new int[counts.length][];
        for (int x = 0; x < counts.length; x++) {
            out[x] = new int[counts[x]];
        }
        int[] at = new int[counts.length];
        for (int k = 0; k < u.length; k++) {
            out[u[k]][at[u[k]]++] = i[k];
        }
        for (int x = 0; x < out.length; x++) {
            out[x] = java.util.Arrays.stream(out[x]).sorted().distinct().toArray();
        }
        return out;
    }

    /**
     * Returns the validation split's items per user, as ranking metrics count them: known users
     * and items only, rated at least {@code minRating} when one is given, and not among the
     * user's training items (which every protocol leaves out of the candidates).
     *
     * @param minRating the smallest relevant rating, or null for every row
     * @param seen {@link #seen()}
     * @return per user vocabulary index, its held-out item indices
     */
    public Map<Integer, java.util.Set<Integer>> heldOut(Double minRating, int[][] seen) {
        int[] u = schema.ids(valid, "user");
        int[] i = schema.ids(valid, "item");
        int[] rows = split.valid();
        Map<Integer, java.util.Set<Integer>> out = new java.util.TreeMap<>();
        for (int k = 0; k < u.length; k++) {
            if (u[k] == 0 || i[k] == 0 || (minRating != null && table.rating(rows[k]) < minRating)
                    || java.util.Arrays.binarySearch(seen[u[k]], i[k]) >= 0) {
                continue;
            }
            out.computeIfAbsent(u[k], x -> new java.util.TreeSet<>()).add(i[k]);
        }
        return out;
    }

    /**
     * Reads the dataset a config names, splits and encodes it.
     *
     * @param loaded the config, with locations for errors
     * @return the data
     * @throws IOException when reading fails
     */
    public static RatingsData load(ConfigLoader.Loaded loaded) throws IOException {
        DatasetConfig dataset = loaded.config().dataset();
        FeatureSpec spec = spec(loaded);
        boolean sides = !FeatureSpec.IDS.containsAll(spec.fields());
        Source read = DatasetTypes.of(dataset).ratings().read(loaded);
        RatingsTable table = read.table();
        Path dir = read.dir();
        ItemKey key = read.key();
        OptionalDouble floor = read.floor();
        // Side files are read only when a side feature is asked for: ids alone need none of them.
        // A ratings file brings its own features; MovieLens's side files are read only when a side
        // feature is asked for: ids alone need none of them.
        FeatureSource source = read.features() != null ? read.features()
                : sides ? MovieLensFeatures.read(table, dir, key)
                : new MovieLensFeatures(table, java.util.Map.of(), java.util.Map.of());
        Split split = split(loaded, read);
        LabelConfig label = ((RatingsDatasetConfig) dataset).label();
        if (label.type() == LabelConfig.LabelType.IMPLICIT && label.minRating() != null) {
            split = atLeast(split, table, label.minRating());
        }
        try {
            return encode(source, table, split, spec, floor, dataset.type());
        } catch (FeatureSchema.UnknownFieldException e) {
            throw loaded.error("dataset.features", e.getMessage());
        } catch (FeatureSchema.NumericCrossException e) {
            throw loaded.error("dataset.crosses", e.getMessage());
        }
    }

    /**
     * Ratings as a dataset type reads them, before splitting and encoding.
     *
     * @param table the ratings
     * @param dir the MovieLens-format directory holding them and their side files, or null
     * @param key how items are keyed
     * @param floor the noise floor of generated data's MSE, or empty
     * @param splits each row's split column value ({@link RatingsFile#TRAIN}...), or null
     * @param features the rows joined to their side tables, or null to read MovieLens's from
     *     {@code dir}
     */
    public record Source(RatingsTable table, Path dir, ItemKey key, OptionalDouble floor, byte[] splits,
            FeatureSource features) {

        Source(RatingsTable table, Path dir, ItemKey key, OptionalDouble floor) {
            this(table, dir, key, floor, null, null);
        }
    }

    /**
     * Reads {@code dataset.type: ratings}, a user's own file.
     *
     * @param loaded the config
     * @return the ratings, with the split column's values under a column split
     * @throws IOException when reading fails
     */
    static Source readFile(ConfigLoader.Loaded loaded) throws IOException {
        RatingsFileConfig c = (RatingsFileConfig) loaded.config().dataset();
        boolean prepared = PreparedParts.isPrepared(c.path());
        if (!prepared) {
            checkTable(loaded, "dataset.path", c.path());
        }
        RatingsColumnsConfig cols = c.columns();
        SplitConfig split = c.split();
        if (split.type() == SplitConfig.SplitType.LEAVE_LAST_OUT && cols.timestamp() == null) {
            throw loaded.error("dataset.split.type", "leave-last-out holds out each user's latest rating; name the"
                    + " timestamp column in dataset.columns.timestamp");
        }
        RatingsFile.Columns columns = c.tableColumns();
        RatingsFile.Read read = prepared ? PreparedRatings.read(c.path(), columns) : RatingsFile.read(c.path(), columns);
        SideTable users = side(loaded, "dataset.users", c.users());
        SideTable items = side(loaded, "dataset.items", c.items());
        RatingsTable table = read.table();
        if (items != null && c.items().label() != null) {
            // Items are labelled by the label column where it has a value, else by their id.
            Map<String, String> labels = new LinkedHashMap<>();
            table.itemLabels().keySet().forEach(id -> {
                String label = items.label(id);
                labels.put(id, label == null ? id : label);
            });
            table = new RatingsTable(table.users(), table.items(), table.ratings(), table.timestamps(), labels,
                    table.source(), table.format());
        }
        FeatureSource features;
        try {
            features = new TableFeatures(table, users, items);
        } catch (IllegalArgumentException e) {
            throw loaded.error("dataset.items", e.getMessage());
        }
        return new Source(table, null, ItemKey.ID, OptionalDouble.empty(), read.splits(), features);
    }

    /** Refuses a table path that is not a file, or whose name no reader takes, naming the key. */
    static void checkTable(ConfigLoader.Loaded loaded, String key, Path path) {
        checkTable(loaded, key, path, "");
    }

    /**
     * Refuses a table path that is not a readable file (an S3 object's status included), or
     * whose name no table reader takes, naming the key.
     *
     * @param loaded the config
     * @param key the key that names the path
     * @param path the path
     * @param orElse what else the key's reader takes, appended to the expected formats
     *     ({@code ", or .txt ..."}), or empty
     */
    static void checkTable(ConfigLoader.Loaded loaded, String key, Path path, String orElse) {
        String unreadable = TableFile.unreadable(path);
        if (unreadable != null) {
            throw loaded.error(key, unreadable);
        }
        try {
            TableFile.format(path);
        } catch (DataFormatException e) {
            throw loaded.error(key, e.detail() + orElse + ", found " + path.getFileName());
        }
    }

    private static SideTable side(ConfigLoader.Loaded loaded, String key, SideTableConfig side) throws IOException {
        if (side == null) {
            return null;
        }
        checkTable(loaded, key + ".path", side.path());
        return SideTable.read(side.path(), new SideTable.Columns(side.key(), side.categorical(), side.bags(),
                side.delimiter(), side.label(), side.numeric(), side.groupColumns()));
    }

    /**
     * Reads {@code dataset.type: movielens}, fetching it first where {@code download: true} says so.
     *
     * @param loaded the config
     * @return the ratings
     * @throws IOException when reading fails
     */
    static Source readMovieLens(ConfigLoader.Loaded loaded) throws IOException {
        MovieLensConfig ml = (MovieLensConfig) loaded.config().dataset();
        ItemKey key = ml.itemKey();
        Path dir = ml.path();
        if (!Files.isDirectory(dir)) {
            if (!ml.download()) {
                throw loaded.error("dataset.path", "no such directory " + dir
                        + "; point it at an extracted MovieLens folder, or add download: true to fetch one of "
                        + MovieLensDownload.VARIANTS);
            }
            String variant = dir.getFileName().toString();
            if (!MovieLensDownload.VARIANTS.contains(variant)) {
                throw loaded.error("dataset.path", "download: true fetches a folder named after the data set, one of "
                        + MovieLensDownload.VARIANTS + ", found \"" + variant + "\"");
            }
            Path parent = dir.toAbsolutePath().getParent();
            MovieLensDownload.fetch(variant, parent);
        }
        RatingsTable table = MovieLens.read(dir, key);
        if (table.size() == 0) {
            // Name the ratings file of whichever MovieLens layout the folder has.
            Path file = java.util.stream.Stream.of("u.data", "ratings.dat", "ratings.csv").map(dir::resolve)
                    .filter(Files::isRegularFile).findFirst().orElse(dir);
            throw new DataFormatException(file, 0, "no ratings");
        }
        return new Source(table, dir, key, OptionalDouble.empty());
    }

    /**
     * Generates {@code dataset.type: synthetic-movielens} into its directory and reads it.
     *
     * @param loaded the config
     * @return the ratings, with the generator's noise floor
     * @throws IOException when writing or reading fails
     */
    static Source generateMovieLens(ConfigLoader.Loaded loaded) throws IOException {
        SyntheticMovieLensConfig s = (SyntheticMovieLensConfig) loaded.config().dataset();
        ItemKey key = s.itemKey();
        SyntheticMovieLens.Result r = SyntheticMovieLens.write(new SyntheticMovieLens.Spec(
                s.users(), s.items(), s.ratings(), s.factors(), s.noise(), s.generatorSeed(),
                s.exposure()), s.path());
        return new Source(MovieLens.read(r.dir(), key), r.dir(), key, OptionalDouble.of(r.noiseFloorMse()));
    }

    /**
     * Reads {@code dataset.features}, {@code crosses} and {@code label} into a spec.
     *
     * @param loaded the config
     * @return the spec
     * @throws dev.embtrain.training.config.ConfigException naming the key at fault
     */
    public static FeatureSpec spec(ConfigLoader.Loaded loaded) {
        DatasetConfig dataset = loaded.config().dataset();
        RatingsDatasetConfig ratings = (RatingsDatasetConfig) dataset;
        List<String> features = ratings.features();
        List<CrossConfig> crosses = ratings.crosses();
        LabelConfig label = ratings.label();
        List<HashedCross> hashed = new ArrayList<>();
        for (CrossConfig c : crosses) {
            hashed.add(new HashedCross(c.name(), c.fields(), c.buckets()));
        }
        FeatureSpec.Label l = switch (label.type()) {
            case BINARY -> FeatureSpec.Label.atLeast((float) label.threshold());
            case IMPLICIT -> FeatureSpec.Label.IMPLICIT;
            case RATING -> FeatureSpec.Label.RATING;
        };
        try {
            new FeatureSpec(features, List.of(), l);
        } catch (IllegalArgumentException e) {
            throw loaded.error("dataset.features", e.getMessage());
        }
        try {
            return new FeatureSpec(features, hashed, l);
        } catch (IllegalArgumentException e) {
            throw loaded.error("dataset.crosses", e.getMessage());
        }
    }

    /**
     * Splits what a dataset type read as configured.
     *
     * @param loaded the config
     * @param read the ratings
     * @return the split
     * @throws IOException when an official fold's files cannot be read
     */
    static Split split(ConfigLoader.Loaded loaded, Source read) throws IOException {
        RatingsTable table = read.table();
        SplitConfig config = ((RatingsDatasetConfig) loaded.config().dataset()).split();
        return switch (config.type()) {
            case RANDOM -> {
                try {
                    yield Splits.random(table.size(), config.validation(), config.seed());
                } catch (IllegalArgumentException e) {
                    throw loaded.error("dataset.split.validation", e.getMessage());
                }
            }
            case LEAVE_LAST_OUT -> Splits.leaveLastOut(table.users(), table.timestamps());
            case K_FOLD -> {
                try {
                    yield Splits.kFold(table.size(), config.k(), Integer.parseInt(config.foldOrDefault()),
                            config.seed());
                } catch (IllegalArgumentException e) {
                    throw loaded.error("dataset.split.k", e.getMessage());
                }
            }
            case FOLD -> {
                Path dir = read.dir();
                if (dir == null || !Files.isRegularFile(dir.resolve("u.data"))) {
                    throw loaded.error("dataset.split.type", "the official folds are MovieLens 100k's (u1.base ..."
                            + " ub.test beside u.data); " + (dir == null ? "a ratings file" : dir) + " has none;"
                            + " use type: k-fold");
                }
                String fold = config.foldOrDefault();
                if (!Files.isRegularFile(dir.resolve(fold + ".base")) || !Files.isRegularFile(
                        dir.resolve(fold + ".test"))) {
                    throw loaded.error("dataset.split.fold", "no " + fold + ".base and " + fold + ".test in " + dir
                            + "; GroupLens's ml-100k ships them, and synthetic-movielens writes them");
                }
                Split s = MovieLensFolds.split(dir, fold);
                if (s.size() != table.size()) {
                    throw new DataFormatException(dir.resolve(fold + ".base"), 0, fold + ".base and " + fold
                            + ".test hold " + s.size() + " of u.data's " + table.size() + " ratings");
                }
                yield s;
            }
            case COLUMN -> {
                if (read.splits() == null) {
                    throw loaded.error("dataset.split.type", "a column split reads a column of a ratings file"
                            + " (dataset.type: ratings); " + loaded.config().dataset().type() + " has none");
                }
                yield bySplitColumn(table.source(), read.splits(), config.column());
            }
        };
    }

    /**
     * Splits rows by their split column, setting test rows aside.
     *
     * @param file the file, for errors
     * @param splits each row's value
     * @param column the column, for errors
     * @return the split
     * @throws DataFormatException when no row is for training, or none for validation
     */
    /** Keeps the rows of both sides of a split rated at least {@code min}, in order. */
    static Split atLeast(Split split, RatingsTable table, double min) {
        java.util.function.Function<int[], int[]> keep = rows -> java.util.Arrays.stream(rows)
                .filter(r -> table.rating(r) >= min).toArray();
        return new Split(keep.apply(split.train()), keep.apply(split.valid()));
    }

    static Split bySplitColumn(Path file, byte[] splits, String column) {
        int[] counts = new int[3];
        for (byte b : splits) {
            counts[b]++;
        }
        int[] train = new int[counts[RatingsFile.TRAIN]];
        int[] valid = new int[counts[RatingsFile.VALIDATION]];
        if (train.length == 0 || valid.length == 0) {
            throw new DataFormatException(file, 0, "column \"" + column + "\" has no " + (train.length == 0
                    ? "train" : "validation") + " rows; a column split needs both");
        }
        int t = 0;
        int v = 0;
        for (int row = 0; row < splits.length; row++) {
            if (splits[row] == RatingsFile.TRAIN) {
                train[t++] = row;
            } else if (splits[row] == RatingsFile.VALIDATION) {
                valid[v++] = row;
            }
        }
        return new Split(train, valid);
    }

    /**
     * Freezes the schema on the training rows and encodes both splits.
     *
     * @param source the rows and their side features
     * @param table the ratings of those rows
     * @param split the split
     * @param spec the fields, crosses and label
     * @param floor the noise floor, if known
     * @param type the dataset type
     * @return the data
     * @throws FeatureSchema.UnknownFieldException when the spec names a field the data lacks
     */
    public static RatingsData encode(FeatureSource source, RatingsTable table, Split split, FeatureSpec spec,
            OptionalDouble floor, String type) {
        FeatureSchema schema = FeatureSchema.build(spec, source, split.train());
        return new RatingsData(table, split, schema, schema.encode(source, split.train()),
                schema.encode(source, split.valid()), floor, type, source);
    }

    /**
     * Returns a human label for every item vocabulary index: the title, or the key itself.
     *
     * @return labels in vocabulary order, {@code <unk>} first
     */
    public List<String> itemLabels() {
        return items().tokens().stream().map(t -> table.itemLabels().getOrDefault(t, t)).toList();
    }

    /**
     * Rebuilds the feature schema a run was trained with from its config, its vocabularies and
     * {@link RunFiles#SCHEMA} (a run without that file used user and item alone).
     *
     * @param dir the run (or serving) directory
     * @param loaded its config
     * @return the schema
     * @throws IOException when a vocabulary cannot be read
     */
    public static FeatureSchema savedSchema(Path dir, ConfigLoader.Loaded loaded) throws IOException {
        FeatureSpec spec = spec(loaded);
        List<String> bags = new java.util.ArrayList<>();
        Map<String, Integer> slots = new LinkedHashMap<>();
        RunFiles.Layout layout = RunFiles.readLayout(dir);
        for (FeatureSchema.Column c : layout.columns()) {
            if (c.kind() == FeatureSchema.Kind.BAG) {
                bags.add(c.name());
            } else if (c.kind() == FeatureSchema.Kind.BAG_CROSS) {
                slots.put(c.name(), c.width());
            }
        }
        Map<String, Vocabulary> vocabularies = new LinkedHashMap<>();
        for (String field : spec.fields()) {
            vocabularies.put(field, Vocabulary.load(dir.resolve(RunFiles.vocabulary(field))));
        }
        return FeatureSchema.restore(spec, vocabularies, bags, layout.scales(), slots);
    }
}
