package dev.embtrain.training.objectives;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import dev.embtrain.models.EmbeddingBag;
import dev.embtrain.training.engine.CandidateLoss;
import dev.embtrain.training.engine.Floats;
import dev.embtrain.training.engine.HostRows;
import dev.embtrain.training.engine.HostStep;
import java.util.Arrays;

/**
 * item2vec's step with a draw of negatives per example, written out over the batch's rows:
 * {@link EmbeddingBag}'s forward pass (skip-gram, or CBOW pooled by mean or sum over a bag's
 * non-zero ids), {@link CandidateLoss} (negative sampling or sampled softmax) and their backward
 * pass, the loop gensim's Cython runs per pair. Per example and candidate that is one dot product
 * and two axpys of the vector width, where autograd's step made a [B, C, D] gather, product and
 * their gradients, each a pass through memory (and the two tables' gradients dense arrays).
 *
 * <p>Exactly autograd's step: scores, loss and gradients at the weights before the step,
 * gradients summed over repeated ids and averaged over the batch, a CBOW bag's padding (id 0)
 * gathered with a zero gradient. Floats accumulate in another order, so results agree to
 * rounding.
 */
final class CandidateKernel implements HostStep {

    /**
     * Examples a block: at 6 candidates of 64 floats, their rows and gradients (2 · 32 · 6 rows,
     * 98 KB) stay in the L2 cache from the scores to the backward pass.
     */
    private static final int BLOCK = 32;

    private final Parameter input;
    private final Parameter output;
    private final boolean cbow;
    private final boolean mean;
    private final boolean sampledSoftmax;

    /**
     * Creates the kernel of a block.
     *
     * @param bag the block
     * @param sampledSoftmax the loss: sampled softmax, or negative sampling
     */
    CandidateKernel(EmbeddingBag bag, boolean sampledSoftmax) {
        this.input = bag.embeddingTables().get(0).parameter();
        this.output = bag.embeddingTables().get(1).parameter();
        this.cbow = bag.mode() == EmbeddingBag.Mode.CBOW;
        this.mean = bag.pooling() == EmbeddingBag.Pooling.MEAN;
        this.sampledSoftmax = sampledSoftmax;
    }

    /** {@inheritDoc} */
    @Override
    public float run(NDList data, HostRows rows) {
        NDArray firstArray = data.get(0);
        NDArray candidateArray = data.get(1);
        int batch = Math.toIntExact(candidateArray.getShape().get(0));
        int width = Math.toIntExact(candidateArray.getShape().get(1));
        int bag = cbow ? Math.toIntExact(firstArray.getShape().get(1)) : 1;
        long[] firstIds = firstArray.toLongArray();
        HostRows.Rows in = rows.gather(input, firstIds);
        HostRows.Rows out = rows.gather(output, candidateArray.toLongArray());
        int dim = in.cols();
        int[] inAt = in.positions()[0];
        int[] outAt = out.positions()[0];
        float[] inValues = in.values();
        float[] inGrad = in.gradient();
        float[] outValues = out.values();
        float[] outGrad = out.gradient();
        // Per block of examples: their scores, and for CBOW their pooled contexts (skip-gram reads
        // an example's context in place, in the input rows).
        float[] scores = new float[BLOCK * width];
        float[] contexts = cbow ? new float[BLOCK * dim] : inValues;
        float[] divisors = cbow ? new float[BLOCK] : null;
        float scale = 1f / batch;
        float[] contextGrad = new float[dim];
        double loss = 0;
        // A block of examples at a time, so that the rows its scores read are still in the caches
        // when its backward pass reads and updates them.
        for (int from = 0; from < batch; from += BLOCK) {
            int to = Math.min(batch, from + BLOCK);
            // 1. The scores: one dot product per candidate.
            for (int b = from; b < to; b++) {
                int context = cbow ? pool(b, b - from, bag, firstIds, inAt, inValues, contexts, divisors, dim)
                        : inAt[b] * dim;
                for (int j = 0, at = (b - from) * width; j < width; j++, at++) {
                    scores[at] = Floats.dot(contexts, context, outValues, outAt[b * width + j] * dim, dim);
                }
            }
            // 2. The loss, and each score replaced by the loss's derivative in it (before the mean's 1/B).
            int scored = (to - from) * width;
            loss += sampledSoftmax ? softmaxGradients(scores, 0, scored, width)
                    : negativeSamplingGradients(scores, 0, scored, width);
            // 3. Back through the dot products and the pooling.
            for (int b = from; b < to; b++) {
                int context = cbow ? (b - from) * dim : inAt[b] * dim;
                Arrays.fill(contextGrad, 0f);
                for (int j = 0, at = (b - from) * width; j < width; j++, at++) {
                    float g = scores[at] * scale;
                    int row = outAt[b * width + j] * dim;
                    Floats.axpy(g, outValues, row, contextGrad, 0, dim);
                    Floats.axpy(g, contexts, context, outGrad, row, dim);
                }
                if (cbow) {
                    float share = 1f / divisors[b - from];
                    for (int w = b * bag; w < (b + 1) * bag; w++) {
                        if (firstIds[w] != 0) {
                            Floats.axpy(share, contextGrad, 0, inGrad, inAt[w] * dim, dim);
                        }
                    }
                } else {
                    Floats.axpy(1f, contextGrad, 0, inGrad, inAt[b] * dim, dim);
                }
            }
        }
        return (float) (loss / batch);
    }

