package dev.embtrain.datasets.features;

import java.util.List;

/**
 * Encodes any (user, item) pair as a {@link FeatureSchema} encodes a row: the user's fields
 * (its id and its side features) from a training row of that user, the item's (its id, its side
 * features) from a training row of that item, crosses hashed from the two. This is how a
 * negative item drawn for a positive row, or every item scored for a user, gets the same
 * features as a row the data could have had. Every field but the item and its side features is
 * taken as the user's: the ratings data sets here have no field of the interaction itself.
 *
 * <p>On a schema of user and item ids alone a pair is its two indices, with no source read.
 */
public final class PairEncoder {

    private final FeatureSchema schema;
    private final FeatureSource source;
    private final int[] userRow;
    private final int[] itemRow;
    private final boolean idsOnly;

    /**
     * Prepares the encoder.
     *
     * @param schema the schema, frozen on the training rows
     * @param source the rows' values
     * @param train the training rows, every user and item of the vocabularies among them
     */
    public PairEncoder(FeatureSchema schema, FeatureSource source, int[] train) {
        this.schema = schema;
        this.source = source;
        Vocabulary users = schema.vocabulary("user");
        Vocabulary items = schema.vocabulary("item");
        this.userRow = new int[users.size()];
        this.itemRow = new int[items.size()];
        java.util.Arrays.fill(userRow, -1);
        java.util.Arrays.fill(itemRow, -1);
        for (int r : train) {
            int u = users.index(source.value("user", r));
            int i = items.index(source.value("item", r));
            if (userRow[u] < 0) {
                userRow[u] = r;
            }
            if (itemRow[i] < 0) {
                itemRow[i] = r;
            }
        }
        List<FeatureSchema.Column> columns = schema.columns();
        this.idsOnly = columns.size() == 2 && schema.denseWidth() == 0
                && columns.stream().allMatch(c -> c.kind() == FeatureSchema.Kind.CATEGORICAL);
    }

    /**
     * Encodes pairs of vocabulary indices.
     *
     * @param users the users' indices, each with a training row
     * @param items the items' indices, each with a training row
     * @return ids and dense values of each pair, in order; labels 1
     * @throws IllegalArgumentException for an index no training row has (the unknown slot)
     */
    public FeatureSchema.Encoded encode(int[] users, int[] items) {
        if (users.length != items.length) {
            throw new IllegalArgumentException(users.length + " users but " + items.length + " items");
        }
        for (int k = 0; k < users.length; k++) {
            if (users[k] <= 0 || users[k] >= userRow.length || userRow[users[k]] < 0) {
                throw new IllegalArgumentException("user index " + users[k] + " has no training row");
            }
            if (items[k] <= 0 || items[k] >= itemRow.length || itemRow[items[k]] < 0) {
                throw new IllegalArgumentException("item index " + items[k] + " has no training row");
            }
        }
        if (idsOnly) {
            int width = schema.idWidth();
            int u = schema.column("user").start();
            int i = schema.column("item").start();
            long[] ids = new long[users.length * width];
            for (int k = 0; k < users.length; k++) {
                ids[k * width + u] = users[k];
                ids[k * width + i] = items[k];
            }
            float[] labels = new float[users.length];
            java.util.Arrays.fill(labels, 1f);
            return new FeatureSchema.Encoded(ids, width, new float[0], 0, labels);
        }
        int[] rows = new int[users.length];
        for (int k = 0; k < rows.length; k++) {
            rows[k] = k;
        }
        return schema.encode(new Swapped(users, items), rows);
    }

    /** Pair k's values: the item's fields from the item's row, every other from the user's. */
    private final class Swapped implements FeatureSource {
        private final int[] users;
        private final int[] items;

        Swapped(int[] users, int[] items) {
            this.users = users;
            this.items = items;
        }

        private int row(String field, int k) {
            boolean item = field.equals("item") || "item".equals(source.sideOf(field));
            return item ? itemRow[items[k]] : userRow[users[k]];
        }

        @Override
        public List<String> fields() {
            return source.fields();
        }

        @Override
        public boolean isBag(String field) {
            return source.isBag(field);
        }

        @Override
        public boolean isNumeric(String field) {
            return source.isNumeric(field);
        }

        @Override
        public List<String> numericColumns(String field) {
            return source.numericColumns(field);
        }

        @Override
        public int size() {
            return users.length;
        }

        @Override
        public String value(String field, int k) {
            return source.value(field, row(field, k));
        }

        @Override
        public List<String> values(String field, int k) {
            return source.values(field, row(field, k));
        }

        @Override
        public float rating(int k) {
            return 1f;
        }

        @Override
        public String name() {
            return source.name();
        }

        @Override
        public String sideOf(String field) {
            return source.sideOf(field);
        }
    }
}
