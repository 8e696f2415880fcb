package dev.embtrain.training.job;

import dev.embtrain.datasets.ItemKey;
import dev.embtrain.datasets.MovieLens;
import dev.embtrain.datasets.MovieLensDownload;
import dev.embtrain.datasets.RatingsTable;
import dev.embtrain.datasets.Split;
import dev.embtrain.datasets.Splits;
import dev.embtrain.datasets.SyntheticMovieLens;
import dev.embtrain.datasets.Vocabulary;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.DatasetConfig;
import dev.embtrain.training.config.MovieLensConfig;
import dev.embtrain.training.config.RatingsDatasetConfig;
import dev.embtrain.training.config.SplitConfig;
import dev.embtrain.training.config.SyntheticMovieLensConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A ratings dataset read, split and encoded for training: vocabularies built from the training
 * split alone (index 0 = unknown), and both splits as id matrices over the fields
 * {@code [user, item]}.
 *
 * @param table the ratings as read
 * @param split training and validation rows of the table
 * @param users the user vocabulary
 * @param items the item vocabulary
 * @param train the training split, encoded
 * @param valid the validation split, encoded
 * @param noiseFloor the best achievable MSE, when the data is synthetic
 * @param source the dataset type it came from
 */
public record RatingsData(
        RatingsTable table, Split split, Vocabulary users, Vocabulary items, Encoded train, Encoded valid,
        OptionalDouble noiseFloor, String source) {

    /** The categorical fields of a ratings batch, in column order. */
    public static final List<String> FIELDS = List.of("user", "item");

    /**
     * One split as ids and labels.
     *
     * @param ids row-major {@code [rows, 2]} vocabulary indices, user then item
     * @param labels the ratings
     */
    public record Encoded(long[] ids, float[] labels) {
        /**
         * Returns the number of rows.
         *
         * @return rows
         */
        public int rows() {
            return labels.length;
        }
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
        RatingsTable table;
        OptionalDouble floor = OptionalDouble.empty();
        ItemKey key;
        if (dataset instanceof MovieLensConfig ml) {
            key = ml.itemKey();
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
            table = MovieLens.read(dir, key);
        } else if (dataset instanceof SyntheticMovieLensConfig s) {
            key = s.itemKey();
            SyntheticMovieLens.Result r = SyntheticMovieLens.write(new SyntheticMovieLens.Spec(
                    s.users(), s.items(), s.ratings(), s.factors(), s.noise(), s.generatorSeed()), s.path());
            floor = OptionalDouble.of(r.noiseFloorMse());
            table = MovieLens.read(r.dir(), key);
        } else {
            throw new IllegalStateException("no reader for " + dataset.type());
        }
        Split split = split(table, ((RatingsDatasetConfig) dataset).split());
        return encode(table, split, floor, dataset.type());
    }

    /**
     * Splits a table as configured.
     *
     * @param table the table
     * @param config the split
     * @return the split
     */
    static Split split(RatingsTable table, SplitConfig config) {
        return switch (config.type()) {
            case RANDOM -> Splits.random(table.size(), config.validation(), config.seed());
            case LEAVE_LAST_OUT -> Splits.leaveLastOut(table.users(), table.timestamps());
        };
    }

    /**
     * Builds vocabularies from the training rows and encodes both splits.
     *
     * @param table the table
     * @param split the split
     * @param floor the noise floor, if known
     * @param source the dataset type
     * @return the data
     */
    public static RatingsData encode(RatingsTable table, Split split, OptionalDouble floor, String source) {
        String[] users = table.users();
        String[] items = table.items();
        Vocabulary userVocab = Vocabulary.build(() -> Arrays.stream(split.train()).mapToObj(r -> users[r]).iterator());
        Vocabulary itemVocab = Vocabulary.build(() -> Arrays.stream(split.train()).mapToObj(r -> items[r]).iterator());
        return new RatingsData(table, split, userVocab, itemVocab,
                encode(table, split.train(), userVocab, itemVocab), encode(table, split.valid(), userVocab, itemVocab),
                floor, source);
    }

    private static Encoded encode(RatingsTable table, int[] rows, Vocabulary users, Vocabulary items) {
        String[] u = table.users();
        String[] i = table.items();
        float[] r = table.ratings();
        long[] ids = new long[rows.length * 2];
        float[] labels = new float[rows.length];
        for (int k = 0; k < rows.length; k++) {
            ids[2 * k] = users.index(u[rows[k]]);
            ids[2 * k + 1] = items.index(i[rows[k]]);
            labels[k] = r[rows[k]];
        }
        return new Encoded(ids, labels);
    }

    /**
     * Returns a human label for every item vocabulary index: the title, or the key itself.
     *
     * @return labels in vocabulary order, {@code <unk>} first
     */
    public List<String> itemLabels() {
        return items.tokens().stream().map(t -> table.itemLabels().getOrDefault(t, t)).toList();
    }
}
