package dev.embtrain.training.kinds;

import ai.djl.nn.Block;
import dev.embtrain.datasets.features.FeatureSchema;
import dev.embtrain.models.CategoricalField;
import dev.embtrain.models.DeepCollaborative;
import dev.embtrain.models.DenseGroup;
import dev.embtrain.models.DotProductBias;
import dev.embtrain.models.FactorizationMachine;
import dev.embtrain.models.WideAndDeep;
import dev.embtrain.training.config.DeepCollaborativeConfig;
import dev.embtrain.training.config.DotProductBiasConfig;
import dev.embtrain.training.config.FactorizationMachineConfig;
import dev.embtrain.training.config.FieldMode;
import dev.embtrain.training.config.FieldSize;
import dev.embtrain.training.config.ModelConfig;
import dev.embtrain.training.config.WideAndDeepConfig;
import dev.embtrain.training.engine.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Block a {@code model} section names, with the sizes the data decided: the one
 * place where YAML hyperparameters meet vocabulary sizes and the feature schema.
 */
public final class ModelFactory {

    private ModelFactory() {}

    /**
     * A model's hyperparameters do not fit the data's schema; the message names the key.
     *
     * @see #check(ModelConfig, FeatureSchema)
     */
    public static final class Mismatch extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String key;

        Mismatch(String key, String message) {
            super(message);
            this.key = key;
        }

