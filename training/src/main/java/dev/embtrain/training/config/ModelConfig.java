package dev.embtrain.training.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code model} section: one record per {@code model.type}. */
public sealed interface ModelConfig extends Variants permits DotProductBiasConfig, DeepCollaborativeConfig,
        FactorizationMachineConfig, WideAndDeepConfig, EmbeddingBagConfig {

    /** The model types, by the name written in {@code model.type}. */
    Variants.Table VARIANTS = new Variants.Table(variants());

    private static Map<String, Class<? extends Record>> variants() {
        Map<String, Class<? extends Record>> m = new LinkedHashMap<>();
        m.put("dot-product-bias", DotProductBiasConfig.class);
        m.put("deep-collaborative", DeepCollaborativeConfig.class);
        m.put("factorization-machine", FactorizationMachineConfig.class);
        m.put("wide-and-deep", WideAndDeepConfig.class);
        m.put("embedding-bag", EmbeddingBagConfig.class);
        return m;
    }
}
