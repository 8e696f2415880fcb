package dev.embtrain.training.engine;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import dev.embtrain.datasets.features.Vocabulary;
import dev.embtrain.datasets.sampling.ImplicitSampler;
import dev.embtrain.datasets.synthetic.SyntheticFeat2Vec;
import dev.embtrain.models.CategoricalField;
import dev.embtrain.models.DenseGroup;
import dev.embtrain.models.EmbeddingTable;
import dev.embtrain.models.FactorizationMachine;
import dev.embtrain.training.data.Batches;
import dev.embtrain.training.export.Neighbors;
import dev.embtrain.training.job.Tables;
import dev.embtrain.training.optim.ScheduledAdam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Trains a {@link FactorizationMachine} on positive rows alone, the way feat2vec learns an
 * embedding for every feature value: each positive row is scored against {@code k} negatives
 * made by {@link ImplicitSampler}'s two-step corruption (a field picked ∝ params^α1, its value
 * replaced by one drawn ∝ (count + bias)^α2), under negative-sampling or NCE loss.
 *
 * <p>After Armona, González-Brenes and Edezhath, "Beyond Word Embeddings: Dense Representations
 * for Multi-Modal Data" (FLAIRS-32, 2019) and their library
 * (<a href="https://github.com/CheggEng/Feat2Vec">CheggEng/Feat2Vec</a>): as there, every field
 * learns an embedding only (no per-value bias) and the model keeps a global bias (the
 * notebook's {@code offset_}); a dense group (feat2vec's grouped {@code attrs}) is projected
 * into the embedding space and, for sampling, is one field whose values are the rows' whole
 * attribute vectors, drawn like any other value (each observed vector counts once).
 *
 * <p>One step takes B positives, makes B·k negatives and scores the B·(1 + k) rows in one
 * forward pass ({@code ids int64 [B(1+k), F]}, {@code dense float32 [B(1+k), G]}). For NCE the
 * score is shifted by {@code log(k·q)} ({@link ImplicitLoss}): for a negative, q is the value
 * probability of the value it was given in the field it had replaced; for a positive, feat2vec
 * takes the probability of the row's own value in the field its negatives replace, and since
 * here each negative picks its own field, it is the mean of that probability over the row's k
 * negatives (the same thing when they all pick one field). As in feat2vec, q is the
 * unconditional value probability: neither the field's probability (NCE conditions on the
 * field) nor the sampler's rejection of the positive's own value enters it.
 *
 * <p>Where it differs from feat2vec's {@code ImplicitSampler}: there the k negatives of a row
 * all replace the same field, here each negative picks its own; there a replacement may equal
 * the value it replaces (a "negative" identical to its positive), here it never does; and the
 * optimizer is {@link ScheduledAdam} with TensorFlow's β2 and ε, ε added to the debiased root
 * rather than TensorFlow's placement.
 *
 * <p>Deterministic for a seed on one CPU: the engine's initialisation, the shuffle of every
 * epoch and the sampler are all seeded from it. Every NDArray of a step lives in a sub-manager
 * closed at the end of the step.
 */
public final class ImplicitTraining implements AutoCloseable {

    /** The loss of positives against sampled negatives. */
    public enum Loss {
        /** word2vec's negative sampling: logistic loss on the raw score. */
        NEGATIVE_SAMPLING,
        /** Noise-contrastive estimation: logistic loss on score − log(k·q), feat2vec's choice. */
        NCE
    }

