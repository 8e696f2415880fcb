package dev.embtrain.training.objectives;

import dev.embtrain.training.engine.Monitor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.translate.Batchifier;
import dev.embtrain.datasets.sampling.SkipGram;
import dev.embtrain.models.EmbeddingBag;
import dev.embtrain.training.engine.CandidateLoss;
import dev.embtrain.training.engine.HostStep;
import dev.embtrain.training.engine.Objective;
import dev.embtrain.training.metrics.NextItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

/**
 * item2vec's sampled candidates: skip-gram pairs (or CBOW examples) drawn afresh from the
 * sessions every epoch, each scored against negatives from the noise distribution
 * count^ns_exponent (word2vec's negative sampling, or a sampled softmax), or against one pool of
 * negatives shared by the batch (PyTorch-BigGraph's batched negatives). Validation: Recall@10
 * and MRR@10 of the next item by cosine over the item table.
 *
 * <p>Examples are drawn and cut into batches on a producer thread, a bounded queue ahead of the
 * training thread, so the step only wraps ready {@code long[]} arrays; the producer's random
 * streams are fixed by the seed, so its timing never changes the examples.
 */
public final class SampledCandidates implements Objective {

    /** Batches the producer may run ahead of training. */
    private static final int QUEUE = 8;

    /**
     * How examples are drawn; independent of YAML.
     *
     * @param mode skip-gram or CBOW
     * @param window the largest distance between a centre and a context item
     * @param negative negatives per example
     * @param sharedNegatives the size of a batch's shared pool; 0 draws per example
     * @param sample word2vec's subsampling threshold; 0 keeps every item
     * @param nsExponent the exponent on counts of the noise distribution
     * @param sampledSoftmax softmax over the candidates rather than negative sampling
     */
    public record Options(EmbeddingBag.Mode mode, int window, int negative, int sharedNegatives, double sample,
            double nsExponent, boolean sampledSoftmax) {}

    private final Options options;
    private final int batchSize;
    private final Supplier<float[][]> itemTable;
    private final int[] validQueries;
    private final int[] validTargets;
    private final Producer producer;
    private final int firstBatches;
    private final CandidateLoss loss;

    /**
     * Prepares the examples of epoch 1 and starts drawing the later ones.
     *
     * @param sessions the training sessions, vocabulary indices
     * @param counts each item's count in them
     * @param options how to draw
     * @param batchSize examples per step
     * @param epochs how many epochs to draw
     * @param seed seeds the noise sampler, subsampling, windows and shuffles
     * @param itemTable reads the current item vectors (for validation)
     * @param validQueries the validation pairs' query items
     * @param validTargets their next items
     * @throws IllegalStateException when the sessions give no example
     */
    public SampledCandidates(int[][] sessions, long[] counts, Options options, int batchSize, int epochs, long seed,
            Supplier<float[][]> itemTable, int[] validQueries, int[] validTargets) {
        this.options = options;
        this.batchSize = batchSize;
        this.itemTable = itemTable;
        this.validQueries = validQueries.clone();
        this.validTargets = validTargets.clone();
        this.loss = new CandidateLoss(options.sampledSoftmax());
        SplittableRandom seeds = new SplittableRandom(seed);
        SkipGram.NoiseSampler noise = new SkipGram.NoiseSampler(counts, options.nsExponent(), seeds.nextLong());
        double[] keep = SkipGram.keepProbabilities(counts, options.sample());
        Examples first = Examples.draw(sessions, options, keep, seeds.split());
        if (first.size() == 0) {
            throw new IllegalStateException("the training sessions give no " + (options.mode() == EmbeddingBag.Mode.CBOW
                    ? "CBOW examples" : "skip-gram pairs") + ": every session has fewer than two known items");
        }
        this.firstBatches = (first.size() + batchSize - 1) / batchSize;
        this.producer = new Producer(sessions, options, keep, noise, seeds, first, batchSize, epochs);
    }

    /**
     * Returns the examples of epoch 1.
     *
     * @return skip-gram pairs or CBOW examples
     */
    public long firstEpochExamples() {
        return producer.firstSize;
    }