    /**
     * Pools example {@code b}'s bag into {@code contexts} at {@code slot · dim}: the sum or mean of
     * its non-zero ids' rows (padding, id 0, is gathered but adds nothing and gets no gradient), an
     * empty bag 0; records the divisor at {@code slot} and returns where the context starts.
     */
    private int pool(int b, int slot, int bag, long[] ids, int[] at, float[] values, float[] contexts,
            float[] divisors, int dim) {
        int context = slot * dim;
        Arrays.fill(contexts, context, context + dim, 0f);
        int n = 0;
        for (int w = b * bag; w < (b + 1) * bag; w++) {
            if (ids[w] != 0) {
                n++;
                Floats.axpy(1f, values, at[w] * dim, contexts, context, dim);
            }
        }
        float divisor = mean ? Math.max(1, n) : 1f;
        divisors[slot] = divisor;
        if (divisor != 1f) {
            for (int d = context; d < context + dim; d++) {
                contexts[d] /= divisor;
            }
        }
        return context;
    }

    /**
     * Negative sampling over the {@code [rows, width]} scores from {@code from} to {@code to}, the
     * positive first in each row: returns the sum over the rows of
     * {@code softplus(-s_0) + sum_j softplus(s_j)}, and replaces each score by that sum's
     * derivative in it ({@code sigmoid(s_0) - 1}, {@code sigmoid(s_j)}).
     */
    static double negativeSamplingGradients(float[] scores, int from, int to, int width) {
        // softplus(-s_0) and d/ds_0 = -sigmoid(-s_0): negate the positives, go through one pass, negate back.
        for (int at = from; at < to; at += width) {
            scores[at] = -scores[at];
        }
        double loss = Floats.softplusSigmoid(scores, from, to);
        for (int at = from; at < to; at += width) {
            scores[at] = -scores[at];
        }
        return loss;
    }

    /**
     * Sampled softmax over the {@code [rows, width]} scores from {@code from} to {@code to}, the
     * positive first in each row: returns the sum over the rows of {@code -log softmax(s)_0}, and
     * replaces each score by its derivative in it, {@code softmax(s)_j - [j = 0]}.
     */
    static double softmaxGradients(float[] scores, int from, int to, int width) {
        double loss = 0;
        for (int row = from; row < to; row += width) {
            float max = scores[row];
            for (int j = row; j < row + width; j++) {
                max = Math.max(max, scores[j]);
            }
            double sum = 0;
            for (int j = row; j < row + width; j++) {
                sum += Math.exp(scores[j] - max);
            }
            loss += Math.log(sum) + max - scores[row];
            for (int j = row; j < row + width; j++) {
                double p = Math.exp(scores[j] - max) / sum;
                scores[j] = (float) (j == row ? p - 1 : p);
            }
        }
        return loss;
    }
}
