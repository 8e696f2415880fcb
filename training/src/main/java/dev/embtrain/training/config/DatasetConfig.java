package dev.embtrain.training.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code dataset} section: one record per {@code dataset.type}. */
public sealed interface DatasetConfig extends Variants
        permits MovieLensConfig, SyntheticMovieLensConfig, SyntheticFeat2VecConfig, LabelledDataset {

    /** The dataset types, by the name written in {@code dataset.type}. */
    Variants.Table VARIANTS = new Variants.Table(variants());

    /**
     * Returns how rows are split into training and validation.
     *
     * @return the split
     */
    SeededSplit split();

    /** What every split section has: a seed (ratings and labelled rows split differently). */
    interface SeededSplit {
        /**
         * Returns the split's seed.
         *
         * @return the seed
         */
        long seed();
    }

    private static Map<String, Class<? extends Record>> variants() {
        Map<String, Class<? extends Record>> m = new LinkedHashMap<>();
        m.put("movielens", MovieLensConfig.class);
        m.put("synthetic-movielens", SyntheticMovieLensConfig.class);
        m.put("synthetic-feat2vec", SyntheticFeat2VecConfig.class);
        m.put("labelled-embeddings", LabelledEmbeddingsConfig.class);
        m.put("synthetic-labelled-embeddings", SyntheticLabelledEmbeddingsConfig.class);
        return m;
    }
}