    @Override
    public Shape[] inputShapes() {
        Shape first = options.mode() == EmbeddingBag.Mode.CBOW ? new Shape(batchSize, 2L * options.window())
                : new Shape(batchSize);
        if (options.sharedNegatives() > 0) {
            return new Shape[] {first, new Shape(batchSize), new Shape(options.sharedNegatives())};
        }
        return new Shape[] {first, new Shape(batchSize, 1 + options.negative())};
    }

    @Override
    public int batchesPerEpoch() {
        return firstBatches;
    }

    /** The validation metrics, Recall@10 (monitored by default) and MRR@10, both higher is better. */
    public static final List<Monitor> METRICS = List.of(new Monitor("valid_recall_at_10", true),
            new Monitor("valid_mrr_at_10", true));

    @Override
    public List<String> metrics() {
        return Metrics.names(METRICS);
    }

    @Override
    public Epoch epoch(NDManager manager, int epoch) {
        int batches = producer.startEpoch();
        int width = 1 + options.negative();
        return new Epoch() {
            private int done;

            @Override
            public int batches() {
                return batches;
            }

            @Override
            public boolean hasNext() {
                return done < batches;
            }

            @Override
            public Batch next() {
                if (done >= batches) {
                    throw new NoSuchElementException();
                }
                Prepared p = producer.next();
                done++;
                NDManager scope = manager.newSubManager();
                NDList input = new NDList(scope.create(p.inputs(), p.inputShape()));
                NDList labels = new NDList();
                if (p.pool() == null) {
                    input.add(scope.create(p.candidates(), new Shape(p.rows(), width)));
                } else {
                    input.add(scope.create(p.candidates()));
                    input.add(scope.create(p.pool()));
                    labels.add(scope.create(p.weights(), new Shape(p.rows(), p.pool().length)));
                }
                return new Batch(scope, input, labels, p.rows(), Batchifier.STACK, Batchifier.STACK, done, batches);
            }
        };
    }

    @Override
    public Loss loss() {
        return loss;
    }

    /**
     * Offers {@link CandidateKernel} for a draw of negatives per example; a shared pool's step is
     * one matrix product, which autograd's BLAS already does well.
     */
    @Override
    public HostStep hostStep(Block block) {
        return block instanceof EmbeddingBag bag && options.sharedNegatives() == 0
                ? new CandidateKernel(bag, options.sampledSoftmax()) : null;
    }

    @Override
    public Map<String, Double> validate(Trainer trainer) {
        NextItem.Scores s = NextItem.embedding(itemTable.get(), validQueries, validTargets);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(METRICS.get(0).name(), s.recall());
        out.put(METRICS.get(1).name(), s.mrr());
        return out;
    }

    @Override
    public void close() {
        producer.close();
    }

    /**
     * One epoch's examples, shuffled: skip-gram pairs as two parallel arrays (no object per
     * pair: an epoch holds millions) or CBOW examples.
     */
    record Examples(int[] centers, int[] contexts, List<SkipGram.Cbow> cbow) {
        static Examples draw(int[][] sessions, Options m, double[] keep, SplittableRandom rng) {
            boolean subsample = m.sample() > 0;
            if (m.mode() == EmbeddingBag.Mode.CBOW) {
                List<SkipGram.Cbow> all = new ArrayList<>();
                for (int[] session : sessions) {
                    all.addAll(SkipGram.cbow(subsample ? SkipGram.subsample(session, keep, rng) : session, m.window(), rng));
                }
                Collections.shuffle(all, new Random(rng.nextLong()));
                return new Examples(null, null, all);
            }
            IntList centers = new IntList();
            IntList contexts = new IntList();
            for (int[] session : sessions) {
                for (int[] pair : SkipGram.pairs(subsample ? SkipGram.subsample(session, keep, rng) : session,
                        m.window(), rng)) {
                    centers.add(pair[0]);
                    contexts.add(pair[1]);
                }
            }
            int[] c = centers.toArray();
            int[] x = contexts.toArray();
            // Collections.shuffle's swaps, on both arrays at once.
            Random random = new Random(rng.nextLong());
            for (int i = c.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = c[i];
                c[i] = c[j];
                c[j] = t;
                t = x[i];
                x[i] = x[j];
                x[j] = t;
            }
            return new Examples(c, x, null);
        }

