package dev.embtrain.training.modeltypes;

import ai.djl.ndarray.types.Shape;
import dev.embtrain.datasets.features.FeatureSchema;
import dev.embtrain.models.CategoricalField;
import dev.embtrain.models.DeepCollaborative;
import dev.embtrain.models.DenseGroup;
import dev.embtrain.models.DotProductBias;
import dev.embtrain.models.FactorizationMachine;
import dev.embtrain.models.Head;
import dev.embtrain.models.WideAndDeep;
import dev.embtrain.training.config.DeepCollaborativeConfig;
import dev.embtrain.training.config.DotProductBiasConfig;
import dev.embtrain.training.config.EmbeddingBagConfig;
import dev.embtrain.training.config.FactorizationMachineConfig;
import dev.embtrain.training.config.FieldSize;
import dev.embtrain.training.config.ModelConfig;
import dev.embtrain.training.config.WideAndDeepConfig;
import dev.embtrain.training.engine.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Every model type, one entry each, in the order the config reference documents them. Adding a
 * model type is its block (with its {@link dev.embtrain.models.BlockSpec}), its config record and
 * one entry here: the config's {@code model.type}, the checks, the trainer, the serving export and
 * the capability-matrix test all read this list.
 */
public final class ModelTypes {

    private static final ModelType<DotProductBiasConfig> DOT_PRODUCT_BIAS = ModelType.ratings("dot-product-bias",
            DotProductBiasConfig.class, (c, s) -> new DotProductBias.Spec(size(s, "user"), size(s, "item"),
                    c.factors(), head(false, s), lo(c.yRange()), hi(c.yRange()), (float) c.initStd()))
            .optBuildKey("model.embedding_sizes")
            .build();

    private static final ModelType<DeepCollaborativeConfig> DEEP_COLLABORATIVE = ModelType.ratings(
            "deep-collaborative", DeepCollaborativeConfig.class, ModelTypes::deepCollaborative)
            .optSideFeatures((c, s) -> sideFeatures(s))
            .optRules((c, s) -> {
                boolean crosses = s.columns().stream().anyMatch(col -> col.kind() == FeatureSchema.Kind.CROSS
                        || col.kind() == FeatureSchema.Kind.BAG_CROSS);
                if (crosses) {
                    throw new ModelType.Mismatch("dataset.crosses", "deep-collaborative has no wide part for hashed"
                            + " crosses; leave out dataset.crosses, or use wide-and-deep");
                }
            })
            .optBuildKey("model.embedding_sizes")
            .build();

    /** factorization-machine: the model feat2vec trains. */
    public static final ModelType<FactorizationMachineConfig> FACTORIZATION_MACHINE = ModelType.ratings(
            "factorization-machine", FactorizationMachineConfig.class, ModelTypes::factorizationMachine)
            .optTask(c -> c.objective() == FactorizationMachineConfig.Objective.BINARY ? Task.BINARY
                    : Task.REGRESSION)
            .optSideFeatures((c, s) -> true)
            .optRules((c, s) -> {
                for (FeatureSchema.Column col : s.columns()) {
                    if (col.kind() == FeatureSchema.Kind.BAG_CROSS) {
                        throw new ModelType.Mismatch("dataset.crosses", "cross " + col.name() + " involves a bag (one"
                                + " bucket per element), which the factorization machine cannot take: its pairwise"
                                + " terms already cross every field; cross single-valued fields, or use wide-and-deep");
                    }
                }
            })
            .optBuildKey("model.field_modes")
            .build();

    /** wide-and-deep: the classifier of labelled embeddings. */
    public static final ModelType<WideAndDeepConfig> WIDE_AND_DEEP = ModelType.ratings("wide-and-deep",
            WideAndDeepConfig.class, ModelTypes::wideAndDeep)
            .optTask(c -> c.objective() == WideAndDeepConfig.Objective.BINARY ? Task.BINARY : Task.REGRESSION)
            .optSideFeatures((c, s) -> true)
            .optBuildKey("model.embedding_sizes")
            .optResolved((c, s) -> Map.of("embedding_widths", embeddingWidths(c, s)))
            .build();

    private static final ModelType<EmbeddingBagConfig> EMBEDDING_BAG = ModelType.sessions("embedding-bag",
            EmbeddingBagConfig.class).build();

    private static final List<ModelType<?>> ALL = List.of(DOT_PRODUCT_BIAS, DEEP_COLLABORATIVE, FACTORIZATION_MACHINE,
            WIDE_AND_DEEP, EMBEDDING_BAG);

    private ModelTypes() {}

    /**
     * Returns every model type.
     *
     * @return the entries, in documentation order
     */
    public static List<ModelType<?>> all() {
        return ALL;
    }

    /**
     * Returns the entry of a model section.
     *
     * @param model the section
     * @return its type
     * @throws IllegalStateException when no entry takes its record (a registry defect)
     */
    public static ModelType<?> of(ModelConfig model) {
        for (ModelType<?> t : ALL) {
            if (t.config().isInstance(model)) {
                return t;
            }
        }
        throw new IllegalStateException("no model type takes " + model.getClass().getName());
    }

    /**
     * Returns the config records by {@code model.type}, for the binder and the config reference.
     *
     * @return name to record
     */
    public static Map<String, Class<? extends Record>> variants() {
        Map<String, Class<? extends Record>> m = new LinkedHashMap<>();
        for (ModelType<?> t : ALL) {
            m.put(t.name(), t.config().asSubclass(Record.class));
        }
        return m;
    }

