package dev.embtrain.training.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code dataset} section: one record per {@code dataset.type}. */
public sealed interface DatasetConfig extends Variants
        permits MovieLensConfig, SyntheticMovieLensConfig, SyntheticFeat2VecConfig {

    /** The dataset types, by the name written in {@code dataset.type}. */
    Variants.Table VARIANTS = new Variants.Table(variants());

    /**
     * Returns how rows are split into training and validation.
     *
     * @return the split
     */
    SplitConfig split();

    private static Map<String, Class<? extends Record>> variants() {
        Map<String, Class<? extends Record>> m = new LinkedHashMap<>();
        m.put("movielens", MovieLensConfig.class);
        m.put("synthetic-movielens", SyntheticMovieLensConfig.class);
        m.put("synthetic-feat2vec", SyntheticFeat2VecConfig.class);
        return m;
    }
}
