package dev.embtrain.datasets.features;

import dev.embtrain.models.shared.HashedCross;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The frozen layout that turns rows of named feature values into model inputs: an id matrix
 * {@code int64 [N, F]} and a dense matrix {@code float32 [N, G]}, every column found by field
 * name.
 *
 * <p>Columns, in this order:
 * <ul>
 *   <li>each single-valued field of the spec ({@code user}, {@code item}, {@code age}...): one id
 *       column, indexed by a {@link Vocabulary} built from the training rows (0 = unknown: a
 *       value never seen in training, or a value the data lacks);</li>
 *   <li>each hashed cross ({@link HashedCross}, never materialised): one id column holding a
 *       bucket in [1, buckets]; a cross that involves a bag gives one bucket per element of the
 *       Cartesian product (user × each genre), so it spans {@code slots} id columns, the most
 *       elements a training row has, with 0 as padding (a longer bag at encoding time is cut to
 *       {@code slots});</li>
 *   <li>each bag field ({@code genres}): a dense group, one column per vocabulary index, holding
 *       the <em>mean-normalised</em> multi-hot {@code 1/k} on each of the row's k values.</li>
 * </ul>
 *
 * <p>Why a bag is a dense group: a linear projection {@code x · P} of the mean-normalised
 * multi-hot is exactly the mean of the rows of {@code P} for the row's values, i.e. the
 * mean-pooled bag embedding, and {@code x · b} the mean of their biases. A factorization
 * machine's dense group ({@code dev.embtrain.models.DenseGroup}) therefore embeds genres as a
 * mean-pooled bag with no extra input layout, and a deep network reads the same columns.
 *
 * <p>The label is the rating or {@code rating >= threshold} as 1/0 ({@link FeatureSpec.Label}).
 */
public final class FeatureSchema {

    /** What kind of column group a name stands for. */
    public enum Kind {
        /** A single-valued categorical field: one id column. */
        CATEGORICAL,
        /** A hashed cross of single-valued fields: one id column. */
        CROSS,
        /** A hashed cross involving a bag: {@code width} id columns, 0 = padding. */
        BAG_CROSS,
        /** A bag: {@code width} dense columns, the mean-normalised multi-hot. */
        BAG,
        /**
         * Real numbers: one dense column per column of the field (one, or a group's), each
         * standardised by the training rows' mean and sd.
         */
        NUMERIC
    }

    /**
     * One named group of columns.
     *
     * @param name the field or cross name
     * @param kind its kind
     * @param size rows of a table indexed by it: vocabulary size or buckets + 1 (for a bag, its
     *     vocabulary size, equal to {@code width})
     * @param start its first column in the id matrix (dense matrix for a bag)
     * @param width how many columns it spans
     */
    public record Column(String name, Kind kind, int size, int start, int width) {}

    /**
     * Encoded rows.
     *
     * @param ids row-major ids {@code [rows, idWidth]}
     * @param idWidth F
     * @param dense row-major dense values {@code [rows, denseWidth]}
     * @param denseWidth G, 0 when there are no bags
     * @param labels one label a row
     */
    public record Encoded(long[] ids, int idWidth, float[] dense, int denseWidth, float[] labels) {
        /**
         * Returns the number of rows.
         *
         * @return rows
         */
        public int rows() {
            return labels.length;
        }
    }

    private final FeatureSpec spec;
    private final Map<String, Vocabulary> vocabularies;
    private final Map<String, Column> columns = new LinkedHashMap<>();
    private final Map<String, HashedCross> crosses = new LinkedHashMap<>();
    private final Map<String, float[]> scales;
    private final int idWidth;
    private final int denseWidth;

