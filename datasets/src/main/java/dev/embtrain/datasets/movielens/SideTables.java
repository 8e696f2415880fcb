package dev.embtrain.datasets.movielens;

import dev.embtrain.datasets.features.FeatureSchema;
import dev.embtrain.datasets.features.FeatureSource;
import dev.embtrain.datasets.features.FeatureSpec;
import dev.embtrain.datasets.features.Vocabulary;
import dev.embtrain.datasets.io.DataFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The side features of every user and item a model knows, as two small tables saved beside it,
 * so that a prediction asked for by user and item id can be encoded with no access to the data
 * set: {@code user.tsv} and {@code item.tsv}, a header line ({@code key} then the field names),
 * then one line per vocabulary token. A value the data lacks is written {@value
 * Vocabulary#UNKNOWN} (which encodes exactly as a missing value: index 0, and the same cross
 * bucket); a bag's values are joined with {@code |} (empty for none).
 *
 * @param userFields the user-side fields, in column order
 * @param users user token to its values, one per field (a bag's joined)
 * @param itemFields the item-side fields, in column order
 * @param items item token to its values
 */
public record SideTables(List<String> userFields, Map<String, List<String>> users, List<String> itemFields,
        Map<String, List<String>> items) {

    /** The file of the users' features. */
    public static final String USERS = "user.tsv";
    /** The file of the items' features. */
    public static final String ITEMS = "item.tsv";

    /**
     * Collects the side features a schema uses for the users and items of its vocabularies.
     *
     * @param source the rows with their features
     * @param schema the schema, whose {@code user} and {@code item} vocabularies list the keys
     * @param rows the rows to take values from (the training rows built the vocabularies)
     * @return the tables
     */
    public static SideTables collect(FeatureSource source, FeatureSchema schema, int[] rows) {
        List<String> userFields = new ArrayList<>();
        List<String> itemFields = new ArrayList<>();
        for (String f : schema.spec().fields()) {
            String side = source.sideOf(f);
            if ("user".equals(side)) {
                userFields.add(f);
            } else if ("item".equals(side)) {
                itemFields.add(f);
            }
        }
        Map<String, List<String>> users = new LinkedHashMap<>();
        Map<String, List<String>> items = new LinkedHashMap<>();
        for (int r : rows) {
            users.computeIfAbsent(source.value("user", r), k -> values(source, userFields, r));
            items.computeIfAbsent(source.value("item", r), k -> values(source, itemFields, r));
        }
        return new SideTables(List.copyOf(userFields), users, List.copyOf(itemFields), items);
    }

    private static List<String> values(FeatureSource source, List<String> fields, int row) {
        List<String> out = new ArrayList<>();
        for (String f : fields) {
            if (source.isBag(f)) {
                List<String> bag = source.values(f, row);
                for (String v : bag) {
                    if (v.indexOf('|') >= 0) {
                        throw new IllegalArgumentException("value \"" + v + "\" of bag " + f
                                + " holds a |, which the saved side tables use to join a bag's values");
                    }
                }
                out.add(String.join("|", bag));
            } else {
                String v = source.value(f, row);
                out.add(v == null ? Vocabulary.UNKNOWN : v);
            }
        }
        return out;
    }

    /**
     * Writes {@link #USERS} and {@link #ITEMS} into a directory.
     *
     * @param dir the directory, created if absent
     * @throws IOException when a file cannot be written
     * @throws IllegalArgumentException when a value holds a tab or a line break
     */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        write(dir.resolve(USERS), userFields, users);
        write(dir.resolve(ITEMS), itemFields, items);
    }

    private static void write(Path file, List<String> fields, Map<String, List<String>> rows) throws IOException {
        StringBuilder sb = new StringBuilder("key");
        fields.forEach(f -> sb.append('\t').append(f));
        sb.append('\n');
        for (Map.Entry<String, List<String>> e : rows.entrySet()) {
            sb.append(check(e.getKey()));
            e.getValue().forEach(v -> sb.append('\t').append(check(v)));
            sb.append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    private static String check(String v) {
        if (v.indexOf('\t') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("side feature value \"" + v + "\" holds a tab or a line break");
        }
        return v;
    }

    /**
     * Reads the tables {@link #write} wrote.
     *
     * @param dir the directory
     * @return the tables
     * @throws IOException when a file cannot be read
     * @throws DataFormatException naming file and line for a malformed line
     */
    public static SideTables read(Path dir) throws IOException {
        Map<String, List<String>> users = new LinkedHashMap<>();
        Map<String, List<String>> items = new LinkedHashMap<>();
        List<String> userFields = read(dir.resolve(USERS), users);
        List<String> itemFields = read(dir.resolve(ITEMS), items);
        return new SideTables(userFields, users, itemFields, items);
    }

    private static List<String> read(Path file, Map<String, List<String>> rows) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).split("\t", -1)[0].equals("key")) {
            throw new DataFormatException(file, 1, "expected a header line starting with \"key\"");
        }
        String[] header = lines.get(0).split("\t", -1);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t", -1);
            if (f.length != header.length) {
                throw new DataFormatException(file, i + 1, "expected " + header.length + " tab-separated values, found "
                        + f.length);
            }
            rows.put(f[0], List.of(f).subList(1, f.length));
        }
        return List.of(header).subList(1, header.length);
    }

    /**
     * Returns (user, item) pairs as rows whose features come from these tables; a user or item
     * not in them has every side value unknown.
     *
     * @param pairUsers the users
     * @param pairItems the items, one per user
     * @return the rows, rating 0 each
     */
    public FeatureSource pairs(List<String> pairUsers, List<String> pairItems) {
        List<String> fields = new ArrayList<>(FeatureSpec.IDS);
        fields.addAll(userFields);
        fields.addAll(itemFields);
        return new FeatureSource() {
            @Override
            public List<String> fields() {
                return fields;
            }

            @Override
            public boolean isBag(String field) {
                // Only building a schema asks, and these rows are encoded with a saved one, whose columns say.
                throw new UnsupportedOperationException("the saved schema says which fields are bags");
            }

            @Override
            public int size() {
                return pairUsers.size();
            }

            @Override
            public String value(String field, int row) {
                if (field.equals("user")) {
                    return pairUsers.get(row);
                }
                if (field.equals("item")) {
                    return pairItems.get(row);
                }
                String v = raw(field, row);
                return v == null || v.equals(Vocabulary.UNKNOWN) ? null : v;
            }

            @Override
            public List<String> values(String field, int row) {
                String v = raw(field, row);
                return v == null || v.isEmpty() ? List.of() : List.of(v.split("\\|"));
            }

            private String raw(String field, int row) {
                int u = userFields.indexOf(field);
                if (u >= 0) {
                    List<String> values = users.get(pairUsers.get(row));
                    return values == null ? null : values.get(u);
                }
                int i = itemFields.indexOf(field);
                if (i < 0) {
                    throw new IllegalArgumentException("no field \"" + field + "\" in the side tables");
                }
                List<String> values = items.get(pairItems.get(row));
                return values == null ? null : values.get(i);
            }

            @Override
            public float rating(int row) {
                return 0f;
            }

            @Override
            public String name() {
                return "side tables";
            }
        };
    }
}