    /**
     * What to train with; independent of YAML, so a config section maps onto it one to one.
     *
     * @param factors embedding width D, &gt; 0
     * @param negatives negatives k per positive, &gt; 0
     * @param fieldExponent α1, the exponent on each field's parameter count, ≥ 0
     * @param valueExponent α2, the exponent on (count + bias), ≥ 0
     * @param valueBias the bias added to every value's count, ≥ 0
     * @param loss negative sampling or NCE
     * @param epochs passes over the positives, &gt; 0
     * @param batchSize positives per step, &gt; 0
     * @param learningRate Adam's learning rate, &gt; 0
     * @param weightDecay decoupled weight decay, ≥ 0
     * @param initStd standard deviation of the normal initialisation of the embeddings, &gt; 0
     * @param seed seeds initialisation, shuffling and sampling
     */
    public record Options(int factors, int negatives, double fieldExponent, double valueExponent, double valueBias,
                          Loss loss, int epochs, int batchSize, float learningRate, float weightDecay, float initStd,
                          long seed) {
        /** Rejects a value out of range, naming it. */
        public Options {
            positive("factors", factors);
            positive("negatives", negatives);
            nonNegative("fieldExponent", fieldExponent);
            nonNegative("valueExponent", valueExponent);
            nonNegative("valueBias", valueBias);
            Objects.requireNonNull(loss, "loss must be one of " + Arrays.toString(Loss.values()));
            positive("epochs", epochs);
            positive("batchSize", batchSize);
            if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
                throw new IllegalArgumentException("learningRate must be > 0, found " + learningRate);
            }
            nonNegative("weightDecay", weightDecay);
            if (!(initStd > 0) || !Float.isFinite(initStd)) {
                throw new IllegalArgumentException("initStd must be > 0, found " + initStd);
            }
        }

        /**
         * The feat2vec notebook's settings: 100 factors, 5 negatives, α1 = α2 = 0.25, value bias
         * 10, NCE, batches of 2,000 positives, TensorFlow's Adam (learning rate 1e-3, β2 0.999, ε 1e-8, no decay) and
         * Keras's {@code normal} initialiser (σ = 0.05); 8 epochs, where its early stopping ended.
         *
         * @return the options
         */
        public static Options feat2vec() {
            return new Options(100, 5, 0.25, 0.25, 10, Loss.NCE, 8, 2000, 1e-3f, 0f, 0.05f, 42);
        }