    private FeatureSchema(FeatureSpec spec, Map<String, Vocabulary> vocabularies, Map<String, Integer> slots,
            Map<String, Boolean> bags, Map<String, float[]> scales) {
        this.spec = spec;
        this.vocabularies = Map.copyOf(vocabularies);
        this.scales = Map.copyOf(scales);
        int id = 0;
        for (HashedCross c : spec.crosses()) {
            for (String f : c.fields()) {
                if (scales.containsKey(f)) {
                    throw new NumericCrossException(c.name(), f);
                }
            }
        }
        for (String f : spec.fields()) {
            if (!bags.get(f) && !scales.containsKey(f)) {
                columns.put(f, new Column(f, Kind.CATEGORICAL, vocabularies.get(f).size(), id, 1));
                id++;
            }
        }
        for (HashedCross c : spec.crosses()) {
            crosses.put(c.name(), c);
            boolean bag = c.fields().stream().anyMatch(bags::get);
            int width = bag ? slots.get(c.name()) : 1;
            columns.put(c.name(), new Column(c.name(), bag ? Kind.BAG_CROSS : Kind.CROSS, c.size(), id, width));
            id += width;
        }
        int dense = 0;
        for (String f : spec.fields()) {
            if (bags.get(f)) {
                int n = vocabularies.get(f).size();
                columns.put(f, new Column(f, Kind.BAG, n, dense, n));
                dense += n;
            }
        }
        for (String f : spec.fields()) {
            if (scales.containsKey(f)) {
                // The vocabulary of a numeric field names its columns after the unknown slot.
                int k = vocabularies.get(f).size() - 1;
                columns.put(f, new Column(f, Kind.NUMERIC, k, dense, k));
                dense += k;
            }
        }
        idWidth = id;
        denseWidth = dense;
    }

    /**
     * Freezes a schema on the training rows: vocabularies of every field and bag, and the slots
     * of crosses with a bag.
     *
     * @param spec the fields, crosses and label
     * @param source the rows
     * @param train the training rows of {@code source}
     * @return the schema
     * @throws UnknownFieldException when the spec names a field the source lacks
     */
    public static FeatureSchema build(FeatureSpec spec, FeatureSource source, int[] train) {
        for (String f : spec.fields()) {
            if (!source.fields().contains(f)) {
                throw new UnknownFieldException(f, source.name(), source.fields());
            }
        }
        Map<String, Vocabulary> vocabularies = new LinkedHashMap<>();
        Map<String, Boolean> bags = new LinkedHashMap<>();
        Map<String, float[]> scales = new LinkedHashMap<>();
        for (String f : spec.fields()) {
            boolean bag = source.isBag(f);
            bags.put(f, bag);
            if (source.isNumeric(f)) {
                // A numeric field's vocabulary names its columns (after the unknown slot), one dense column each.
                List<String> cols = source.numericColumns(f);
                vocabularies.put(f, Vocabulary.build(cols));
                scales.put(f, scale(source, f, cols.size(), train));
            } else if (bag) {
                vocabularies.put(f, Vocabulary.build(() -> Arrays.stream(train)
                        .mapToObj(r -> source.values(f, r)).flatMap(List::stream).iterator()));
            } else {
                vocabularies.put(f, Vocabulary.build(() -> Arrays.stream(train)
                        .mapToObj(r -> source.value(f, r)).filter(Objects::nonNull).iterator()));
            }
        }
        Map<String, Integer> slots = new LinkedHashMap<>();
        for (HashedCross c : spec.crosses()) {
            if (c.fields().stream().anyMatch(bags::get)) {
                int most = 1;
                for (int r : train) {
                    most = Math.max(most, combinations(c, source, r, bags));
                }
                slots.put(c.name(), most);
            }
        }
        return new FeatureSchema(spec, vocabularies, slots, bags, scales);
    }

    /**
     * The mean and sample sd of each column of a numeric field over the training rows that have
     * it (sd 1 when 0 or unknown), as {mean1, sd1, mean2, sd2, ...}.
     */
    private static float[] scale(FeatureSource source, String field, int k, int[] train) {
        double[] sum = new double[k];
        double[] sumSq = new double[k];
        long[] n = new long[k];
        for (int r : train) {
            Double[] v = numbers(source.value(field, r), k);
            for (int c = 0; c < k; c++) {
                if (v[c] != null) {
                    sum[c] += v[c];
                    sumSq[c] += v[c] * v[c];
                    n[c]++;
                }
            }
        }
        float[] out = new float[2 * k];
        for (int c = 0; c < k; c++) {
            double mean = n[c] == 0 ? 0 : sum[c] / n[c];
            double var = n[c] < 2 ? 0 : (sumSq[c] - n[c] * mean * mean) / (n[c] - 1);
            out[2 * c] = (float) mean;
            out[2 * c + 1] = (float) (var > 1e-12 ? Math.sqrt(var) : 1);
        }
        return out;
    }