    /**
     * Names the types that pass a test, for messages: {@code a, b or c}.
     *
     * @param test which types
     * @return their names
     */
    static String names(Predicate<ModelType<?>> test) {
        List<String> names = ALL.stream().filter(test).map(ModelType::name).toList();
        if (names.size() <= 1) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
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
     * Returns the input shapes of a batch of a model built on a schema.
     *
     * @param schema the schema
     * @param batch B
     * @return ids {@code [B, F]}, and dense {@code [B, G]} when G &gt; 0
     */
    public static Shape[] inputShapes(FeatureSchema schema, int batch) {
        return schema.denseWidth() == 0 ? new Shape[] {new Shape(batch, schema.idWidth())}
                : new Shape[] {new Shape(batch, schema.idWidth()), new Shape(batch, schema.denseWidth())};
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

    private static FactorizationMachine.Spec factorizationMachine(FactorizationMachineConfig fm, FeatureSchema schema) {
        List<CategoricalField> fields = new ArrayList<>();
        List<DenseGroup> groups = new ArrayList<>();
        for (FeatureSchema.Column c : schema.columns()) {
            switch (c.kind()) {
                case CATEGORICAL, CROSS -> fields.add(new CategoricalField(c.name(), c.size()));
                case BAG, NUMERIC -> groups.add(new DenseGroup(c.name(), c.width()));
                case BAG_CROSS -> throw new IllegalArgumentException("cross " + c.name() + " involves a bag");
            }
        }
        List<FactorizationMachine.FieldMode> modes = fm.fieldModes().stream().map(m -> new FactorizationMachine
                .FieldMode(m.field(), FactorizationMachine.Mode.valueOf(m.mode().name()))).toList();
        return new FactorizationMachine.Spec(fields, groups, fm.factors(), modes, fm.globalBias(),
                head(fm.objective() == FactorizationMachineConfig.Objective.BINARY, schema),
                lo(fm.yRange()), hi(fm.yRange()), (float) fm.initStd());
    }

    /**
     * deep-collaborative: fastai's CollabNN over user and item; over side features fastai's
     * EmbeddingNN, the fields' embeddings (widths by the rule; user_ and item_embedding_size
     * override theirs) and the bags through the MLP: the wide-and-deep block without its wide part.
     */
    private static dev.embtrain.models.BlockSpec deepCollaborative(DeepCollaborativeConfig dc, FeatureSchema schema) {
        if (!sideFeatures(schema)) {
            int users = size(schema, "user");
            int items = size(schema, "item");
            return new DeepCollaborative.Spec(users, items,
                    dc.userEmbeddingSize() > 0 ? dc.userEmbeddingSize() : dc.embeddingRule().size(users),
                    dc.itemEmbeddingSize() > 0 ? dc.itemEmbeddingSize() : dc.embeddingRule().size(items),
                    dc.layers(), (float) dc.dropout(), dc.batchNorm(), head(false, schema), lo(dc.yRange()),
                    hi(dc.yRange()), (float) dc.initStd());
        }
        List<WideAndDeep.Field> fields = new ArrayList<>();
        for (FeatureSchema.Column c : schema.columns()) {
            if (c.kind() == FeatureSchema.Kind.CATEGORICAL) {
                int given = c.name().equals("user") ? dc.userEmbeddingSize()
                        : c.name().equals("item") ? dc.itemEmbeddingSize() : 0;
                fields.add(new WideAndDeep.Field(c.name(), c.size(), given > 0 ? given : dc.embeddingRule().size(c.size())));
            }
        }
        return new WideAndDeep.Spec(fields, schema.denseWidth(), false, dc.layers(), (float) dc.dropout(),
                dc.batchNorm(), head(false, schema), lo(dc.yRange()), hi(dc.yRange()), (float) dc.initStd());
    }

    private static WideAndDeep.Spec wideAndDeep(WideAndDeepConfig wd, FeatureSchema schema) {
        Map<String, Integer> widths = embeddingWidths(wd, schema);
        List<WideAndDeep.Field> fields = new ArrayList<>();
        for (FeatureSchema.Column c : schema.columns()) {
            switch (c.kind()) {
                case CATEGORICAL -> fields.add(new WideAndDeep.Field(c.name(), c.size(), widths.get(c.name())));
                case CROSS, BAG_CROSS -> fields.add(new WideAndDeep.Field(c.name(), c.size(), 0, c.width()));
                case BAG, NUMERIC -> { }
            }
        }
        return new WideAndDeep.Spec(fields, schema.denseWidth(), true, wd.layers(), (float) wd.dropout(),
                wd.batchNorm(), head(wd.objective() == WideAndDeepConfig.Objective.BINARY, schema),
                lo(wd.yRange()), hi(wd.yRange()), (float) wd.initStd());
    }

    /**
     * Returns a rating model's head: the logit for a binary objective and for implicit feedback
     * (whose losses compare raw scores), else the rating in the sigmoid range.
     */
    private static Head head(boolean binary, FeatureSchema schema) {
        return binary || schema.spec().label().implicit() ? Head.BINARY : Head.REGRESSION;
    }

    private static int size(FeatureSchema schema, String field) {
        return schema.column(field).size();
    }

    private static float lo(List<Double> range) {
        return range.get(0).floatValue();
    }

    private static float hi(List<Double> range) {
        return range.get(1).floatValue();
    }
}
