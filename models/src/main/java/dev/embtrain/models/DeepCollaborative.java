package dev.embtrain.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.List;

/**
 * Collaborative filtering with a neural network over concatenated user and item embeddings
 * (fastai's {@code CollabNN}/{@code EmbeddingNN}, the book's chapter 8; He et al. 2017,
 * <a href="https://arxiv.org/abs/1708.05031">Neural Collaborative Filtering</a>).
 *
 * <p>{@code rating = lo + (hi - lo) * sigmoid(mlp([u_e ; i_e]))} with
 * {@code mlp = (Linear → ReLU [→ BatchNorm] [→ Dropout])* → Linear(1)}. Use it when the
 * interaction is not a plain dot product, or as the base for side features; on ids alone the
 * dot-product model is usually as good and much cheaper.
 *
 * <p>Shapes: B = batch, F = categorical fields, Du and Di = embedding widths (from a
 * {@link EmbeddingSizeRule} unless given), H = hidden widths. Input {@code NDList{int64 [B, F]}};
 * output {@code NDList{float32 [B]}}. Children: {@code user_embedding [U, Du]},
 * {@code item_embedding [I, Di]} (parameters, N(0, 0.01²)) and {@code mlp}.
 */
public final class DeepCollaborative extends ScoreBlock {

    private static final byte VERSION = 1;

    /**
     * The block's settings, as the trainer builds it and {@code serving.properties} carries it.
     *
     * @param users U, unknown included
     * @param items I, unknown included
     * @param userWidth Du, or 0 for fastai's rule
     * @param itemWidth Di, or 0 for fastai's rule
     * @param layers the hidden layers' widths
     * @param dropout the dropout after each hidden layer
     * @param batchNorm whether batch normalisation follows each hidden layer
     * @param head a rating in the sigmoid range, or the raw score (a logit)
     * @param yLo the sigmoid range's low end
     * @param yHi its high end
     * @param initStd the embeddings' initial standard deviation
     */
    public record Spec(int users, int items, int userWidth, int itemWidth, List<Integer> layers, float dropout,
            boolean batchNorm, Head head, float yLo, float yHi, float initStd) implements BlockSpec {
        @Override
        public DeepCollaborative newBlock() {
            return builder().setVocabularySizes(users, items).optEmbeddingWidths(userWidth, itemWidth)
                    .optLayers(layers).optDropout(dropout).optBatchNorm(batchNorm).optHead(head).optYRange(yLo, yHi)
                    .optInitStd(initStd).build();
        }
    }

    private final NDIndex userIndex;
    private final NDIndex itemIndex;
    private final float lo;
    private final float hi;
    private final Head head;
    private final int userWidth;
    private final int itemWidth;
    private final Parameter userEmbedding;
    private final Parameter itemEmbedding;
    private final SequentialBlock mlp;

    private DeepCollaborative(Builder b) {
        super(VERSION);
        userIndex = new NDIndex().addAllDim().addIndices(Fields.column("user field", b.userField, b.fields));
        itemIndex = new NDIndex().addAllDim().addIndices(Fields.column("item field", b.itemField, b.fields));
        lo = b.lo;
        hi = b.hi;
        head = b.head;
        userWidth = b.userWidth > 0 ? b.userWidth : b.rule.size(b.numUsers);
        itemWidth = b.itemWidth > 0 ? b.itemWidth : b.rule.size(b.numItems);
        NormalInitializer init = new NormalInitializer(b.initStd);
        userEmbedding = addParameter(Layers.table("user_embedding", b.numUsers, userWidth, init));
        itemEmbedding = addParameter(Layers.table("item_embedding", b.numItems, itemWidth, init));
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
        NDArray u = Layers.lookup(store, userEmbedding, training, ids.get(userIndex));
        NDArray i = Layers.lookup(store, itemEmbedding, training, ids.get(itemIndex));
        NDArray x = u.concat(i, 1);
        NDArray score = mlp.forward(store, new NDList(x), training, params).head().reshape(-1);
        return new NDList(head == Head.BINARY ? score : SigmoidRange.apply(score, lo, hi));
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        mlp.initialize(manager, dataType, new Shape(inputShapes[0].get(0), userWidth + itemWidth));
    }

    /**
     * Returns the embedding widths the block was built with.
     *
     * @return {@code {Du, Di}}
     */
    public int[] embeddingWidths() {
        return new int[] {userWidth, itemWidth};
    }

    /**
     * Returns the tables by the names users export and query them under: {@code user} and
     * {@code item}.
     *
     * @return the two embedding tables
     */
    @Override
    public List<EmbeddingTable> embeddingTables() {
        return List.of(new EmbeddingTable("user", "user", userEmbedding),
                new EmbeddingTable("item", "item", itemEmbedding));
    }

    /** Builds a {@link DeepCollaborative}: {@code set*} values are required, {@code opt*} optional. */
    public static final class Builder extends UserItemBuilder<Builder> {
        private List<Integer> layers = List.of(100);
        private float dropout;
        private boolean batchNorm;
        private EmbeddingSizeRule rule = EmbeddingSizeRule.FASTAI;
        private int userWidth;
        private int itemWidth;

        Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the hidden layers' widths (default {@code [100]}, fastai's CollabNN).
         *
         * @param layers the widths; empty for a linear model over the embeddings
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
         * Sets the rule for embedding widths not given explicitly (default fastai's).
         *
         * @param rule the rule
         * @return this builder
         */
        public Builder optEmbeddingSizeRule(EmbeddingSizeRule rule) {
            this.rule = rule;
            return this;
        }

        /**
         * Sets the embedding widths; 0 leaves a width to the rule.
         *
         * @param userWidth Du, or 0
         * @param itemWidth Di, or 0
         * @return this builder
         */
        public Builder optEmbeddingWidths(int userWidth, int itemWidth) {
            this.userWidth = userWidth;
            this.itemWidth = itemWidth;
            return this;
        }

        /**
         * Builds the block.
         *
         * @return the block
         * @throws IllegalArgumentException naming the first bad value
         */
        public DeepCollaborative build() {
            validate();
            for (int units : layers) {
                if (units < 1) {
                    throw new IllegalArgumentException("layers must be > 0, found " + layers);
                }
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1), found " + dropout);
            }
            if (userWidth < 0 || itemWidth < 0) {
                throw new IllegalArgumentException("embedding widths must be >= 0 (0 = by rule), found user="
                        + userWidth + ", item=" + itemWidth);
            }
            return new DeepCollaborative(this);
        }
    }
}