    /** The k numbers of a value (a group's joined by |), null where missing or unreadable. */
    private static Double[] numbers(String value, int k) {
        Double[] out = new Double[k];
        if (value == null) {
            return out;
        }
        String[] parts = k == 1 ? new String[] {value} : value.split("\\|", -1);
        for (int c = 0; c < Math.min(k, parts.length); c++) {
            out[c] = number(parts[c]);
        }
        return out;
    }

    private static Double number(String v) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            double d = Double.parseDouble(v);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Returns a numeric field's standardisation.
     *
     * @param field a numeric field
     * @return each column's training mean and sd, {mean1, sd1, ...}, or null for another kind of field
     */
    public float[] scale(String field) {
        float[] s = scales.get(field);
        return s == null ? null : s.clone();
    }

    /**
     * Rebuilds a saved schema from its vocabularies (one per field and bag) and the slots of
     * its bag crosses, as a run directory holds them.
     *
     * @param spec the spec the schema was built from
     * @param vocabularies the saved vocabularies by field name
     * @param bagFields which of the spec's fields are bags
     * @param slots the id columns of each cross with a bag
     * @return the schema
     */
    public static FeatureSchema restore(FeatureSpec spec, Map<String, Vocabulary> vocabularies, List<String> bagFields,
            Map<String, Integer> slots) {
        return restore(spec, vocabularies, bagFields, Map.of(), slots);
    }

    /**
     * Rebuilds a saved schema with numeric fields.
     *
     * @param spec the spec the schema was built from
     * @param vocabularies the saved vocabularies by field name
     * @param bagFields which of the spec's fields are bags
     * @param scales each numeric field's means and sds, {mean1, sd1, ...}
     * @param slots the id columns of each cross with a bag
     * @return the schema
     */
    public static FeatureSchema restore(FeatureSpec spec, Map<String, Vocabulary> vocabularies, List<String> bagFields,
            Map<String, float[]> scales, Map<String, Integer> slots) {
        Map<String, Boolean> bags = new LinkedHashMap<>();
        for (String f : spec.fields()) {
            if (!vocabularies.containsKey(f)) {
                throw new IllegalArgumentException("no vocabulary for field \"" + f + "\"");
            }
            bags.put(f, bagFields.contains(f));
        }
        for (HashedCross c : spec.crosses()) {
            if (c.fields().stream().anyMatch(bags::get) && !slots.containsKey(c.name())) {
                throw new IllegalArgumentException("no slot count for cross \"" + c.name() + "\"");
            }
        }
        return new FeatureSchema(spec, vocabularies, slots, bags, scales);
    }

    private static int combinations(HashedCross c, FeatureSource source, int row, Map<String, Boolean> bags) {
        int n = 1;
        for (String f : c.fields()) {
            if (bags.get(f)) {
                n *= source.values(f, row).size();
            }
        }
        return n;
    }

    /**
     * Encodes rows.
     *
     * @param source the rows' values
     * @param rows which rows, in this order
     * @return ids, dense values and labels
     */
    public Encoded encode(FeatureSource source, int[] rows) {
        long[] ids = new long[rows.length * idWidth];
        float[] dense = new float[rows.length * denseWidth];
        float[] labels = new float[rows.length];
        for (int k = 0; k < rows.length; k++) {
            int r = rows[k];
            int idBase = k * idWidth;
            int denseBase = k * denseWidth;
            for (Column c : columns.values()) {
                switch (c.kind()) {
                    case CATEGORICAL -> {
                        String v = source.value(c.name(), r);
                        ids[idBase + c.start()] = v == null ? 0 : vocabularies.get(c.name()).index(v);
                    }
                    case CROSS, BAG_CROSS -> {
                        List<Integer> buckets = buckets(crosses.get(c.name()), source, r);
                        for (int s = 0; s < Math.min(c.width(), buckets.size()); s++) {
                            ids[idBase + c.start() + s] = buckets.get(s);
                        }
                    }
                    case BAG -> {
                        List<String> values = source.values(c.name(), r);
                        Vocabulary v = vocabularies.get(c.name());
                        for (String value : values) {
                            dense[denseBase + c.start() + v.index(value)] += 1f / values.size();
                        }
                    }
                    case NUMERIC -> {
                        // Missing or unreadable: the mean, 0 after standardising.
                        Double[] v = numbers(source.value(c.name(), r), c.width());
                        float[] scale = scales.get(c.name());
                        for (int j = 0; j < c.width(); j++) {
                            dense[denseBase + c.start() + j] = v[j] == null ? 0f
                                    : (float) ((v[j] - scale[2 * j]) / scale[2 * j + 1]);
                        }
                    }
                }
            }
            labels[k] = spec.label().of(source.rating(r));
        }
        return new Encoded(ids, idWidth, dense, denseWidth, labels);
    }