        private static void positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be > 0, found " + value);
            }
        }

        private static void nonNegative(String name, double value) {
            if (!(value >= 0) || !Double.isFinite(value)) {
                throw new IllegalArgumentException(name + " must be >= 0, found " + value);
            }
        }
    }

    /**
     * A categorical field: its name and its frozen vocabulary (index 0 = unknown).
     *
     * @param name the field's name
     * @param vocabulary its vocabulary
     */
    public record Field(String name, Vocabulary vocabulary) {}

    /**
     * A dense group: its name and the names of its columns.
     *
     * @param name the group's name
     * @param columns its columns, in order
     */
    public record Group(String name, List<String> columns) {
        /** Copies the columns. */
        public Group {
            columns = List.copyOf(columns);
        }
    }

    /**
     * The positive rows. Shapes: N rows, F fields, G = total width of the groups.
     *
     * @param fields the categorical fields, in column order of {@code ids}
     * @param ids vocabulary indices, N × F
     * @param groups the dense groups, in column order of {@code dense}
     * @param dense real values, N × G (N × 0 without groups)
     */
    public record Rows(List<Field> fields, int[][] ids, List<Group> groups, float[][] dense) {
        /** Checks that the parts agree. */
        public Rows {
            fields = List.copyOf(fields);
            groups = List.copyOf(groups);
            if (fields.size() + groups.size() < 2) {
                throw new IllegalArgumentException("implicit training needs at least two fields or groups to"
                        + " interact, found " + (fields.size() + groups.size()));
            }
            if (ids.length == 0) {
                throw new IllegalArgumentException("there are no rows to train on");
            }
            if (dense.length != ids.length) {
                throw new IllegalArgumentException("there are " + ids.length + " rows of ids but " + dense.length
                        + " rows of dense values");
            }
            int width = groups.stream().mapToInt(g -> g.columns().size()).sum();
            for (int r = 0; r < ids.length; r++) {
                if (ids[r].length != fields.size()) {
                    throw new IllegalArgumentException("row " + r + " has " + ids[r].length + " ids, expected "
                            + fields.size());
                }
                if (dense[r].length != width) {
                    throw new IllegalArgumentException("row " + r + " has " + dense[r].length
                            + " dense values, expected " + width);
                }
            }
        }

        /**
         * Returns some of the rows, in the order given (a split's training or validation part).
         *
         * @param which row indices
         * @return those rows
         */
        public Rows select(int[] which) {
            int[][] someIds = new int[which.length][];
            float[][] someDense = new float[which.length][];
            for (int i = 0; i < which.length; i++) {
                someIds[i] = ids[which[i]];
                someDense[i] = dense[which[i]];
            }
            return new Rows(fields, someIds, groups, someDense);
        }

        /**
         * The synthetic feat2vec rows: fields item, id, y and the group attrs.
         *
         * @param data generated rows
         * @return them as training rows
         */
        public static Rows of(SyntheticFeat2Vec.Data data) {
            List<Field> fields = new ArrayList<>();
            for (String name : SyntheticFeat2Vec.FIELDS) {
                fields.add(new Field(name, data.vocabulary(name)));
            }
            return new Rows(fields, data.indices(),
                    List.of(new Group(SyntheticFeat2Vec.DENSE_GROUP, SyntheticFeat2Vec.ATTRIBUTES)), data.attributes());
        }
    }

    /**
     * One epoch's figures.
     *
     * @param epoch the epoch, from 1
     * @param loss the mean loss over its steps
     * @param validLoss the mean loss over the validation rows and negatives drawn for them after
     *     the epoch; NaN without validation rows
     * @param seconds the wall time of its training steps
     */
    public record Epoch(int epoch, double loss, double validLoss, double seconds) {
        /**
         * One line for a log: {@code epoch 1  loss 1.2345  valid_loss 1.1000  2.10 s}, without
         * the validation loss when there is none.
         *
         * @return the line
         */
        public String describe() {
            return Double.isNaN(validLoss)
                    ? String.format(Locale.ROOT, "epoch %d  loss %.4f  %.2f s", epoch, loss, seconds)
                    : String.format(Locale.ROOT, "epoch %d  loss %.4f  valid_loss %.4f  %.2f s", epoch, loss,
                            validLoss, seconds);
        }
    }

    private final Model model;
    private final FactorizationMachine block;
    private final Rows rows;
    private final List<Epoch> history;

    private ImplicitTraining(Model model, FactorizationMachine block, Rows rows, List<Epoch> history) {
        this.model = model;
        this.block = block;
        this.rows = rows;
        this.history = List.copyOf(history);
    }

    /**
     * Trains a factorization machine on the rows.
     *
     * @param rows the positives
     * @param options how
     * @return the trained model and its history; close it to free the model
     */
    public static ImplicitTraining train(Rows rows, Options options) {
        return train(rows, null, options);
    }

    /**
     * Trains a factorization machine on the rows and, after each epoch, scores held-out
     * positives against negatives drawn for them, as feat2vec's notebook does with a second
     * sampler over its validation rows (value counts from those rows, new negatives every epoch).
     *
     * @param rows the positives
     * @param valid held-out positives with the same fields, vocabularies and groups, or null
     * @param options how
     * @return the trained model and its history; close it to free the model
     * @throws IllegalArgumentException when {@code valid} has other fields or groups
     */
    public static ImplicitTraining train(Rows rows, Rows valid, Options options) {
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(options, "options");
        if (valid != null && (!valid.fields().equals(rows.fields()) || !valid.groups().equals(rows.groups()))) {
            throw new IllegalArgumentException("the validation rows must have the training rows' fields, vocabularies"
                    + " and groups");
        }
        int n = rows.ids().length;
        int fieldCount = rows.fields().size();
        int groupCount = rows.groups().size();
        int denseWidth = rows.groups().stream().mapToInt(g -> g.columns().size()).sum();
        int k = options.negatives();

        FactorizationMachine.Builder builder = FactorizationMachine.builder()
                .setCategoricalFields(rows.fields().stream()
                        .map(f -> new CategoricalField(f.name(), f.vocabulary().size())).toList())
                .optDenseGroups(rows.groups().stream().map(g -> new DenseGroup(g.name(), g.columns().size())).toList())
                .setFactors(options.factors())
                .optBinary()
                .optInitStd(options.initStd());
        rows.fields().forEach(f -> builder.optFieldMode(f.name(), FactorizationMachine.Mode.EMBEDDINGS_ONLY));
        rows.groups().forEach(g -> builder.optFieldMode(g.name(), FactorizationMachine.Mode.EMBEDDINGS_ONLY));

        SplittableRandom seeds = new SplittableRandom(options.seed());
        Step step = Step.of(rows, options, seeds.nextLong());
        // Its own stream, so that adding validation rows leaves the training draws as they were.
        Step validStep = valid == null ? null : Step.of(valid, options, new SplittableRandom(~options.seed()).nextLong());

        Engine.getInstance().setRandomSeed((int) options.seed());
        FactorizationMachine block = builder.build();
        Model model = Model.newInstance("feat2vec", Device.cpu());
        try {
            model.setBlock(block);
            ScheduledAdam adam = ScheduledAdam.builder()
                    .setLearningRateTracker(Tracker.fixed(options.learningRate()))
                    // TensorFlow 1's AdamOptimizer defaults, which the feat2vec notebook trains with.
                    .optBeta2(0.999f)
                    .optEpsilon(1e-8f)
                    .optWeightDecays(options.weightDecay())
                    .build();
            ImplicitLoss loss = new ImplicitLoss();
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss).optOptimizer(adam)
                    .optDevices(new Device[] {Device.cpu()});
            List<Epoch> history = new ArrayList<>();
            try (Trainer trainer = model.newTrainer(config)) {
                int rowsPerStep = Math.min(options.batchSize(), n) * (1 + k);
                if (groupCount > 0) {
                    trainer.initialize(new Shape(rowsPerStep, fieldCount), new Shape(rowsPerStep, denseWidth));
                } else {
                    trainer.initialize(new Shape(rowsPerStep, fieldCount));
                }
                List<Parameter> parameters = block.getParameters().values().stream()
                        .filter(Parameter::requiresGradient).toList();
                int batches = (n + options.batchSize() - 1) / options.batchSize();
                for (int epoch = 1; epoch <= options.epochs(); epoch++) {
                    long begin = System.nanoTime();
                    long[] order = Batches.permutation(n, seeds.split());
                    double lossSum;
                    try (NDManager epochManager = trainer.getManager().newSubManager()) {
                        NDArray total = epochManager.zeros(new Shape());
                        for (int b = 0; b < batches; b++) {
                            int from = b * options.batchSize();
                            int to = Math.min(n, from + options.batchSize());
                            try (NDManager stepManager = trainer.getManager().newSubManager()) {
                                NDList[] inputAndLabels = step.make(stepManager, order, from, to);
                                try (GradientCollector collector = trainer.newGradientCollector()) {
                                    NDList scores = trainer.forward(inputAndLabels[0]);
                                    NDArray value = loss.evaluate(inputAndLabels[1], scores);
                                    collector.backward(value);
                                    total.addi(value.stopGradient());
                                }
                                for (Parameter p : parameters) {
                                    NDArray weight = p.getArray();
                                    try (NDArray grad = weight.getGradient()) {
                                        adam.update(p.getId(), weight, grad);
                                    }
                                }
                            }
                        }
                        lossSum = total.getFloat();
                    }
                    double mean = lossSum / batches;
                    if (!Double.isFinite(mean)) {
                        throw new IllegalStateException("epoch " + epoch + ": the loss is " + mean
                                + "; training diverged (lower the learning rate)");
                    }
                    double seconds = (System.nanoTime() - begin) / 1e9;
                    double validLoss = validStep == null ? Double.NaN
                            : validate(trainer, loss, validStep, valid.ids().length, options.batchSize());
                    history.add(new Epoch(epoch, mean, validLoss, seconds));
                }
            }
            return new ImplicitTraining(model, block, rows, history);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The mean loss over batches of the validation rows in order, with fresh negatives. */
    private static double validate(Trainer trainer, ImplicitLoss loss, Step step, int n, int batchSize) {
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int batches = (n + batchSize - 1) / batchSize;
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDArray total = manager.zeros(new Shape());
            for (int b = 0; b < batches; b++) {
                int from = b * batchSize;
                try (NDManager stepManager = manager.newSubManager()) {
                    NDList[] inputAndLabels = step.make(stepManager, order, from, Math.min(n, from + batchSize));
                    total.addi(loss.evaluate(inputAndLabels[1], trainer.evaluate(inputAndLabels[0])));
                }
            }
            return total.getFloat() / batches;
        }
    }

    /** Builds the arrays of one step: ids, dense values, labels and NCE offsets. */
    static final class Step {
        private final Rows rows;
        private final int[][] sampleRows;
        private final ImplicitSampler sampler;
        private final int k;
        private final boolean nce;
        private final double logK;
        private final int fieldCount;
        private final int groupCount;
        private final int denseWidth;
        private final int[] groupStart;
        private final int[] groupWidth;

        /**
         * Prepares the steps over {@code rows}: the sampler's fields are the categorical ones,
         * then one per dense group whose value is the row's index + 1 (0 stays "unknown"), so
         * that a negative takes another row's whole vector.
         */
        static Step of(Rows rows, Options options, long samplerSeed) {
            int n = rows.ids().length;
            int fieldCount = rows.fields().size();
            int groupCount = rows.groups().size();
            int sampled = fieldCount + groupCount;
            int[][] sampleRows = new int[n][sampled];
            int[] sizes = new int[sampled];
            long[] params = new long[sampled];
            for (int f = 0; f < fieldCount; f++) {
                sizes[f] = rows.fields().get(f).vocabulary().size();
                params[f] = (long) sizes[f] * options.factors();
            }
            for (int g = 0; g < groupCount; g++) {
                sizes[fieldCount + g] = n + 1;
                params[fieldCount + g] = (long) rows.groups().get(g).columns().size() * options.factors();
            }
            int[] groupStart = new int[groupCount];
            for (int g = 1; g < groupCount; g++) {
                groupStart[g] = groupStart[g - 1] + rows.groups().get(g - 1).columns().size();
            }
            for (int r = 0; r < n; r++) {
                System.arraycopy(rows.ids()[r], 0, sampleRows[r], 0, fieldCount);
                for (int g = 0; g < groupCount; g++) {
                    sampleRows[r][fieldCount + g] = r + 1;
                }
            }
            ImplicitSampler sampler = ImplicitSampler.builder()
                    .setRows(sampleRows)
                    .setVocabularySizes(sizes)
                    .setFieldParameters(params)
                    .optAlpha1(options.fieldExponent())
                    .optAlpha2(options.valueExponent())
                    .optCountBias(options.valueBias())
                    .optNegatives(options.negatives())
                    .optSeed(samplerSeed)
                    .build();
            return new Step(rows, sampleRows, sampler, options, groupStart);
        }

        private Step(Rows rows, int[][] sampleRows, ImplicitSampler sampler, Options options, int[] groupStart) {
            this.rows = rows;
            this.sampleRows = sampleRows;
            this.sampler = sampler;
            this.k = options.negatives();
            this.nce = options.loss() == Loss.NCE;
            this.logK = Math.log(k);
            this.fieldCount = rows.fields().size();
            this.groupCount = rows.groups().size();
            this.groupStart = groupStart;
            this.groupWidth = rows.groups().stream().mapToInt(g -> g.columns().size()).toArray();
            this.denseWidth = Arrays.stream(groupWidth).sum();
        }

        /** Returns {input, labels}: positives of order[from..to) first, then their negatives. */
        NDList[] make(NDManager manager, long[] order, int from, int to) {
            int b = to - from;
            int total = b * (1 + k);
            long[] ids = new long[total * fieldCount];
            float[] dense = new float[total * denseWidth];
            float[] labels = new float[total];
            float[] offsets = new float[total];
            for (int i = 0; i < b; i++) {
                int r = (int) order[from + i];
                int[] positive = sampleRows[r];
                put(positive, i, ids, dense);
                labels[i] = 1;
                int[][] negatives = sampler.negatives(positive);
                double positiveQ = 0;
                for (int j = 0; j < k; j++) {
                    int[] negative = negatives[j];
                    int at = b + i * k + j;
                    put(negative, at, ids, dense);
                    int f = changedField(positive, negative);
                    positiveQ += sampler.valueProbability(f, positive[f]);
                    offsets[at] = nce ? (float) (logK + Math.log(sampler.valueProbability(f, negative[f]))) : 0f;
                }
                offsets[i] = nce ? (float) (logK + Math.log(positiveQ / k)) : 0f;
            }
            NDList input = new NDList(manager.create(ids, new Shape(total, fieldCount)));
            if (groupCount > 0) {
                input.add(manager.create(dense, new Shape(total, denseWidth)));
            }
            NDList labelList = new NDList(manager.create(labels), manager.create(offsets));
            return new NDList[] {input, labelList};
        }

        /** Writes a sampler row as model input row {@code at}: its ids, and its groups' values. */
        private void put(int[] row, int at, long[] ids, float[] dense) {
            for (int f = 0; f < fieldCount; f++) {
                ids[at * fieldCount + f] = row[f];
            }
            for (int g = 0; g < groupCount; g++) {
                float[] source = rows.dense()[row[fieldCount + g] - 1];
                System.arraycopy(source, groupStart[g], dense, at * denseWidth + groupStart[g], groupWidth[g]);
            }
        }

        /** The sampler replaces exactly one field, with a value other than the positive's. */
        private static int changedField(int[] positive, int[] negative) {
            for (int f = 0; f < positive.length; f++) {
                if (positive[f] != negative[f]) {
                    return f;
                }
            }
            throw new IllegalStateException("a negative equals its positive " + Arrays.toString(positive));
        }
    }

    /**
     * Returns one entry per epoch.
     *
     * @return the history
     */
    public List<Epoch> history() {
        return history;
    }

    /**
     * Returns the trained block.
     *
     * @return the block
     */
    public FactorizationMachine block() {
        return block;
    }

    /**
     * Returns the model's embedding tables for a search across them: per field its embedding,
     * labelled by its vocabulary with row 0 (unknown) excluded; per dense group its projection,
     * a row per column labelled by the column's name. All are D wide.
     *
     * @return the tables in column order
     */
    public List<Neighbors.Table> tables() {
        List<Neighbors.Table> tables = new ArrayList<>();
        for (EmbeddingTable t : block.embeddingTables()) {
            float[][] vectors = Tables.toMatrix(t.parameter().getArray());
            rows.fields().stream().filter(f -> f.name().equals(t.name())).findFirst().ifPresent(f ->
                    tables.add(new Neighbors.Table(t.name(), vectors, f.vocabulary().tokens(), Set.of(0))));
            rows.groups().stream().filter(g -> g.name().equals(t.name())).findFirst().ifPresent(g ->
                    tables.add(new Neighbors.Table(t.name(), vectors, g.columns(), Set.of())));
        }
        return List.copyOf(tables);
    }

    /** Frees the model. */
    @Override
    public void close() {
        model.close();
    }
}
