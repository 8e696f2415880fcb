package dev.embtrain.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A linear model over sparse categorical columns and their crosses, trained jointly with an MLP
 * over embeddings and dense values (Cheng et al. 2016,
 * <a href="https://arxiv.org/abs/1606.07792">Wide &amp; Deep Learning for Recommender
 * Systems</a>; TensorFlow's {@code DNNLinearCombinedClassifier}).
 *
 * <p>{@code logit = wide_bias + Σ_f w_f[id_f] + mlp([e_f[id_f] for embedded f ; dense])}, with
 * {@code mlp = (Linear → ReLU [→ BatchNorm] [→ Dropout])* → Linear(1)}; the head returns the
 * logit (binary, for sigmoid cross-entropy) or {@code lo + (hi - lo) * sigmoid(logit)}
 * (regression). Use it for click or rating prediction with side features: the wide part
 * memorises specific combinations (hashed crosses), the deep part generalises through
 * embeddings. With no embedded fields, dense values and no hidden layers it is plain logistic
 * (or linear) regression over the dense values.
 *
 * <p>Shapes: B = batch, F = categorical id columns (crosses included, in builder order; a bag
 * field spans its {@code slots} columns), G = dense
 * width, D = Σ embedding widths + G, H = hidden widths. Input {@code NDList{int64 [B, F],
 * float32 [B, G]}} (the second only when G &gt; 0; with F = 0 the first is {@code [B, 0]});
 * output {@code NDList{float32 [B]}}. Parameters {@code <field>_wide [n, 1]} for every column
 * and {@code wide_bias [1]} (zeros, as a linear model starts), {@code <field> [n, width]} for
 * every column of width &gt; 0 (N(0, {@code init_std}²)), and the child {@code mlp} [D → H… → 1].
 */
public final class WideAndDeep extends ScoreBlock {

    private static final byte VERSION = 1;

    /**
     * The block's settings, as the trainer builds it and {@code serving.properties} carries it.
     *
     * @param fields the id fields, in input column order
     * @param denseWidth G, the dense columns
     * @param wide whether the block has its wide (linear) part
     * @param layers the deep part's hidden widths
     * @param dropout the dropout after each hidden layer
     * @param batchNorm whether batch normalisation follows each hidden layer
     * @param head regression (a rating in the range) or binary (a logit)
     * @param yLo the range's low end (regression)
     * @param yHi its high end
     * @param initStd the initial weights' standard deviation
     */
    public record Spec(List<Field> fields, int denseWidth, boolean wide, List<Integer> layers, float dropout,
            boolean batchNorm, Head head, float yLo, float yHi, float initStd) implements BlockSpec {
        @Override
        public WideAndDeep newBlock() {
            Builder b = builder().setFields(fields).optDenseWidth(denseWidth).optWide(wide).optLayers(layers)
                    .optDropout(dropout).optBatchNorm(batchNorm).optInitStd(initStd);
            return (head == Head.BINARY ? b.optBinary() : b.optRegression(yLo, yHi)).build();
        }
    }

    private final List<Field> fields;
    private final int denseWidth;
    private final int deepWidth;
    private final boolean regression;
    private final float lo;
    private final float hi;
    private final List<NDIndex> columns = new ArrayList<>();
    private final int idWidth;
    private final List<Parameter> wideWeights = new ArrayList<>();
    private final Parameter wideBias;
    private final boolean wide;
    private final List<Integer> embeddedColumns = new ArrayList<>();
    private final List<Parameter> embeddings = new ArrayList<>();
    private final SequentialBlock mlp;

    private WideAndDeep(Builder b) {
        super(VERSION);
        fields = b.fields;
        denseWidth = b.denseWidth;
        wide = b.wide;
        regression = b.regression;
        lo = b.lo;
        hi = b.hi;
        int width = denseWidth;
        int start = 0;
        for (int f = 0; f < fields.size(); f++) {
            Field field = fields.get(f);
            columns.add(field.slots() == 1 ? new NDIndex().addAllDim().addIndices(start)
                    : new NDIndex().addAllDim().addSliceDim(start, start + field.slots()));
            start += field.slots();
            if (wide) {
                wideWeights.add(addParameter(
                        Layers.table(field.name() + "_wide", field.vocabularySize(), 1, Initializer.ZEROS)));
            }
        }
        idWidth = start;
        wideBias = !wide ? null : addParameter(Parameter.builder().setName("wide_bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(1)).optInitializer(Initializer.ZEROS).build());
        NormalInitializer init = new NormalInitializer(b.initStd);
        for (int f = 0; f < fields.size(); f++) {
            Field field = fields.get(f);
            if (field.embeddingWidth() > 0) {
                embeddedColumns.add(f);
                embeddings.add(addParameter(Layers.table(field.name(), field.vocabularySize(), field.embeddingWidth(), init)));
                width += field.embeddingWidth();
            }
        }
        deepWidth = width;
        SequentialBlock layers = Layers.mlp(b.layers, b.batchNorm, b.dropout);
        mlp = addChildBlock("mlp", layers);
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
        NDArray ids = inputs.head();
        checkInputs(ids, inputs);
        Device device = ids.getDevice();
        NDArray[] column = new NDArray[fields.size()];
        // The linear model over one-hots: one weight per id per column, looked up and summed.
        NDArray wideSum = wide ? store.getValue(wideBias, device, training) : null;
        for (int f = 0; f < fields.size(); f++) {
            column[f] = ids.get(columns.get(f));
            if (!wide) {
                continue;
            }
            NDArray weights = Layers.lookup(store, wideWeights.get(f), training, column[f]);
            if (fields.get(f).slots() > 1) {
                // A bag of buckets [B, S]: the sum of its weights, padding (0) left out; the mask
                // is a constant, so no Java number enters the differentiated graph.
                NDArray zero = ids.getManager().zeros(new Shape(), ids.getDataType(), device);
                NDArray present = column[f].gt(zero).toType(weights.getDataType(), false);
                weights = weights.reshape(present.getShape()).mul(present).sum(new int[] {1}, true);
            }
            wideSum = wideSum.add(weights);
        }
        NDList deepInputs = new NDList();
        for (int e = 0; e < embeddings.size(); e++) {
            deepInputs.add(Layers.lookup(store, embeddings.get(e), training, column[embeddedColumns.get(e)]));
        }
        if (denseWidth > 0) {
            deepInputs.add(inputs.get(1));
        }
        NDArray x = deepInputs.size() == 1 ? deepInputs.head() : NDArrays.concat(deepInputs, 1);
        NDArray deep = mlp.forward(store, new NDList(x), training, params).head();
        // [1] + [B, 1] broadcasts to [B, 1] even when F = 0.
        NDArray logit = (wide ? deep.add(wideSum) : deep).reshape(-1);
        return new NDList(regression ? SigmoidRange.apply(logit, lo, hi) : logit);
    }

    // A batch with the wrong number of columns would otherwise read the wrong fields silently.
    private void checkInputs(NDArray ids, NDList inputs) {
        Shape shape = ids.getShape();
        if (shape.dimension() != 2 || shape.get(1) != idWidth) {
            throw new IllegalArgumentException("expected categorical ids [B, " + idWidth + "] for "
                    + fieldNames() + ", found " + shape);
        }
        if (denseWidth > 0) {
            Shape dense = inputs.size() < 2 ? null : inputs.get(1).getShape();
            if (dense == null || dense.dimension() != 2 || dense.get(1) != denseWidth) {
                throw new IllegalArgumentException("expected dense values [B, " + denseWidth + "] as the second input, "
                        + "found " + (dense == null ? "none" : dense));
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        mlp.initialize(manager, dataType, new Shape(inputShapes[0].get(0), deepWidth));
    }

    /**
     * Returns the categorical columns the block was built with, in column order.
     *
     * @return the fields
     */
    public List<Field> fields() {
        return fields;
    }

    /**
     * Returns the width of the deep part's input: the embedding widths plus the dense width.
     *
     * @return D
     */
    public int deepWidth() {
        return deepWidth;
    }

    /**
     * Returns whether the block has its wide part ({@link Builder#optWide}).
     *
     * @return false for the deep part alone
     */
    public boolean hasWide() {
        return wide;
    }

    /**
     * Returns whether the head is a regression (sigmoid range) rather than a logit.
     *
     * @return true for a regression head
     */
    public boolean isRegression() {
        return regression;
    }

    /**
     * Returns the tables by the names users export and query them under: {@code <field>} for
     * each embedded column, then {@code <field>_wide} (one weight a row) for every column; each
     * is indexed by its field's vocabulary (a cross's rows are its hash buckets).
     *
     * @return the tables, embeddings first
     */
    @Override
    public List<EmbeddingTable> embeddingTables() {
        List<EmbeddingTable> tables = new ArrayList<>();
        for (int e = 0; e < embeddings.size(); e++) {
            String name = fields.get(embeddedColumns.get(e)).name();
            tables.add(new EmbeddingTable(name, name, embeddings.get(e)));
        }
        for (int f = 0; f < wideWeights.size(); f++) {
            String name = fields.get(f).name();
            tables.add(new EmbeddingTable(name + "_wide", name, wideWeights.get(f)));
        }
        return List.copyOf(tables);
    }

    private List<String> fieldNames() {
        return fields.stream().map(Field::name).toList();
    }

    /**
     * One categorical column of the batch: a vocabulary field or a hashed cross.
     *
     * @param name the field's name; also the name of its parameters
     * @param vocabularySize rows of its tables, unknown slot included (a cross: buckets + 1)
     * @param embeddingWidth the width of its embedding in the deep part; 0 = wide only (usual
     *     for a cross)
     * @param slots how many consecutive id columns it spans: 1, or a bag of ids (a cross with
     *     genres gives one bucket per genre) whose wide weights are summed, id 0 being padding
     *     that contributes nothing; a bag is wide only
     */
    public record Field(String name, int vocabularySize, int embeddingWidth, int slots) {
        /**
         * One single-valued column.
         *
         * @param name the field's name
         * @param vocabularySize rows of its tables
         * @param embeddingWidth its embedding width, 0 = wide only
         */
        public Field(String name, int vocabularySize, int embeddingWidth) {
            this(name, vocabularySize, embeddingWidth, 1);
        }

        /**
         * Checks one column.
         *
         * @throws IllegalArgumentException naming the field and the bad value
         */
        public Field {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(
                        "field name must not be blank, found " + (name == null ? "null" : "\"" + name + "\""));
            }
            if (vocabularySize < 2) {
                throw new IllegalArgumentException("field \"" + name
                        + "\": vocabulary size must be >= 2 (unknown + one id), found " + vocabularySize);
            }
            if (embeddingWidth < 0) {
                throw new IllegalArgumentException("field \"" + name
                        + "\": embedding width must be >= 0 (0 = wide only), found " + embeddingWidth);
            }
            if (slots < 1) {
                throw new IllegalArgumentException("field \"" + name + "\": slots must be >= 1, found " + slots);
            }
            if (slots > 1 && embeddingWidth > 0) {
                throw new IllegalArgumentException("field \"" + name + "\": a bag of " + slots
                        + " slots is wide only, so its embedding width must be 0, found " + embeddingWidth);
            }
        }
    }

    /** Builds a {@link WideAndDeep}: {@code set*} values are required, {@code opt*} optional. */
    public static final class Builder {
        private List<Field> fields;
        private int denseWidth;
        private List<Integer> layers = List.of(100, 50);
        private float dropout;
        private boolean batchNorm;
        private boolean regression;
        private boolean wide = true;
        private float lo;
        private float hi;
        private float initStd = 0.01f;

        Builder() {}

        /**
         * Sets the categorical columns in batch order, hashed crosses included; sizes come from
         * the data, widths from the caller (an {@link EmbeddingSizeRule}, say).
         *
         * @param fields the columns; empty when every input is dense
         * @return this builder
         */
        public Builder setFields(List<Field> fields) {
            this.fields = List.copyOf(fields);
            return this;
        }

        /**
         * Sets the width G of the dense values, which feed the deep part only (default 0).
         *
         * @param denseWidth G, at least 0
         * @return this builder
         */
        public Builder optDenseWidth(int denseWidth) {
            this.denseWidth = denseWidth;
            return this;
        }

        /**
         * Sets the hidden layers' widths (default {@code [100, 50]}).
         *
         * @param layers the widths; empty for a linear deep part
         * @return this builder
         */
        public Builder optLayers(List<Integer> layers) {
            this.layers = List.copyOf(layers);
            return this;
        }

        /**
         * Sets dropout after each hidden layer (default 0).
         *
         * @param dropout the rate, in [0, 1)
         * @return this builder
         */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * Keeps (default) or drops the wide part. Without it the block is fastai's
         * {@code EmbeddingNN}: the fields' embeddings and the dense inputs, concatenated, through
         * the MLP; no {@code _wide} tables and no wide bias, and a field with embedding width 0
         * contributes nothing.
         *
         * @param wide whether to keep the wide part
         * @return this builder
         */
        public Builder optWide(boolean wide) {
            this.wide = wide;
            return this;
        }

        /**
         * Adds batch normalisation after each hidden layer's ReLU (default off).
         *
         * @param batchNorm whether to
         * @return this builder
         */
        public Builder optBatchNorm(boolean batchNorm) {
            this.batchNorm = batchNorm;
            return this;
        }

        /**
         * Returns the raw logit, for a sigmoid cross-entropy loss (the default).
         *
         * @return this builder
         */
        public Builder optBinary() {
            this.regression = false;
            return this;
        }

        /**
         * Squashes the logit into {@code (lo, hi)} with {@link SigmoidRange}, for regression.
         *
         * @param lo lower end
         * @param hi upper end
         * @return this builder
         */
        public Builder optRegression(float lo, float hi) {
            this.regression = true;
            this.lo = lo;
            this.hi = hi;
            return this;
        }

        /**
         * Sets the standard deviation of the embeddings' normal initialisation (default 0.01).
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
        public WideAndDeep build() {
            if (fields == null) {
                throw new IllegalArgumentException("fields must be set (an empty list when every input is dense)");
            }
            // Parameters are stored by name: a clash would make two tables one.
            Set<String> names = new HashSet<>();
            for (Field field : fields) {
                if (!names.add(field.name())) {
                    throw new IllegalArgumentException(
                            "fields must have distinct names, found \"" + field.name() + "\" twice");
                }
            }
            for (Field field : fields) {
                if (names.contains(field.name() + "_wide")) {
                    throw new IllegalArgumentException("field \"" + field.name() + "_wide\" clashes with the wide"
                            + " weights of field \"" + field.name() + "\"; rename it");
                }
                if (field.name().equals("wide_bias")) {
                    throw new IllegalArgumentException(
                            "field \"wide_bias\" clashes with the wide part's bias; rename it");
                }
            }
            if (denseWidth < 0) {
                throw new IllegalArgumentException("dense width must be >= 0, found " + denseWidth);
            }
            if (denseWidth == 0 && fields.stream().allMatch(f -> f.embeddingWidth() == 0)) {
                throw new IllegalArgumentException(
                        "the deep part has no inputs: give a field an embedding width > 0 or set a dense width > 0");
            }
            for (int units : layers) {
                if (units < 1) {
                    throw new IllegalArgumentException("layers must be > 0, found " + layers);
                }
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1), found " + dropout);
            }
            if (!(initStd > 0) || !Float.isFinite(initStd)) {
                throw new IllegalArgumentException("init_std must be > 0, found " + initStd);
            }
            if (regression) {
                SigmoidRange.validate(lo, hi);
            }
            return new WideAndDeep(this);
        }
    }
}
