package dev.embtrain.training.modeltypes;

import dev.embtrain.datasets.features.FeatureSchema;
import dev.embtrain.models.BlockSpec;
import dev.embtrain.training.config.ModelConfig;
import dev.embtrain.training.engine.Task;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One model type, as {@code model.type} names it: its config record, the data it learns from,
 * what it predicts, which features it reads, its rules against the data (with the key at fault),
 * and the {@link BlockSpec} it is built from, in training and in serving alike. {@link
 * ModelTypes} lists them; nothing else in the trainer asks which model it has.
 *
 * @param <C> the config record
 */
public final class ModelType<C extends ModelConfig> {

    /** What a model type learns from. */
    public enum Data {
        /** Ratings (with side features and crosses where the type reads them). */
        RATINGS,
        /** Sessions, through the sessions kind. */
        SESSIONS
    }

    /**
     * A model type's settings do not fit the data's schema; the message names the key.
     */
    public static final class Mismatch extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String key;

        /**
         * Creates the error.
         *
         * @param key the dotted config key at fault
         * @param message what is wrong, and what to do
         */
        public Mismatch(String key, String message) {
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

    private final String name;
    private final Class<C> config;
    private final Data data;
    private final Function<C, Task> task;
    private final boolean binaryCapable;
    private final boolean sideFeatures;
    private final BiFunction<C, FeatureSchema, Boolean> readsFeatures;
    private final BiConsumer<C, FeatureSchema> early;
    private final BiConsumer<C, FeatureSchema> rules;
    private final String buildKey;
    private final BiFunction<C, FeatureSchema, BlockSpec> spec;
    private final BiFunction<C, FeatureSchema, Map<String, Object>> resolved;

    private ModelType(Builder<C> b) {
        name = b.name;
        config = b.config;
        data = b.data;
        task = b.task;
        binaryCapable = b.binaryCapable;
        sideFeatures = b.sideFeatures;
        readsFeatures = b.readsFeatures;
        early = b.early;
        rules = b.rules;
        buildKey = b.buildKey;
        spec = b.spec;
        resolved = b.resolved;
    }

    /**
     * Starts an entry for a model over ratings.
     *
     * @param name its {@code model.type}
     * @param config its config record
     * @param spec the spec of its block from its config and the frozen feature schema
     * @param <C> the config record
     * @return the builder
     */
    public static <C extends ModelConfig> Builder<C> ratings(String name, Class<C> config,
            BiFunction<C, FeatureSchema, BlockSpec> spec) {
        return new Builder<>(name, config, Data.RATINGS, Objects.requireNonNull(spec));
    }

    /**
     * Starts an entry for a model over sessions, which the sessions kind builds.
     *
     * @param name its {@code model.type}
     * @param config its config record
     * @param <C> the config record
     * @return the builder
     */
    public static <C extends ModelConfig> Builder<C> sessions(String name, Class<C> config) {
        return new Builder<>(name, config, Data.SESSIONS, null);
    }

    /**
     * Returns the name written in {@code model.type}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the config record.
     *
     * @return its class
     */
    public Class<C> config() {
        return config;
    }

    /**
     * Returns what it learns from.
     *
     * @return the data
     */
    public Data data() {
        return data;
    }

    /**
     * Returns whether it can predict a binary label ({@code model.objective: binary}).
     *
     * @return true when its task follows the config
     */
    public boolean binaryCapable() {
        return binaryCapable;
    }

    /**
     * Returns whether it can read side features and crosses.
     *
     * @return true when it can
     */
    public boolean sideFeatures() {
        return sideFeatures;
    }

    /**
     * Returns what a config of this type predicts.
     *
     * @param model the model section
     * @return the task
     */
    public Task task(ModelConfig model) {
        return task.apply(cast(model));
    }

    /**
     * Returns whether a model reads the whole feature schema (side features, crosses) rather than
     * user and item alone; such a model is served by the feature translator.
     *
     * @param model the model section
     * @param schema the frozen features
     * @return true when it reads them
     */
    public boolean readsFeatures(ModelConfig model, FeatureSchema schema) {
        return readsFeatures.apply(cast(model), schema);
    }

    /**
     * Checks that a model can be built on a schema and trained on its label, before the trainer
     * touches any data.
     *
     * @param model the model section
     * @param schema the frozen features
     * @throws Mismatch naming the key and the problem
     */
    public void check(ModelConfig model, FeatureSchema schema) {
        C c = cast(model);
        if (data != Data.RATINGS) {
            throw new Mismatch("model.type", name + " learns from sessions, not ratings");
        }
        early.accept(c, schema);
        boolean binaryLabel = schema.spec().label().binary();
        if (schema.spec().label().implicit()) {
            // Implicit feedback ranks raw scores, whatever the objective and y_range say.
        } else if (binaryCapable) {
            Task t = task.apply(c);
            if (t == Task.BINARY && !binaryLabel) {
                throw new Mismatch("model.objective", "binary needs a binary label; add dataset.label: {type: binary,"
                        + " threshold: 4}");
            }
            if (t == Task.REGRESSION && binaryLabel) {
                throw new Mismatch("model.objective", "regression predicts the rating, but dataset.label is binary;"
                        + " set model.objective: binary or dataset.label.type: rating");
            }
        } else if (binaryLabel) {
            throw new Mismatch("dataset.label", "model.type " + name + " predicts ratings; a binary label needs "
                    + ModelTypes.names(ModelType::binaryCapable));
        }
        if (!sideFeatures && ModelTypes.sideFeatures(schema)) {
            throw new Mismatch("dataset.features", "model.type " + name + " uses user and item alone; leave out"
                    + " dataset.features and dataset.crosses, or use " + ModelTypes.names(ModelType::sideFeatures)
                    + " for side features");
        }
        rules.accept(c, schema);
        try {
            spec(model, schema).newBlock();
        } catch (Mismatch e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new Mismatch(buildKey, e.getMessage());
        }
    }

    /**
     * Returns the spec of a model's block on a schema: what the trainer builds and the serving
     * export writes.
     *
     * @param model the model section
     * @param schema the frozen features: id columns in layout order, then the dense groups
     * @return the spec
     * @throws IllegalArgumentException when the config names a field the schema lacks
     */
    public BlockSpec spec(ModelConfig model, FeatureSchema schema) {
        if (spec == null) {
            throw new IllegalStateException("model type " + name + " is built by its kind, not on a feature schema");
        }
        return spec.apply(cast(model), schema);
    }

    /**
     * Returns what this type adds to {@code resolved.yaml}: settings the data decided.
     *
     * @param model the model section
     * @param schema the frozen features
     * @return key to value, often none
     */
    public Map<String, Object> resolved(ModelConfig model, FeatureSchema schema) {
        return resolved.apply(cast(model), schema);
    }

    private C cast(ModelConfig model) {
        if (!config.isInstance(model)) {
            throw new IllegalArgumentException("model type " + name + " takes " + config.getSimpleName() + ", not "
                    + model.getClass().getSimpleName());
        }
        return config.cast(model);
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * Builds an entry.
     *
     * @param <C> the config record
     */
    public static final class Builder<C extends ModelConfig> {
        private final String name;
        private final Class<C> config;
        private final Data data;
        private final BiFunction<C, FeatureSchema, BlockSpec> spec;
        private Function<C, Task> task = c -> Task.REGRESSION;
        private boolean binaryCapable;
        private boolean sideFeatures;
        private BiFunction<C, FeatureSchema, Boolean> readsFeatures = (c, s) -> false;
        private BiConsumer<C, FeatureSchema> early = (c, s) -> { };
        private BiConsumer<C, FeatureSchema> rules = (c, s) -> { };
        private String buildKey = "model.type";
        private BiFunction<C, FeatureSchema, Map<String, Object>> resolved = (c, s) -> Map.of();

        private Builder(String name, Class<C> config, Data data, BiFunction<C, FeatureSchema, BlockSpec> spec) {
            this.name = name;
            this.config = config;
            this.data = data;
            this.spec = spec;
        }

        /**
         * Lets the config choose between a rating and a binary label ({@code model.objective}).
         *
         * @param task the task a config trains for
         * @return this builder
         */
        public Builder<C> optTask(Function<C, Task> task) {
            this.task = task;
            this.binaryCapable = true;
            return this;
        }

        /**
         * Lets the type read side features and crosses.
         *
         * @param reads whether a config reads them on a schema
         * @return this builder
         */
        public Builder<C> optSideFeatures(BiFunction<C, FeatureSchema, Boolean> reads) {
            this.readsFeatures = reads;
            this.sideFeatures = true;
            return this;
        }

        /**
         * Adds rules checked before the label and feature rules every type shares.
         *
         * @param early the rules; throw {@link Mismatch} naming the key
         * @return this builder
         */
        public Builder<C> optEarlyRules(BiConsumer<C, FeatureSchema> early) {
            this.early = early;
            return this;
        }

        /**
         * Adds the type's own rules against the data, after the shared ones; throw {@link Mismatch} naming the key.
         *
         * @param rules the rules
         * @return this builder
         */
        public Builder<C> optRules(BiConsumer<C, FeatureSchema> rules) {
            this.rules = rules;
            return this;
        }

        /**
         * Names the key a block builder's refusal is blamed on (default {@code model.type}).
         *
         * @param key the dotted key
         * @return this builder
         */
        public Builder<C> optBuildKey(String key) {
            this.buildKey = key;
            return this;
        }

        /**
         * Adds entries to {@code resolved.yaml}.
         *
         * @param resolved what the data decided
         * @return this builder
         */
        public Builder<C> optResolved(BiFunction<C, FeatureSchema, Map<String, Object>> resolved) {
            this.resolved = resolved;
            return this;
        }

        /**
         * Builds the entry.
         *
         * @return the entry
         */
        public ModelType<C> build() {
            return new ModelType<>(this);
        }
    }
}