    /**
     * Returns the buckets of a cross on a row: one for single-valued fields, one per element
     * of the Cartesian product when a field is a bag (none when a bag is empty). An unknown
     * value is hashed as {@value Vocabulary#UNKNOWN}.
     */
    private List<Integer> buckets(HashedCross cross, FeatureSource source, int row) {
        List<List<String>> values = new ArrayList<>();
        for (String f : cross.fields()) {
            if (columns.get(f).kind() == Kind.BAG) {
                values.add(source.values(f, row));
            } else {
                String v = source.value(f, row);
                values.add(List.of(v == null ? Vocabulary.UNKNOWN : v));
            }
        }
        List<Integer> out = new ArrayList<>();
        product(cross, values, 0, new ArrayList<>(), out);
        return out;
    }

    private static void product(HashedCross cross, List<List<String>> values, int depth, List<String> prefix,
            List<Integer> out) {
        if (depth == values.size()) {
            out.add(cross.bucket(prefix));
            return;
        }
        for (String v : values.get(depth)) {
            prefix.add(v);
            product(cross, values, depth + 1, prefix, out);
            prefix.remove(prefix.size() - 1);
        }
    }

    /**
     * Returns a categorical field's ids of encoded rows.
     *
     * @param encoded rows this schema encoded
     * @param field a categorical field
     * @return one vocabulary index a row
     * @throws IllegalArgumentException for a field that is not categorical
     */
    public int[] ids(Encoded encoded, String field) {
        Column c = column(field);
        if (c.kind() != Kind.CATEGORICAL) {
            throw new IllegalArgumentException(field + " is " + c.kind() + ", not a categorical field");
        }
        int[] out = new int[encoded.rows()];
        for (int r = 0; r < out.length; r++) {
            out[r] = (int) encoded.ids()[r * idWidth + c.start()];
        }
        return out;
    }

    /**
     * Returns the spec the schema was built from.
     *
     * @return the spec
     */
    public FeatureSpec spec() {
        return spec;
    }

    /**
     * Returns a field's or cross's columns.
     *
     * @param name the name
     * @return its column group
     * @throws IllegalArgumentException naming the names there are
     */
    public Column column(String name) {
        Column c = columns.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no field or cross \"" + name + "\"; the schema has " + columns.keySet());
        }
        return c;
    }

    /**
     * Returns every column group: id groups first (fields, then crosses), then bags.
     *
     * @return the groups in layout order
     */
    public List<Column> columns() {
        return List.copyOf(columns.values());
    }

    /**
     * Returns a field's vocabulary (single-valued fields and bags; crosses have none).
     *
     * @param field the field
     * @return the vocabulary
     */
    public Vocabulary vocabulary(String field) {
        Vocabulary v = vocabularies.get(field);
        if (v == null) {
            throw new IllegalArgumentException("no vocabulary \"" + field + "\"; the vocabularies are "
                    + vocabularies.keySet());
        }
        return v;
    }

    /**
     * Returns the width F of the id matrix.
     *
     * @return F
     */
    public int idWidth() {
        return idWidth;
    }

    /**
     * Returns the width G of the dense matrix.
     *
     * @return G, 0 without bags
     */
    public int denseWidth() {
        return denseWidth;
    }

    /** A spec names a field the data set does not have. */
    public static final class UnknownFieldException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param field the missing field
         * @param dataset the data set's name
         * @param available the fields it has
         */
        public UnknownFieldException(String field, String dataset, List<String> available) {
            super("no field \"" + field + "\" in " + dataset + "; available: " + String.join(", ", available));
        }
    }

    /** A cross names a numeric field, which has no values to hash. */
    public static final class NumericCrossException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param cross the cross
         * @param field its numeric field
         */
        public NumericCrossException(String cross, String field) {
            super("cross " + cross + ": " + field + " is numeric; a cross takes categorical fields and bags");
        }
    }
}
