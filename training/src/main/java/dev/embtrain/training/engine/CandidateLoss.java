package dev.embtrain.training.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/**
 * The loss of item2vec over candidate scores {@code float32 [B, C]}, column 0 the positive and
 * columns 1..C-1 its sampled negatives (what {@code EmbeddingBag} outputs); labels are implied
 * by the columns, so none are read.
 *
 * <ul>
 *   <li>negative sampling (word2vec's, Mikolov et al. 2013): per example
 *       {@code softplus(-s_pos) + sum_j softplus(s_neg_j)} = {@code -log sigma(s_pos) - sum_j log sigma(-s_neg_j)},
 *       averaged over the batch;
 *   <li>sampled softmax: {@code -log softmax(s)_0}, the positive's cross-entropy among its
 *       candidates, averaged over the batch.
 * </ul>
 * With a shared pool ({@code EmbeddingBag}'s three-input form) the predictions are {@code [B]}
 * positive scores and {@code [B, K]} pool scores, and the labels hold one weight per pool score:
 * negative sampling's loss becomes {@code softplus(-s_pos) + sum_j w_j softplus(s_j)}, whose
 * expectation over the pool equals the per-example loss's with the weights of
 * {@code SkipGram.poolWeights} ({@code k / K}, or {@code k / (K - hits)} beside a pooled copy of
 * the positive, which gets 0).
 * The signs are an NDArray, never a Java {@code Number} (see DJL-NOTES: the engine frees a
 * scalar's buffer before backward reads it).
 */
public final class CandidateLoss extends Loss {

    private final boolean sampledSoftmax;

    /**
     * Creates the loss.
     *
     * @param sampledSoftmax softmax cross-entropy over the candidates; false: negative sampling
     */
    public CandidateLoss(boolean sampledSoftmax) {
        super(sampledSoftmax ? "sampled_softmax" : "negative_sampling");
        this.sampledSoftmax = sampledSoftmax;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        if (predictions.size() == 2) {
            if (sampledSoftmax) {
                throw new IllegalArgumentException("shared negatives are scored by negative sampling only");
            }
            // softplus(-s_pos) + sum_j w_bj softplus(s_bj): the weights [B, K] (labels.head())
            // spread the k negatives over the pool and zero a pooled item equal to the positive.
            NDArray positive = predictions.get(0); // [B]
            NDArray pooled = predictions.get(1); // [B, K]
            return Activation.softPlus(positive.neg()).add(
                    Activation.softPlus(pooled).mul(labels.head()).sum(new int[] {1})).mean();
        }
        NDArray scores = predictions.head(); // [B, C]
        if (sampledSoftmax) {
            return scores.logSoftmax(1).get(new NDIndex(":, 0")).neg().mean();
        }
        int candidates = (int) scores.getShape().get(1);
        float[] signs = new float[candidates];
        java.util.Arrays.fill(signs, 1f);
        signs[0] = -1f;
        NDArray sign = scores.getManager().create(signs).toDevice(scores.getDevice(), false); // [C]
        return Activation.softPlus(scores.mul(sign)).sum(new int[] {1}).mean();
    }
}
