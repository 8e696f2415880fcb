package dev.embtrain.training.objectives;

import dev.embtrain.training.engine.Monitor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.embtrain.datasets.sampling.ImplicitSampler;
import dev.embtrain.datasets.features.FeatureSchema;
import dev.embtrain.datasets.synthetic.SyntheticFeat2Vec;
import dev.embtrain.datasets.features.Vocabulary;
import dev.embtrain.models.CategoricalField;
import dev.embtrain.models.DenseGroup;
import dev.embtrain.models.EmbeddingTable;
import dev.embtrain.models.FactorizationMachine;
import dev.embtrain.training.data.Batches;
import dev.embtrain.training.engine.ImplicitLoss;
import dev.embtrain.training.engine.Objective;
import dev.embtrain.training.export.Neighbors;
import dev.embtrain.training.export.Tables;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * feat2vec's implicit feedback: positive rows alone, each scored against {@code k} negatives
 * made by {@link ImplicitSampler}'s two-step corruption (a field picked ∝ params^α1, its value
 * replaced by one drawn ∝ (count + bias)^α2), under negative-sampling or NCE loss
 * ({@link ImplicitLoss}). Validation: the same loss over held-out positives and negatives
 * drawn for them, with a second sampler over the validation rows as feat2vec's notebook has.
 *
 * <p>After Armona, González-Brenes and Edezhath, "Beyond Word Embeddings: Dense Representations
 * for Multi-Modal Data" (FLAIRS-32, 2019) and their library
 * (<a href="https://github.com/CheggEng/Feat2Vec">CheggEng/Feat2Vec</a>). A dense group
 * (feat2vec's grouped {@code attrs}) is, for sampling, one field whose values are the rows'
 * whole attribute vectors, drawn like any other value (each observed vector counts once).
 *
 * <p>One step takes B positives, makes B·k negatives and scores the B·(1 + k) rows in one
 * forward pass ({@code ids int64 [B(1+k), F]}, {@code dense float32 [B(1+k), G]}). For NCE the
 * score is shifted by {@code log(k·q)}: for a negative, q is the value probability of the value
 * it was given in the field it had replaced; for a positive, feat2vec takes the probability of
 * the row's own value in the field its negatives replace, and since here each negative picks
 * its own field, it is the mean of that probability over the row's k negatives (the same thing
 * when they all pick one field). As in feat2vec, q is the unconditional value probability.
 *
 * <p>Where it differs from feat2vec's {@code ImplicitSampler}: there the k negatives of a row
 * all replace the same field, here each negative picks its own; there a replacement may equal
 * the value it replaces, here it never does.
 */
public final class Implicit implements Objective {

