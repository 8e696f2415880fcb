package dev.embtrain.training.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code dataset} section: one record per {@code dataset.type}. Ratings datasets feed the
 * rating models, session datasets feed item2vec ({@code model.type: embedding-bag}), labelled
 * embeddings the binary classifier and synthetic-feat2vec rows implicit training.
 */
public sealed interface DatasetConfig extends Variants
        permits RatingsDatasetConfig, SessionsDatasetConfig, SyntheticFeat2VecConfig, LabelledDataset {

    /** The dataset types, by the name written in {@code dataset.type}. */
    Variants.Table VARIANTS = new Variants.Table(variants());

    private static Map<String, Class<? extends Record>> variants() {
        Map<String, Class<? extends Record>> m = new LinkedHashMap<>();
        m.put("movielens", MovieLensConfig.class);
        m.put("synthetic-movielens", SyntheticMovieLensConfig.class);
        m.put("ratings", RatingsFileConfig.class);
        m.put("synthetic-feat2vec", SyntheticFeat2VecConfig.class);
        m.put("labelled-embeddings", LabelledEmbeddingsConfig.class);
        m.put("synthetic-labelled-embeddings", SyntheticLabelledEmbeddingsConfig.class);
        m.put("online-retail", OnlineRetailConfig.class);
        m.put("synthetic-sessions", SyntheticSessionsConfig.class);
        m.put("sessions", SessionsFileConfig.class);
        return m;
    }

    /**
     * Returns the keys of this section that nothing reads, given its other choices (a random
     * split's seed under leave-last-out), each with why; {@link UnreadKeys} refuses them when
     * written.
     *
     * @return dotted keys under {@code dataset}, with why
     */
    default Map<String, String> unreadKeys() {
        return Map.of();
    }
}
