package dev.embtrain.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import java.util.List;

/**
 * item2vec: word2vec's two embedding tables trained on sessions of items, skip-gram or CBOW
 * with negative sampling (Mikolov et al. 2013, <a href="https://arxiv.org/abs/1310.4546">Distributed
 * Representations of Words and Phrases</a>; Barkan and Koenigstein 2016,
 * <a href="https://arxiv.org/abs/1603.04259">Item2Vec</a>). Use it for items that come in
 * baskets or sessions with no ratings: the input table's rows are the item embeddings.
 *
 * <p>Shapes: B = batch, C = 1 + negatives candidates per example (the positive first), W = the
 * widest context bag (padded with 0), D = {@code vector_size}, V = vocabulary size (index 0 =
 * unknown, never a real item). Skip-gram input {@code NDList{int64 [B] centers, int64 [B, C]
 * candidates}}; CBOW input {@code NDList{int64 [B, W] context bags, int64 [B, C] candidates}},
 * the bag pooled by mean or sum over its non-zero entries. Output {@code float32 [B, C]}: the
 * score of each candidate, a logit for negative sampling's loss.
 *
 * <p>Shared negatives (the batched negative sampling of PyTorch-BigGraph, Lerer et al. 2019):
 * input {@code NDList{centers or bags, int64 [B] positives, int64 [K] pool}}, output
 * {@code NDList{float32 [B] positive scores, float32 [B, K] every example against every pooled
 * negative}}. The pool is scored with one matrix product instead of a [B, C, D] gather, so a
 * step costs B·K·D multiply-adds in BLAS and the output table's gradient touches B + K rows
 * instead of B·C.
 *
 * <p>Parameters {@code input}
 * [V, D], initialised uniform in ±0.5/D as word2vec does, and {@code output} [V, D], zeros.
 */
public final class EmbeddingBag extends TableBlock {

    private static final byte VERSION = 1;

    /**
     * The block's settings, as the trainer builds it and {@code serving.properties} carries it.
     *
     * @param items the vocabulary, unknown included
     * @param vectorSize the vectors' width
     * @param mode skip-gram or cbow
     * @param pooling how cbow pools its context
     */
    public record Spec(int items, int vectorSize, Mode mode, Pooling pooling) implements BlockSpec {
        @Override
        public EmbeddingBag newBlock() {
            return builder().setVocabularySize(items).setVectorSize(vectorSize).optMode(mode).optPooling(pooling)
                    .build();
        }
    }

    /** How examples are formed. */
    public enum Mode {
        /** Predict each context item from the centre item. */
        SKIP_GRAM,
        /** Predict the centre item from its pooled context. */
        CBOW
    }

    /** How CBOW pools its context bag. */
    public enum Pooling {
        /** The mean of the bag's vectors (word2vec's cbow_mean=1, gensim's default). */
        MEAN,
        /** Their sum. */
        SUM
    }

    private final Mode mode;
    private final Pooling pooling;
    private final Parameter input;
    private final Parameter output;

    private EmbeddingBag(Builder b) {
        super(VERSION);
        mode = b.mode;
        pooling = b.pooling;
        input = addParameter(Layers.table("input", b.vocabularySize, b.vectorSize,
                new UniformInitializer(0.5f / b.vectorSize)));
        output = addParameter(Layers.table("output", b.vocabularySize, b.vectorSize, Initializer.ZEROS));
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
        NDArray first = inputs.get(0);
        NDArray candidates = inputs.get(1);
        NDArray context;
        if (mode == Mode.SKIP_GRAM) {
            context = Layers.lookup(store, input, training, first); // [B, D]
        } else {
            NDArray vectors = Layers.lookup(store, input, training, first); // [B, W, D]
            // Padding (index 0) does not count; the mask is data, never differentiated.
            NDArray mask = first.neq(0).toType(vectors.getDataType(), false).expandDims(2); // [B, W, 1]
            context = vectors.mul(mask).sum(new int[] {1}); // [B, D]
            if (pooling == Pooling.MEAN) {
                NDArray count = mask.sum(new int[] {1}).maximum(1f); // [B, 1], an empty bag stays 0
                context = context.div(count);
            }
        }
        if (inputs.size() == 3) {
            // Shared negatives: one dot per positive, one [B, D] x [D, K] product for the pool;
            // both from one lookup of the output table (a row-sparse table is gathered once).
            NDList rows = Layers.lookups(store, output, training, candidates, inputs.get(2));
            NDArray positive = rows.get(0).mul(context).sum(new int[] {1}); // [B]
            NDArray pool = rows.get(1); // [K, D]
            return new NDList(positive, context.matMul(pool.transpose())); // [B], [B, K]
        }
        NDArray out = Layers.lookup(store, output, training, candidates); // [B, C, D]
        return new NDList(out.mul(context.expandDims(1)).sum(new int[] {2})); // [B, C]
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        if (inputShapes.length == 3) {
            return new Shape[] {inputShapes[1], new Shape(inputShapes[1].get(0), inputShapes[2].get(0))};
        }
        return new Shape[] {inputShapes[1]};
    }

    /** {@inheritDoc} */
    @Override
    public DataType[] getOutputDataTypes() {
        return new DataType[] {DataType.FLOAT32};
    }

    /**
     * Returns how examples are formed.
     *
     * @return the mode
     */
    public Mode mode() {
        return mode;
    }

    /**
     * Returns how CBOW pools its context.
     *
     * @return the pooling
     */
    public Pooling pooling() {
        return pooling;
    }

    /**
     * Returns the tables: {@code item} (the input vectors, what item2vec exports) and
     * {@code item_output} (the output vectors), both indexed by the item vocabulary.
     *
     * @return the two tables
     */
    @Override
    public List<EmbeddingTable> embeddingTables() {
        return List.of(new EmbeddingTable("item", "item", input), new EmbeddingTable("item_output", "item", output));
    }

    /** Builds an {@link EmbeddingBag}: {@code set*} values are required, {@code opt*} optional. */
    public static final class Builder {
        private int vocabularySize = -1;
        private int vectorSize = -1;
        private Mode mode = Mode.SKIP_GRAM;
        private Pooling pooling = Pooling.MEAN;

        Builder() {}

        /**
         * Sets the vocabulary size V, unknown slot included; it comes from the data.
         *
         * @param vocabularySize V
         * @return this builder
         */
        public Builder setVocabularySize(int vocabularySize) {
            this.vocabularySize = vocabularySize;
            return this;
        }

        /**
         * Sets the vector size D (gensim's {@code vector_size}).
         *
         * @param vectorSize D
         * @return this builder
         */
        public Builder setVectorSize(int vectorSize) {
            this.vectorSize = vectorSize;
            return this;
        }

        /**
         * Chooses skip-gram (default) or CBOW.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder optMode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /**
         * Chooses how CBOW pools its context (default mean).
         *
         * @param pooling the pooling
         * @return this builder
         */
        public Builder optPooling(Pooling pooling) {
            this.pooling = pooling;
            return this;
        }

        /**
         * Builds the block.
         *
         * @return the block
         * @throws IllegalArgumentException naming the first bad value
         */
        public EmbeddingBag build() {
            if (vocabularySize < 2) {
                throw new IllegalArgumentException(
                        "vocabulary size must be >= 2 (unknown + one item), found " + vocabularySize);
            }
            if (vectorSize < 1) {
                throw new IllegalArgumentException("vector_size must be > 0, found " + vectorSize);
            }
            if (mode == null || pooling == null) {
                throw new IllegalArgumentException("mode and pooling must be set, found " + mode + ", " + pooling);
            }
            return new EmbeddingBag(this);
        }
    }
}
