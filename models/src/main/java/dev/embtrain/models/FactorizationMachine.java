package dev.embtrain.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A factorization machine over named categorical fields and dense groups (Rendle 2010,
 * <a href="https://doi.org/10.1109/ICDM.2010.127">Factorization Machines</a>; with feat2vec's
 * grouped dense features and per-field modes, Denk and Ramos 2017,
 * <a href="https://arxiv.org/abs/1702.06724">Feat2Vec</a>).
 *
 * <p>{@code score = w_0 + Σ_f b_f[id_f] + Σ_g x_g · w_g + Σ_{i<j} <v_i, v_j>} with
 * {@code v_f = E_f[id_f]} for a categorical field and {@code v_g = x_g · P_g} for a dense group;
 * the pairwise sum is computed in O(n·D) as {@code ½ Σ_d ((Σ_i v_i)² − Σ_i v_i²)}. The output is
 * {@code lo + (hi - lo) * sigmoid(score)} (regression) or the raw logit (binary). Use it when
 * ratings or clicks come with side features (user age, item genres, a precomputed image
 * vector): every field gets an embedding in one space, so side features can stand in for ids
 * that are rare or unseen.
 *
 * <p>Shapes: B = batch, F = categorical fields, G = total width of the dense groups,
 * D = {@code factors}, N_f = field f's vocabulary (index 0 = unknown), W_g = group g's width.
 * Input {@code NDList{int64 [B, F], float32 [B, G]}}: the ids when there are categorical
 * fields, the dense values when there are dense groups, in that order; columns follow the
 * lists given to the builder. Output {@code NDList{float32 [B]}}. Parameters, per field
 * {@code <field> [N_f, D]} and {@code <field>_bias [N_f, 1]}, per group {@code <group> [W_g, D]}
 * and {@code <group>_bias [W_g, 1]} (N(0, {@code init_std}²); a {@link Mode} drops one of the
 * two), and {@code global_bias [1]} (zero).
 */
public final class FactorizationMachine extends ScoreBlock {

    private static final byte VERSION = 1;

    /**
     * What one field contributes, in a {@link Spec}.
     *
     * @param field the field
     * @param mode its mode
     */
    public record FieldMode(String field, Mode mode) {}

    /**
     * The block's settings, as the trainer builds it and {@code serving.properties} carries it.
     *
     * @param fields the categorical fields, in input column order
     * @param denseGroups the dense groups, in input column order
     * @param factors D
     * @param modes fields whose mode is not {@code BOTH}
     * @param globalBias whether there is a global bias
     * @param head regression (a rating in the range) or binary (a logit)
     * @param yLo the range's low end (regression)
     * @param yHi its high end
     * @param initStd the initial weights' standard deviation
     */
    public record Spec(List<CategoricalField> fields, List<DenseGroup> denseGroups, int factors, List<FieldMode> modes,
            boolean globalBias, Head head, float yLo, float yHi, float initStd) implements BlockSpec {
        @Override
        public FactorizationMachine newBlock() {
            Builder b = builder().setCategoricalFields(fields).optDenseGroups(denseGroups).setFactors(factors)
                    .optGlobalBias(globalBias).optInitStd(initStd);
            for (FieldMode m : modes) {
                b.optFieldMode(m.field(), m.mode());
            }
            return (head == Head.BINARY ? b.optBinary() : b.optRegression(yLo, yHi)).build();
        }
    }

    /** What a field contributes (feat2vec's {@code bias_only} and {@code embeddings_only}). */
    public enum Mode {
        /** A linear term and an embedding in the pairwise interactions. */
        BOTH,
        /** Only the linear term: the field takes no part in the interactions. */
        BIAS_ONLY,
        /** Only the embedding: the field has no linear term. */
        EMBEDDINGS_ONLY
    }

    private final List<CategoricalField> categoricalFields;
    private final List<DenseGroup> denseGroups;
    private final Map<String, Mode> modes;
    private final int factors;
    private final int denseWidth;
    private final boolean binary;
    private final float lo;
    private final float hi;

    private final List<Categorical> categorical = new ArrayList<>();
    private final List<Dense> dense = new ArrayList<>();
    private final Parameter globalBias;

    private record Categorical(String name, NDIndex column, Parameter embedding, Parameter bias) {}

    private record Dense(String name, NDIndex columns, Parameter projection, Parameter bias) {}

