package dev.embtrain.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.List;

/**
 * Matrix factorisation with user and item biases, the classic collaborative-filtering baseline
 * (fastai's {@code EmbeddingDotBias}; Koren, Bell and Volinsky 2009,
 * <a href="https://doi.org/10.1109/MC.2009.263">Matrix factorization techniques for recommender
 * systems</a>).
 *
 * <p>{@code rating = lo + (hi - lo) * sigmoid(p_u · q_i + b_u + b_i)}. Use it first on any
 * explicit-rating data: it is fast, hard to beat on ids alone, and its item factors and biases
 * are the embeddings people look at.
 *
 * <p>Shapes: B = batch, F = categorical fields, D = {@code factors}, U and I = vocabulary sizes
 * (index 0 = unknown). Input {@code NDList{int64 [B, F]}}; output {@code NDList{float32 [B]}}.
 * Parameters {@code user_factors [U, D]}, {@code item_factors [I, D]}, {@code user_bias [U, 1]},
 * {@code item_bias [I, 1]}, all initialised N(0, {@code init_std}²).
 */
public final class DotProductBias extends ScoreBlock {

    private static final byte VERSION = 1;

    /**
     * The block's settings, as the trainer builds it and {@code serving.properties} carries it.
     *
     * @param users U, unknown included
     * @param items I, unknown included
     * @param factors D
     * @param head a rating in the sigmoid range, or the raw score (a logit)
     * @param yLo the sigmoid range's low end
     * @param yHi its high end
     * @param initStd the initial weights' standard deviation
     */
    public record Spec(int users, int items, int factors, Head head, float yLo, float yHi, float initStd)
            implements BlockSpec {
        @Override
        public DotProductBias newBlock() {
            return builder().setVocabularySizes(users, items).setFactors(factors).optHead(head).optYRange(yLo, yHi)
                    .optInitStd(initStd).build();
        }
    }

    private final int userColumn;
    private final int itemColumn;
    private final int factors;
    private final float lo;
    private final float hi;
    private final Head head;
    private final NDIndex userIndex;
    private final NDIndex itemIndex;

    private final Parameter userFactors;
    private final Parameter itemFactors;
    private final Parameter userBias;
    private final Parameter itemBias;

    private DotProductBias(Builder b) {
        super(VERSION);
        this.userColumn = Fields.column("user field", b.userField, b.fields);
        this.itemColumn = Fields.column("item field", b.itemField, b.fields);
        this.factors = b.factors;
        this.lo = b.lo;
        this.hi = b.hi;
        this.head = b.head;
        this.userIndex = new NDIndex().addAllDim().addIndices(userColumn);
        this.itemIndex = new NDIndex().addAllDim().addIndices(itemColumn);
        NormalInitializer init = new NormalInitializer(b.initStd);
        userFactors = addParameter(Layers.table("user_factors", b.numUsers, factors, init));
        itemFactors = addParameter(Layers.table("item_factors", b.numItems, factors, init));
        userBias = addParameter(Layers.table("user_bias", b.numUsers, 1, init));
        itemBias = addParameter(Layers.table("item_bias", b.numItems, 1, init));
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
        NDArray categorical = inputs.head();
        NDArray users = categorical.get(userIndex);
        NDArray items = categorical.get(itemIndex);
        NDArray p = Layers.lookup(store, userFactors, training, users);
        NDArray q = Layers.lookup(store, itemFactors, training, items);
        NDArray bu = Layers.lookup(store, userBias, training, users);
        NDArray bi = Layers.lookup(store, itemBias, training, items);
        NDArray score = p.mul(q).sum(new int[] {1}, true).add(bu).add(bi).reshape(-1);
        return new NDList(head == Head.BINARY ? score : SigmoidRange.apply(score, lo, hi));
    }

    /**
     * Returns what the output is.
     *
     * @return a rating in the sigmoid range, or the raw score (a logit)
     */
    public Head getHead() {
        return head;
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
     * Returns the embedding tables by the names users export and query them under:
     * {@code user} and {@code item} (the factors), {@code user_bias} and {@code item_bias}.
     *
     * @return the four tables
     */
    @Override
    public List<EmbeddingTable> embeddingTables() {
        return List.of(
                new EmbeddingTable("user", "user", userFactors),
                new EmbeddingTable("item", "item", itemFactors),
                new EmbeddingTable("user_bias", "user", userBias),
                new EmbeddingTable("item_bias", "item", itemBias));
    }

    /** Builds a {@link DotProductBias}: {@code set*} values are required, {@code opt*} optional. */
    public static final class Builder extends UserItemBuilder<Builder> {
        private int factors = -1;

        Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
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
         * Builds the block.
         *
         * @return the block
         * @throws IllegalArgumentException naming the first bad value
         */
        public DotProductBias build() {
            validate();
            if (factors < 1) {
                throw new IllegalArgumentException("factors must be > 0, found " + factors);
            }
            return new DotProductBias(this);
        }
    }
}
