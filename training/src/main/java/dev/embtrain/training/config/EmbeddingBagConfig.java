package dev.embtrain.training.config;

import dev.embtrain.models.EmbeddingBag;

/**
 * item2vec: word2vec's skip-gram or CBOW with negative sampling on sessions of items
 * ({@link EmbeddingBag}); the hyperparameters carry gensim's names.
 *
 * @param mode skip-gram or cbow
 * @param pooling how CBOW pools its context bag
 * @param vectorSize the embedding width
 * @param window the largest distance between a centre item and a context item
 * @param negative negatives per positive
 * @param nsExponent the noise distribution's exponent
 * @param sample the subsampling threshold; 0 turns subsampling off
 * @param loss how candidate scores become a loss
 * @param sharedNegatives the size of a negative pool shared by a batch; 0 draws per example
 */
@Doc("item2vec (word2vec on sessions): skip-gram or CBOW with negative sampling; gensim's parameter names.")
public record EmbeddingBagConfig(
        @Doc("skip-gram: predict each context item from the centre item; cbow: the centre from its pooled context.")
                @Default("skip-gram") EmbeddingBag.Mode mode,
        @Doc("How cbow pools its context: mean (gensim's cbow_mean=1) or sum.") @Default("mean")
                EmbeddingBag.Pooling pooling,
        @Doc("Embedding width (gensim's vector_size).") @Default("64") int vectorSize,
        @Doc("Largest distance between centre and context; each position draws its window uniformly from"
                        + " 1..window, as word2vec does.")
                @Default("5") int window,
        @Doc("Negatives drawn per positive.") @Default("5") int negative,
        @Doc("Noise distribution count^ns_exponent; 0.75 is word2vec's, 0 uniform, negative favours rare items.")
                @Default("0.75") double nsExponent,
        @Doc("Subsampling threshold for frequent items (gensim's sample, e.g. 1e-3); 0 turns it off.")
                @Default("0.0") double sample,
        @Doc("negative-sampling: softplus(-s_pos) + sum softplus(s_neg) (word2vec's); sampled-softmax: cross-entropy"
                        + " of the positive among its candidates.")
                @Default("negative-sampling") Loss loss,
        @Doc("0: each example draws its own `negative` negatives (word2vec's). K > 0: each batch draws one pool of"
                        + " K negatives that every example in it is scored against, weighted so each example gets `negative`"
                        + " negatives' worth, none on its own positive: the loss's expectation is unchanged, and the"
                        + " pool is scored with one matrix product (PyTorch-BigGraph's batched negatives), the faster"
                        + " choice through autograd (a GPU). On the CPU with training.optimizer.sparse a draw per example"
                        + " runs in a host kernel and is faster still. Needs loss: negative-sampling.")
                @Default("0") int sharedNegatives)
        implements ModelConfig {

    /** {@inheritDoc} */
    @Override
    public java.util.Map<String, String> unreadKeys() {
        return mode == EmbeddingBag.Mode.CBOW ? java.util.Map.of() : java.util.Map.of("pooling", "mode "
                + ConfigBinder.yamlName(mode) + " does not use it (only cbow pools a context); remove it, or pick"
                + " mode: cbow");
    }

    /** Validates the section. */
    public EmbeddingBagConfig {
        Check.positive("vector_size", vectorSize);
        Check.positive("window", window);
        Check.positive("negative", negative);
        if (!Double.isFinite(nsExponent)) {
            throw new ConfigValueException("ns_exponent", "must be a finite number, found " + nsExponent);
        }
        if (sharedNegatives < 0) {
            throw new ConfigValueException("shared_negatives", "must be >= 0 (0 = a draw per example), found "
                    + sharedNegatives);
        }
        if (sharedNegatives > 0 && loss == Loss.SAMPLED_SOFTMAX) {
            throw new ConfigValueException("shared_negatives", "a shared pool is scored by negative sampling only;"
                    + " set loss: negative-sampling or shared_negatives: 0");
        }
        if (!(sample >= 0 && sample < 1)) {
            throw new ConfigValueException("sample", "must be in [0, 1), found " + sample);
        }
    }

    /** How the scores of a positive and its negatives become a loss. */
    public enum Loss {
        /** word2vec's: a logistic loss per candidate, the positive labelled 1, negatives 0. */
        NEGATIVE_SAMPLING,
        /** Softmax cross-entropy of the positive over the 1 + negative candidates. */
        SAMPLED_SOFTMAX
    }
}