        int size() {
            return centers != null ? centers.length : cbow.size();
        }

        Prepared batch(int from, int to, int negatives, int shared, SkipGram.NoiseSampler noise) {
            int rows = to - from;
            long[] candidates = new long[rows]; // the positives
            long[] inputs;
            Shape inputShape;
            if (centers != null) {
                inputs = new long[rows];
                inputShape = new Shape(rows);
                for (int r = 0; r < rows; r++) {
                    inputs[r] = centers[from + r];
                    candidates[r] = contexts[from + r];
                }
            } else {
                int width = 1;
                for (int i = from; i < to; i++) {
                    width = Math.max(width, cbow.get(i).context().length);
                }
                inputs = new long[rows * width];
                inputShape = new Shape(rows, width);
                for (int r = 0; r < rows; r++) {
                    SkipGram.Cbow e = cbow.get(from + r);
                    for (int j = 0; j < e.context().length; j++) {
                        inputs[r * width + j] = e.context()[j];
                    }
                    candidates[r] = e.target();
                }
            }
            if (shared > 0) {
                long[] pool = new long[shared];
                for (int j = 0; j < shared; j++) {
                    pool[j] = noise.next();
                }
                return new Prepared(inputs, inputShape, candidates, pool, SkipGram.poolWeights(candidates, pool,
                        negatives), rows);
            }
            return new Prepared(inputs, inputShape, SkipGram.candidates(candidates, negatives, noise), null, null,
                    rows);
        }
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] values = new int[1 << 16];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = value;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }

    /**
     * A batch ready for the engine.
     *
     * @param inputs skip-gram centres [B] or CBOW bags [B, W], row-major
     * @param inputShape their shape
     * @param candidates [B, 1 + k], the positive first; with a shared pool, the positives [B]
     * @param pool the shared negatives [K], or null
     * @param weights the pool's loss weights [B, K] row-major ({@link SkipGram#poolWeights}), or null
     * @param rows B
     */
    record Prepared(long[] inputs, Shape inputShape, long[] candidates, long[] pool, float[] weights, int rows) {}

    /**
     * Draws each epoch's examples and cuts them into batches on its own thread, a bounded queue
     * ahead of training. Every random draw happens here, in a fixed order, so the seed alone
     * decides the batches.
     */
    private static final class Producer implements AutoCloseable {
        private static final Object END = new Object();

        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
        private final Thread thread;
        private final int firstSize;

        Producer(int[][] sessions, Options m, double[] keep, SkipGram.NoiseSampler noise, SplittableRandom seeds,
                Examples first, int batchSize, int epochs) {
            SplittableRandom later = seeds.split();
            this.firstSize = first.size();
            thread = new Thread(() -> {
                try {
                    Examples examples = first;
                    for (int epoch = 1; epoch <= epochs; epoch++) {
                        if (epoch > 1) {
                            examples = Examples.draw(sessions, m, keep, later.split());
                        }
                        int n = examples.size();
                        queue.put((n + batchSize - 1) / batchSize);
                        for (int from = 0; from < n; from += batchSize) {
                            queue.put(examples.batch(from, Math.min(n, from + batchSize), m.negative(),
                                    m.sharedNegatives(), noise));
                        }
                    }
                    queue.put(END);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    queue.clear();
                    queue.offer(e);
                }
            }, "item2vec-batches");
            thread.setDaemon(true);
            thread.start();
        }

        /** Returns the number of batches of the next epoch. */
        int startEpoch() {
            return (Integer) take();
        }

        Prepared next() {
            return (Prepared) take();
        }

        private Object take() {
            Object o;
            try {
                o = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a batch", e);
            }
            if (o instanceof RuntimeException e) {
                throw e;
            }
            if (o instanceof Error e) {
                throw e;
            }
            if (o == END) {
                throw new IllegalStateException("the batch producer ended early");
            }
            return o;
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }
}