    private FactorizationMachine(Builder b) {
        super(VERSION);
        categoricalFields = b.categoricalFields;
        denseGroups = b.denseGroups;
        factors = b.factors;
        binary = b.binary;
        lo = b.lo;
        hi = b.hi;
        Map<String, Mode> resolved = new LinkedHashMap<>();
        NormalInitializer init = new NormalInitializer(b.initStd);
        for (int column = 0; column < categoricalFields.size(); column++) {
            CategoricalField f = categoricalFields.get(column);
            Mode mode = b.modes.getOrDefault(f.name(), Mode.BOTH);
            resolved.put(f.name(), mode);
            Parameter embedding = mode == Mode.BIAS_ONLY ? null
                    : addParameter(Layers.table(f.name(), f.vocabularySize(), factors, init));
            Parameter bias = mode == Mode.EMBEDDINGS_ONLY ? null
                    : addParameter(Layers.table(f.name() + "_bias", f.vocabularySize(), 1, init));
            categorical.add(new Categorical(f.name(), new NDIndex().addAllDim().addIndices(column), embedding, bias));
        }
        int start = 0;
        for (DenseGroup g : denseGroups) {
            Mode mode = b.modes.getOrDefault(g.name(), Mode.BOTH);
            resolved.put(g.name(), mode);
            Parameter projection = addParameter(Layers.table(g.name(), g.width(), factors, init));
            Parameter bias = mode == Mode.EMBEDDINGS_ONLY ? null
                    : addParameter(Layers.table(g.name() + "_bias", g.width(), 1, init));
            dense.add(new Dense(g.name(), new NDIndex().addAllDim().addSliceDim(start, start + g.width()),
                    projection, bias));
            start += g.width();
        }
        denseWidth = start;
        modes = Map.copyOf(resolved);
        globalBias = b.globalBias ? addParameter(Parameter.builder().setName("global_bias")
                .setType(Parameter.Type.BIAS).optShape(new Shape(1)).optInitializer(Initializer.ZEROS).build())
                : null;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        checkInputs(inputs);
        NDArray ids = categorical.isEmpty() ? null : inputs.get(0);
        NDArray values = dense.isEmpty() ? null : inputs.get(categorical.isEmpty() ? 0 : 1);
        Device device = inputs.head().getDevice();
        NDList vectors = new NDList();
        NDArray linear = null; // [B, 1]
        for (Categorical c : categorical) {
            NDArray id = ids.get(c.column);
            if (c.embedding != null) {
                vectors.add(Layers.lookup(store, c.embedding, training, id));
            }
            if (c.bias != null) {
                linear = plus(linear, Layers.lookup(store, c.bias, training, id));
            }
        }
        for (Dense d : dense) {
            NDArray x = values.get(d.columns);
            vectors.add(x.matMul(store.getValue(d.projection, device, training)));
            if (d.bias != null) {
                linear = plus(linear, x.matMul(store.getValue(d.bias, device, training)));
            }
        }
        NDArray score = linear == null ? null : linear.reshape(-1);
        if (!vectors.isEmpty()) {
            score = plus(score, pairwise(vectors));
        }
        if (globalBias != null) {
            score = score.add(store.getValue(globalBias, device, training));
        }
        return new NDList(binary ? score : SigmoidRange.apply(score, lo, hi));
    }

    // Σ_{i<j} <v_i, v_j> = ½ Σ_d ((Σ_i v_i)² − Σ_i v_i²): O(n·D) instead of O(n²·D). The ½ is an
    // NDArray, not a Java float, because a scalar's buffer is freed before backward reads it.
    private static NDArray pairwise(NDList vectors) {
        NDArray stacked = NDArrays.stack(vectors, 1); // [B, n, D]
        NDArray sum = stacked.sum(new int[] {1});
        NDArray sumOfSquares = stacked.square().sum(new int[] {1});
        NDArray half = stacked.getManager().full(new Shape(), 0.5f, stacked.getDataType(), stacked.getDevice());
        return sum.square().sub(sumOfSquares).sum(new int[] {1}).mul(half);
    }

    private static NDArray plus(NDArray total, NDArray term) {
        return total == null ? term : total.add(term);
    }

    // A batch laid out for other fields would otherwise train silently on the wrong columns.
    private void checkInputs(NDList inputs) {
        int expected = (categorical.isEmpty() ? 0 : 1) + (dense.isEmpty() ? 0 : 1);
        if (inputs.size() != expected) {
            throw new IllegalArgumentException("expected " + expected + " input arrays ("
                    + (categorical.isEmpty() ? "" : "ids [B, " + categorical.size() + "]")
                    + (expected == 2 ? ", " : "")
                    + (dense.isEmpty() ? "" : "dense values [B, " + denseWidth + "]") + "), found " + inputs.size());
        }
        int i = 0;
        if (!categorical.isEmpty()) {
            checkWidth("ids", inputs.get(i++).getShape(), categorical.size(), fieldNames(categoricalFields));
        }
        if (!dense.isEmpty()) {
            checkWidth("dense values", inputs.get(i).getShape(), denseWidth, denseGroups.toString());
        }
    }