    /**
     * How negatives are drawn; independent of YAML.
     *
     * @param factors the embedding width D (a field's parameter count is its rows × D)
     * @param negatives negatives k per positive, &gt; 0
     * @param fieldExponent α1, the exponent on each field's parameter count, ≥ 0
     * @param valueExponent α2, the exponent on (count + bias), ≥ 0
     * @param valueBias the bias added to every value's count, ≥ 0
     * @param nce noise-contrastive estimation (score − log(k·q)); false: negative sampling
     * @param batchSize positives per step, &gt; 0
     */
    public record Options(int factors, int negatives, double fieldExponent, double valueExponent, double valueBias,
            boolean nce, int batchSize) {
        /** Rejects a value out of range, naming it. */
        public Options {
            positive("factors", factors);
            positive("negatives", negatives);
            nonNegative("fieldExponent", fieldExponent);
            nonNegative("valueExponent", valueExponent);
            nonNegative("valueBias", valueBias);
            positive("batchSize", batchSize);
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
         * Returns the total width of the dense groups.
         *
         * @return G
         */
        public int denseWidth() {
            return groups.stream().mapToInt(g -> g.columns().size()).sum();
        }

        /**
         * Rows encoded by a feature schema (a ratings table with its side features): each
         * categorical field is a field, each bag a dense group of its values (the mean-normalised
         * multi-hot, feat2vec's grouped feature), without the unknown column, and each numeric
         * field a dense group of one column (feat2vec's real-valued feature: value × vector).
         *
         * @param schema the schema, frozen on the training rows
         * @param encoded rows it encoded
         * @return them as training rows
         * @throws IllegalArgumentException for a schema with crosses, which implicit training does
         *     not embed
         */
        public static Rows of(FeatureSchema schema, FeatureSchema.Encoded encoded) {
            List<Field> fields = new ArrayList<>();
            List<Group> groups = new ArrayList<>();
            List<FeatureSchema.Column> dense = new ArrayList<>();
            for (FeatureSchema.Column c : schema.columns()) {
                switch (c.kind()) {
                    case CATEGORICAL -> fields.add(new Field(c.name(), schema.vocabulary(c.name())));
                    case BAG -> {
                        groups.add(new Group(c.name(), schema.vocabulary(c.name()).tokens().subList(1, c.width())));
                        dense.add(c);
                    }
                    case NUMERIC -> {
                        List<String> tokens = schema.vocabulary(c.name()).tokens();
                        groups.add(new Group(c.name(), tokens.subList(1, tokens.size())));
                        dense.add(c);
                    }
                    case CROSS, BAG_CROSS -> throw new IllegalArgumentException("cross " + c.name() + ": implicit"
                            + " training embeds every field and bag and interacts them all already; leave out"
                            + " dataset.crosses");
                }
            }
            int n = encoded.rows();
            int g = encoded.denseWidth();
            int width = groups.stream().mapToInt(x -> x.columns().size()).sum();
            int[][] ids = new int[n][fields.size()];
            float[][] values = new float[n][width];
            for (int k = 0; k < fields.size(); k++) {
                int[] column = schema.ids(encoded, fields.get(k).name());
                for (int r = 0; r < n; r++) {
                    ids[r][k] = column[r];
                }
            }
            for (int r = 0; r < n; r++) {
                int at = 0;
                for (FeatureSchema.Column c : dense) {
                    // A bag's unknown column (its first) is left out; numbers are their columns.
                    int skip = c.kind() == FeatureSchema.Kind.BAG ? 1 : 0;
                    System.arraycopy(encoded.dense(), r * g + c.start() + skip, values[r], at, c.width() - skip);
                    at += c.width() - skip;
                }
            }
            return new Rows(fields, ids, groups, values);
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
     * Builds the factorization machine feat2vec trains: every field and group learns an
     * embedding only (no per-value bias), with a global bias (the notebook's {@code offset_}).
     *
     * @param rows the rows whose fields and groups it embeds
     * @param factors the embedding width D
     * @param initStd the standard deviation of the embeddings' normal initialisation
     * @return the uninitialised block
     */
    public static FactorizationMachine block(Rows rows, int factors, float initStd) {
        FactorizationMachine.Builder builder = FactorizationMachine.builder()
                .setCategoricalFields(rows.fields().stream()
                        .map(f -> new CategoricalField(f.name(), f.vocabulary().size())).toList())
                .optDenseGroups(rows.groups().stream().map(g -> new DenseGroup(g.name(), g.columns().size())).toList())
                .setFactors(factors)
                .optBinary()
                .optInitStd(initStd);
        rows.fields().forEach(f -> builder.optFieldMode(f.name(), FactorizationMachine.Mode.EMBEDDINGS_ONLY));
        rows.groups().forEach(g -> builder.optFieldMode(g.name(), FactorizationMachine.Mode.EMBEDDINGS_ONLY));
        return builder.build();
    }

    /**
     * Returns a trained machine's tables for a search across them: per field its embedding,
     * labelled by its vocabulary with row 0 (unknown) excluded; per dense group its projection,
     * a row per column labelled by the column's name. All are D wide.
     *
     * @param block the trained machine
     * @param rows the rows it was trained on
     * @return the tables in column order
     */
    public static List<Neighbors.Table> tables(FactorizationMachine block, Rows rows) {
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

    private final Rows rows;
    private final Options options;
    private final SplittableRandom seeds;
    private final Step step;
    private final Rows valid;
    private final long validSeed;
    private final ImplicitLoss loss = new ImplicitLoss();

    /**
     * Prepares the samplers over the training and (optionally) validation rows.
     *
     * @param rows the positives
     * @param valid held-out positives with the same fields, vocabularies and groups, or null
     * @param options how negatives are drawn
     * @param seed seeds every epoch's shuffle and the training sampler; the validation sampler
     *     has its own seed, so that adding validation rows leaves the training draws as they were
     * @throws IllegalArgumentException when {@code valid} has other fields or groups
     */
    public Implicit(Rows rows, Rows valid, Options options, long seed) {
        if (valid != null && (!valid.fields().equals(rows.fields()) || !valid.groups().equals(rows.groups()))) {
            throw new IllegalArgumentException("the validation rows must have the training rows' fields, vocabularies"
                    + " and groups");
        }
        this.rows = rows;
        this.options = options;
        this.seeds = new SplittableRandom(seed);
        this.step = Step.of(rows, options, seeds.nextLong());
        this.valid = valid;
        this.validSeed = new SplittableRandom(~seed).nextLong();
    }

    @Override
    public Shape[] inputShapes() {
        int rowsPerStep = Math.min(options.batchSize(), rows.ids().length) * (1 + options.negatives());
        int fieldCount = rows.fields().size();
        return rows.groups().isEmpty() ? new Shape[] {new Shape(rowsPerStep, fieldCount)}
                : new Shape[] {new Shape(rowsPerStep, fieldCount), new Shape(rowsPerStep, rows.denseWidth())};
    }

    @Override
    public int batchesPerEpoch() {
        return (rows.ids().length + options.batchSize() - 1) / options.batchSize();
    }

    /** The validation metric: the loss of held-out positives against negatives drawn for them. */
    public static final List<Monitor> METRICS = List.of(new Monitor("valid_loss", false));

    @Override
    public List<String> metrics() {
        return valid == null ? List.of() : Metrics.names(METRICS);
    }

    @Override
    public Epoch epoch(NDManager manager, int epoch) {
        int n = rows.ids().length;
        long[] order = Batches.permutation(n, seeds.split());
        return new SlicedEpoch(manager, n, options.batchSize(), (scope, from, to) -> step.make(scope, order, from,
                to));
    }

    @Override
    public Loss loss() {
        return loss;
    }

    /**
     * The mean loss over batches of the validation rows in order, each against negatives drawn
     * for it by a sampler over the validation rows. The sampler starts from the same seed every
     * time, so every epoch (and {@code embtrain evaluate} later) is scored on the same negatives:
     * a fixed validation set, where feat2vec's notebook draws new ones each epoch.
     */
    @Override
    public Map<String, Double> validate(Trainer trainer) {
        if (valid == null) {
            return Map.of();
        }
        Step validStep = Step.of(valid, options, validSeed);
        int n = valid.ids().length;
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int batchSize = options.batchSize();
        int batches = (n + batchSize - 1) / batchSize;
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDArray total = manager.zeros(new Shape());
            for (int b = 0; b < batches; b++) {
                int from = b * batchSize;
                try (NDManager stepManager = manager.newSubManager()) {
                    NDList[] inputAndLabels = validStep.make(stepManager, order, from, Math.min(n, from + batchSize));
                    total.addi(loss.evaluate(inputAndLabels[1], trainer.evaluate(inputAndLabels[0])));
                }
            }
            return Map.of(METRICS.get(0).name(), (double) (total.getFloat() / batches));
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
            this.nce = options.nce();
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
}
