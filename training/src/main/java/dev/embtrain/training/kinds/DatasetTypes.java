package dev.embtrain.training.kinds;

import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.DatasetConfig;
import dev.embtrain.training.config.LabelledEmbeddingsConfig;
import dev.embtrain.training.config.MovieLensConfig;
import dev.embtrain.training.config.OnlineRetailConfig;
import dev.embtrain.training.config.RatingsFileConfig;
import dev.embtrain.training.config.SessionsFileConfig;
import dev.embtrain.training.config.SyntheticFeat2VecConfig;
import dev.embtrain.training.config.SyntheticLabelledEmbeddingsConfig;
import dev.embtrain.training.config.SyntheticMovieLensConfig;
import dev.embtrain.training.config.SyntheticSessionsConfig;
import dev.embtrain.training.labelled.LabelledData;
import java.io.IOException;
import java.util.List;

/**
 * Every {@code dataset.type}, one entry each: its config record, the kind of data it yields and
 * the reader that yields it. A kind asks the entry of its config's dataset for rows; nothing else
 * tells dataset types apart, so a new type (a user's own CSV of ratings) is one reader and one
 * entry here.
 */
public final class DatasetTypes {

    private DatasetTypes() {}

    /** What a dataset type yields, and so which kinds of run train on it. */
    public enum Data {
        /** Users' ratings of items (ratings runs). */
        RATINGS,
        /** Ordered sessions of items (item2vec). */
        SESSIONS,
        /** Rows of categorical values, positives only (feat2vec). */
        IMPLICIT,
        /** Precomputed vectors joined to binary labels. */
        LABELLED
    }

    /**
     * Reads a dataset.
     *
     * @param <T> what it yields
     */
    @FunctionalInterface
    public interface Reader<T> {
        /**
         * Reads, or generates, the rows a config names.
         *
         * @param loaded the config, for errors that name the key and line
         * @return the rows
         * @throws IOException when reading fails
         */
        T read(ConfigLoader.Loaded loaded) throws IOException;
    }

    /**
     * One dataset type.
     *
     * @param name its {@code dataset.type}
     * @param config its config record
     * @param data what it yields
     * @param ratings the ratings reader, for {@link Data#RATINGS}
     * @param sessions the sessions reader, for {@link Data#SESSIONS}
     * @param labelled the labelled-vectors reader, for {@link Data#LABELLED}
     * @param labelColumns the header of the items' Projector metadata (sessions)
     */
    public record DatasetType(String name, Class<? extends DatasetConfig> config, Data data,
            Reader<RatingsData.Source> ratings, Reader<SessionsData.Source> sessions, Reader<LabelledData> labelled,
            List<String> labelColumns) {

        static DatasetType ratings(String name, Class<? extends DatasetConfig> config,
                Reader<RatingsData.Source> reader) {
            return new DatasetType(name, config, Data.RATINGS, reader, null, null, List.of());
        }

        static DatasetType sessions(String name, Class<? extends DatasetConfig> config,
                Reader<SessionsData.Source> reader, List<String> labelColumns) {
            return new DatasetType(name, config, Data.SESSIONS, null, reader, null, labelColumns);
        }

        static DatasetType labelled(String name, Class<? extends DatasetConfig> config, Reader<LabelledData> reader) {
            return new DatasetType(name, config, Data.LABELLED, null, null, reader, List.of());
        }
    }

    private static final List<DatasetType> ALL = List.of(
            DatasetType.ratings("movielens", MovieLensConfig.class, RatingsData::readMovieLens),
            DatasetType.ratings("synthetic-movielens", SyntheticMovieLensConfig.class, RatingsData::generateMovieLens),
            DatasetType.ratings("ratings", RatingsFileConfig.class, RatingsData::readFile),
            // feat2vec's generator is read by ImplicitKind itself; on any ratings type it reads the ratings entry.
            new DatasetType("synthetic-feat2vec", SyntheticFeat2VecConfig.class, Data.IMPLICIT, null, null, null,
                    List.of()),
            DatasetType.labelled("labelled-embeddings", LabelledEmbeddingsConfig.class, LabelledData::readFiles),
            DatasetType.labelled("synthetic-labelled-embeddings", SyntheticLabelledEmbeddingsConfig.class,
                    LabelledData::generate),
            DatasetType.sessions("online-retail", OnlineRetailConfig.class, SessionsData::readOnlineRetail,
                    List.of("StockCode", "Description")),
            DatasetType.sessions("synthetic-sessions", SyntheticSessionsConfig.class, SessionsData::generateSessions,
                    List.of("id", "label")),
            DatasetType.sessions("sessions", SessionsFileConfig.class, SessionsData::readFile, List.of("item", "label")));

    /**
     * Returns every dataset type.
     *
     * @return the entries, in the config reference's order
     */
    public static List<DatasetType> all() {
        return ALL;
    }

    /**
     * Returns the entry of a dataset section.
     *
     * @param dataset the section
     * @return its entry
     * @throws IllegalStateException when its record has none (a test keeps every record listed)
     */
    public static DatasetType of(DatasetConfig dataset) {
        for (DatasetType t : ALL) {
            if (t.config() == dataset.getClass()) {
                return t;
            }
        }
        throw new IllegalStateException("no dataset type for " + dataset.getClass().getSimpleName());
    }
}