    private static void checkWidth(String what, Shape shape, int width, Object of) {
        if (shape.dimension() != 2 || shape.get(1) != width) {
            throw new IllegalArgumentException(
                    what + " must be [B, " + width + "] for " + of + ", found " + shape);
        }
    }

    private static String fieldNames(List<CategoricalField> fields) {
        return fields.stream().map(CategoricalField::name).toList().toString();
    }

    /**
     * Returns the number of latent factors D.
     *
     * @return D
     */
    public int getFactors() {
        return factors;
    }

    /**
     * Returns the categorical fields in column order.
     *
     * @return the fields
     */
    public List<CategoricalField> categoricalFields() {
        return categoricalFields;
    }

    /**
     * Returns the dense groups in column order.
     *
     * @return the groups
     */
    public List<DenseGroup> denseGroups() {
        return denseGroups;
    }

    /**
     * Returns the names of the categorical fields, then of the dense groups.
     *
     * @return the names
     */
    public List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        categoricalFields.forEach(f -> names.add(f.name()));
        denseGroups.forEach(g -> names.add(g.name()));
        return List.copyOf(names);
    }

    /**
     * Returns what a field or dense group contributes.
     *
     * @param field the field's or group's name
     * @return its mode
     * @throws IllegalArgumentException when there is no such field
     */
    public Mode fieldMode(String field) {
        Mode mode = modes.get(field);
        if (mode == null) {
            throw new IllegalArgumentException("no field \"" + field + "\"; the fields are " + fieldNames());
        }
        return mode;
    }

    /**
     * Returns whether the output is a raw logit rather than a score squashed into a range.
     *
     * @return true for the binary head
     */
    public boolean isBinary() {
        return binary;
    }

    /**
     * Returns the tables by the names users export and query them under: per categorical field
     * {@code <field>} (its embedding) and {@code <field>_bias}, labelled by the field's
     * vocabulary; per dense group {@code <group>} (a row per column: the column's embedding)
     * and {@code <group>_bias}, labelled by the group's columns. A field's mode leaves out the
     * table it drops.
     *
     * @return the tables, in column order, embedding before bias
     */
    @Override
    public List<EmbeddingTable> embeddingTables() {
        List<EmbeddingTable> tables = new ArrayList<>();
        for (Categorical c : categorical) {
            if (c.embedding != null) {
                tables.add(new EmbeddingTable(c.name, c.name, c.embedding));
            }
            if (c.bias != null) {
                tables.add(new EmbeddingTable(c.name + "_bias", c.name, c.bias));
            }
        }
        for (Dense d : dense) {
            tables.add(new EmbeddingTable(d.name, d.name, d.projection, false));
            if (d.bias != null) {
                tables.add(new EmbeddingTable(d.name + "_bias", d.name, d.bias, false));
            }
        }
        return List.copyOf(tables);
    }

    /** Builds a {@link FactorizationMachine}: {@code set*} values are required, {@code opt*} optional. */
    public static final class Builder {
        private List<CategoricalField> categoricalFields;
        private List<DenseGroup> denseGroups = List.of();
        private int factors = -1;
        private final Map<String, Mode> modes = new LinkedHashMap<>();
        private boolean globalBias = true;
        private boolean binary;
        private float lo = 0f;
        private float hi = 5.5f;
        private float initStd = 0.01f;

        Builder() {}

        /**
         * Sets the categorical fields in the column order of the ids array; their vocabulary
         * sizes come from the data. Empty only when there are dense groups.
         *
         * @param fields the fields
         * @return this builder
         */
        public Builder setCategoricalFields(List<CategoricalField> fields) {
            this.categoricalFields = List.copyOf(fields);
            return this;
        }

        /**
         * Sets the dense groups, consecutive column ranges of the dense array in this order
         * (default none; the input then has no dense array).
         *
         * @param groups the groups
         * @return this builder
         */
        public Builder optDenseGroups(List<DenseGroup> groups) {
            this.denseGroups = List.copyOf(groups);
            return this;
        }

        /**
         * Sets the number of latent factors D.
         *
         * @param factors D, at least 1
         * @return this builder
         */
        public Builder setFactors(int factors) {
            this.factors = factors;
            return this;
        }

        /**
         * Sets what a field or dense group contributes (default {@link Mode#BOTH}); a dense
         * group cannot be {@link Mode#BIAS_ONLY}.
         *
         * @param field the field's or group's name
         * @param mode its mode
         * @return this builder
         */
        public Builder optFieldMode(String field, Mode mode) {
            modes.put(Objects.requireNonNull(field, "field"), Objects.requireNonNull(mode, "mode"));
            return this;
        }

        /**
         * Sets whether to learn a global bias w_0 (default true).
         *
         * @param globalBias whether to
         * @return this builder
         */
        public Builder optGlobalBias(boolean globalBias) {
            this.globalBias = globalBias;
            return this;
        }

        /**
         * Makes the output {@code lo + (hi - lo) * sigmoid(score)} (the default, with [0, 5.5],
         * fastai's range for 1–5 star ratings).
         *
         * @param lo lower end
         * @param hi upper end
         * @return this builder
         */
        public Builder optRegression(float lo, float hi) {
            this.binary = false;
            this.lo = lo;
            this.hi = hi;
            return this;
        }

        /**
         * Makes the output the raw score, a logit for a binary loss that applies the sigmoid
         * itself.
         *
         * @return this builder
         */
        public Builder optBinary() {
            this.binary = true;
            return this;
        }

        /**
         * Sets the standard deviation of the embeddings' and biases' normal initialisation
         * (default 0.01).
         *
         * @param initStd the standard deviation, &gt; 0
         * @return this builder
         */
        public Builder optInitStd(float initStd) {
            this.initStd = initStd;
            return this;
        }

        /**
         * Builds the block.
         *
         * @return the block
         * @throws IllegalArgumentException naming the first bad value
         */
        public FactorizationMachine build() {
            if (categoricalFields == null) {
                throw new IllegalArgumentException("categorical fields must be set (empty only with dense groups)");
            }
            if (categoricalFields.isEmpty() && denseGroups.isEmpty()) {
                throw new IllegalArgumentException(
                        "a factorization machine needs at least one categorical field or dense group, found none");
            }
            if (factors < 1) {
                throw new IllegalArgumentException("factors must be > 0, found " + factors);
            }
            List<String> names = new ArrayList<>();
            categoricalFields.forEach(f -> names.add(f.name()));
            denseGroups.forEach(g -> names.add(g.name()));
            for (String name : names) {
                if (names.indexOf(name) != names.lastIndexOf(name)) {
                    throw new IllegalArgumentException("duplicate field name \"" + name + "\" in " + names);
                }
            }
            for (Map.Entry<String, Mode> e : modes.entrySet()) {
                if (!names.contains(e.getKey())) {
                    throw new IllegalArgumentException("mode " + e.getValue() + " for unknown field \"" + e.getKey()
                            + "\"; the fields are " + names);
                }
            }
            for (DenseGroup g : denseGroups) {
                if (modes.get(g.name()) == Mode.BIAS_ONLY) {
                    throw new IllegalArgumentException("dense group \"" + g.name()
                            + "\": mode must be BOTH or EMBEDDINGS_ONLY, found BIAS_ONLY");
                }
            }
            checkParameterNames();
            if (!(initStd > 0) || !Float.isFinite(initStd)) {
                throw new IllegalArgumentException("init_std must be > 0, found " + initStd);
            }
            if (!binary) {
                SigmoidRange.validate(lo, hi);
            }
            return new FactorizationMachine(this);
        }

        // Parameters are saved and exported by name: field "item" owns "item_bias", so a field
        // named "item_bias" (or "global_bias") would make two parameters share one name.
        private void checkParameterNames() {
            Map<String, String> owners = new HashMap<>();
            List<String[]> wanted = new ArrayList<>();
            for (CategoricalField f : categoricalFields) {
                Mode mode = modes.getOrDefault(f.name(), Mode.BOTH);
                if (mode != Mode.BIAS_ONLY) {
                    wanted.add(new String[] {f.name(), "field \"" + f.name() + "\""});
                }
                if (mode != Mode.EMBEDDINGS_ONLY) {
                    wanted.add(new String[] {f.name() + "_bias", "field \"" + f.name() + "\""});
                }
            }
            for (DenseGroup g : denseGroups) {
                wanted.add(new String[] {g.name(), "dense group \"" + g.name() + "\""});
                if (modes.getOrDefault(g.name(), Mode.BOTH) != Mode.EMBEDDINGS_ONLY) {
                    wanted.add(new String[] {g.name() + "_bias", "dense group \"" + g.name() + "\""});
                }
            }
            if (globalBias) {
                wanted.add(new String[] {"global_bias", "the global bias"});
            }
            for (String[] w : wanted) {
                String other = owners.putIfAbsent(w[0], w[1]);
                if (other != null) {
                    throw new IllegalArgumentException("parameter name \"" + w[0] + "\" is needed by both " + other
                            + " and " + w[1] + "; rename one");
                }
            }
        }
    }
}