        /**
         * Returns the dotted config key at fault.
         *
         * @return the key, e.g. {@code model.objective}
         */
        public String key() {
            return key;
        }
    }

    /**
     * Returns the task a model config trains for.
     *
     * @param config the model section
     * @return binary for a binary objective, else regression
     */
    public static Task task(ModelConfig config) {
        if (config instanceof FactorizationMachineConfig fm && fm.objective() == FactorizationMachineConfig.Objective.BINARY) {
            return Task.BINARY;
        }
        if (config instanceof WideAndDeepConfig wd && wd.objective() == WideAndDeepConfig.Objective.BINARY) {
            return Task.BINARY;
        }
        return Task.REGRESSION;
    }

    /**
     * Checks that a model can be built on a schema and trained on its label, before any data is
     * touched by the trainer.
     *
     * @param config the model section
     * @param schema the frozen features
     * @throws Mismatch naming the key and the problem
     */
    public static void check(ModelConfig config, FeatureSchema schema) {
        boolean binaryLabel = schema.spec().label().binary();
        if (config instanceof FactorizationMachineConfig fm
                && fm.objective() == FactorizationMachineConfig.Objective.IMPLICIT) {
            throw new Mismatch("model.objective", "implicit (feat2vec negative sampling) trains on dataset.type"
                    + " synthetic-feat2vec; on ratings use regression or binary");
        }
        Task task = task(config);
        if (config instanceof FactorizationMachineConfig || config instanceof WideAndDeepConfig) {
            if (task == Task.BINARY && !binaryLabel) {
                throw new Mismatch("model.objective", "binary needs a binary label; add dataset.label: {type: binary,"
                        + " threshold: 4}");
            }
            if (task == Task.REGRESSION && binaryLabel) {
                throw new Mismatch("model.objective", "regression predicts the rating, but dataset.label is binary;"
                        + " set model.objective: binary or dataset.label.type: rating");
            }
        } else {
            if (binaryLabel) {
                throw new Mismatch("dataset.label", "model.type " + config.type() + " predicts ratings; a binary label"
                        + " needs factorization-machine or wide-and-deep");
            }
            boolean crosses = schema.columns().stream().anyMatch(c -> c.kind() == FeatureSchema.Kind.CROSS
                    || c.kind() == FeatureSchema.Kind.BAG_CROSS);
            if (config instanceof DeepCollaborativeConfig && crosses) {
                throw new Mismatch("dataset.crosses", "deep-collaborative has no wide part for hashed crosses;"
                        + " leave out dataset.crosses, or use wide-and-deep");
            }
            if (!(config instanceof DeepCollaborativeConfig) && schema.columns().size() != 2) {
                throw new Mismatch("dataset.features", "model.type " + config.type() + " uses user and item alone;"
                        + " leave out dataset.features and dataset.crosses, or use deep-collaborative,"
                        + " factorization-machine or wide-and-deep for side features");
            }
        }
        if (config instanceof FactorizationMachineConfig) {
            for (FeatureSchema.Column c : schema.columns()) {
                if (c.kind() == FeatureSchema.Kind.BAG_CROSS) {
                    throw new Mismatch("dataset.crosses", "cross " + c.name() + " involves a bag (one bucket per"
                            + " element), which the factorization machine cannot take: its pairwise terms already"
                            + " cross every field; cross single-valued fields, or use wide-and-deep");
                }
            }
        }
        try {
            build(config, schema);
        } catch (IllegalArgumentException e) {
            String key = config instanceof FactorizationMachineConfig ? "model.field_modes" : "model.embedding_sizes";
            throw new Mismatch(key, e.getMessage());
        }
    }

    /**
     * Builds a model on a feature schema.
     *
     * @param config the model section
     * @param schema the frozen features: id columns in layout order, then the dense groups
     * @return the uninitialised block
     * @throws IllegalArgumentException when the config names a field the schema lacks
     */
    public static Block build(ModelConfig config, FeatureSchema schema) {
        if (config instanceof FactorizationMachineConfig fm) {
            return factorizationMachine(fm, schema);
        }
        if (config instanceof WideAndDeepConfig wd) {
            return wideAndDeep(wd, schema);
        }
        if (config instanceof DeepCollaborativeConfig dc && sideFeatures(schema)) {
            return embeddingNN(dc, schema);
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("user", schema.column("user").size());
        sizes.put("item", schema.column("item").size());
        return build(config, sizes);
    }

    private static FactorizationMachine factorizationMachine(FactorizationMachineConfig fm, FeatureSchema schema) {
        List<CategoricalField> fields = new ArrayList<>();
        List<DenseGroup> groups = new ArrayList<>();
        for (FeatureSchema.Column c : schema.columns()) {
            switch (c.kind()) {
                case CATEGORICAL, CROSS -> fields.add(new CategoricalField(c.name(), c.size()));
                case BAG -> groups.add(new DenseGroup(c.name(), c.width()));
                case BAG_CROSS -> throw new IllegalArgumentException("cross " + c.name() + " involves a bag");
            }
        }
        FactorizationMachine.Builder b = FactorizationMachine.builder()
                .setCategoricalFields(fields)
                .optDenseGroups(groups)
                .setFactors(fm.factors())
                .optGlobalBias(fm.globalBias())
                .optInitStd((float) fm.initStd());
        for (FieldMode m : fm.fieldModes()) {
            b.optFieldMode(m.field(), FactorizationMachine.Mode.valueOf(m.mode().name()));
        }
        if (fm.objective() == FactorizationMachineConfig.Objective.BINARY) {
            b.optBinary();
        } else {
            b.optRegression(fm.yRange().get(0).floatValue(), fm.yRange().get(1).floatValue());
        }
        return b.build();
    }

    /**
     * Returns the embedding width of each embedded field of a wide-and-deep model: given in
     * {@code embedding_sizes}, else from the rule; crosses are wide only.
     *
     * @param wd the config
     * @param schema the schema
     * @return field to width, in column order
     * @throws IllegalArgumentException when {@code embedding_sizes} names no embedded field
     */
    public static Map<String, Integer> embeddingWidths(WideAndDeepConfig wd, FeatureSchema schema) {
        Map<String, Integer> given = new LinkedHashMap<>();
        for (FieldSize s : wd.embeddingSizes()) {
            given.put(s.field(), s.size());
        }
        Map<String, Integer> widths = new LinkedHashMap<>();
        for (FeatureSchema.Column c : schema.columns()) {
            if (c.kind() == FeatureSchema.Kind.CATEGORICAL) {
                Integer w = given.remove(c.name());
                widths.put(c.name(), w != null ? w : wd.embeddingRule().size(c.size()));
            }
        }
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("no embedded field \"" + given.keySet().iterator().next()
                    + "\"; the embedded fields are " + widths.keySet());
        }
        return widths;
    }

    /**
     * Returns whether a schema has more than the user and item ids.
     *
     * @param schema the schema
     * @return true with side features
     */
    public static boolean sideFeatures(FeatureSchema schema) {
        return schema.columns().size() != 2 || schema.denseWidth() > 0;
    }

    /**
     * deep-collaborative over side features: fastai's EmbeddingNN, the fields' embeddings (widths
     * by the rule; user_ and item_embedding_size override theirs) and the genres bag through the
     * MLP into the sigmoid range; the wide-and-deep block without its wide part.
     */
    private static WideAndDeep embeddingNN(DeepCollaborativeConfig dc, FeatureSchema schema) {
        List<WideAndDeep.Field> fields = new ArrayList<>();
        for (FeatureSchema.Column c : schema.columns()) {
            if (c.kind() == FeatureSchema.Kind.CATEGORICAL) {
                int given = c.name().equals("user") ? dc.userEmbeddingSize()
                        : c.name().equals("item") ? dc.itemEmbeddingSize() : 0;
                fields.add(new WideAndDeep.Field(c.name(), c.size(), given > 0 ? given : dc.embeddingRule().size(c.size())));
            }
        }
        return WideAndDeep.builder()
                .setFields(fields)
                .optWide(false)
                .optDenseWidth(schema.denseWidth())
                .optLayers(dc.layers())
                .optDropout((float) dc.dropout())
                .optBatchNorm(dc.batchNorm())
                .optInitStd((float) dc.initStd())
                .optRegression(dc.yRange().get(0).floatValue(), dc.yRange().get(1).floatValue())
                .build();
    }

    private static WideAndDeep wideAndDeep(WideAndDeepConfig wd, FeatureSchema schema) {
        Map<String, Integer> widths = embeddingWidths(wd, schema);
        List<WideAndDeep.Field> fields = new ArrayList<>();
        for (FeatureSchema.Column c : schema.columns()) {
            switch (c.kind()) {
                case CATEGORICAL -> fields.add(new WideAndDeep.Field(c.name(), c.size(), widths.get(c.name())));
                case CROSS, BAG_CROSS -> fields.add(new WideAndDeep.Field(c.name(), c.size(), 0, c.width()));
                case BAG -> { }
            }
        }
        WideAndDeep.Builder b = WideAndDeep.builder()
                .setFields(fields)
                .optDenseWidth(schema.denseWidth())
                .optLayers(wd.layers())
                .optDropout((float) wd.dropout())
                .optBatchNorm(wd.batchNorm())
                .optInitStd((float) wd.initStd());
        if (wd.objective() == WideAndDeepConfig.Objective.BINARY) {
            b.optBinary();
        } else {
            b.optRegression(wd.yRange().get(0).floatValue(), wd.yRange().get(1).floatValue());
        }
        return b.build();
    }

    /**
     * Builds a model over user and item ids alone.
     *
     * @param config the model section ({@code dot-product-bias} or {@code deep-collaborative})
     * @param vocabularySizes rows per vocabulary ({@code user}, {@code item}), unknown included
     * @return the uninitialised block
     */
    public static Block build(ModelConfig config, Map<String, Integer> vocabularySizes) {
        if (config instanceof DotProductBiasConfig dpb) {
            return DotProductBias.builder()
                    .setVocabularySizes(size(vocabularySizes, "user"), size(vocabularySizes, "item"))
                    .setFactors(dpb.factors())
                    .optYRange(dpb.yRange().get(0).floatValue(), dpb.yRange().get(1).floatValue())
                    .optInitStd((float) dpb.initStd())
                    .optFields(RatingsData.FIELDS)
                    .build();
        }
        if (config instanceof DeepCollaborativeConfig dc) {
            return DeepCollaborative.builder()
                    .setVocabularySizes(size(vocabularySizes, "user"), size(vocabularySizes, "item"))
                    .optLayers(dc.layers())
                    .optDropout((float) dc.dropout())
                    .optBatchNorm(dc.batchNorm())
                    .optEmbeddingSizeRule(dc.embeddingRule())
                    .optEmbeddingWidths(dc.userEmbeddingSize(), dc.itemEmbeddingSize())
                    .optYRange(dc.yRange().get(0).floatValue(), dc.yRange().get(1).floatValue())
                    .optInitStd((float) dc.initStd())
                    .optFields(RatingsData.FIELDS)
                    .build();
        }
        throw new IllegalStateException("model type " + config.type() + " needs the feature schema");
    }

    private static int size(Map<String, Integer> sizes, String vocabulary) {
        Integer n = sizes.get(vocabulary);
        if (n == null) {
            throw new IllegalArgumentException("no vocabulary \"" + vocabulary + "\" among " + sizes.keySet());
        }
        return n;
    }
}
