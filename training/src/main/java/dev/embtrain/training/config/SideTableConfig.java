package dev.embtrain.training.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A table of user or item features joined to the ratings by id.
 *
 * @param path the file
 * @param key the id column
 * @param categorical single-valued columns
 * @param bags multi-valued columns
 * @param delimiter what separates a bag's values
 * @param label the column that labels an item in exports and neighbours, or null
 * @param numeric real-valued columns
 * @param groups real-valued columns grouped into one feature each
 */
@Doc("A table of user or item features joined to the ratings by id: .csv, .tsv or .parquet, one row an id; its"
        + " feature columns become fields dataset.features may name.")
public record SideTableConfig(
        @Doc("The file.") Path path,
        @Doc("The id column, holding the ids of the ratings' user (or item) column.") String key,
        @Doc("Single-valued columns (brand, country, age band); an empty cell is unknown.") @Default("[]")
                List<String> categorical,
        @Doc("Multi-valued columns, values separated by delimiter (Action|Comedy); embedded as a mean-pooled bag.")
                @Default("[]") List<String> bags,
        @Doc("What separates a bag's values.") @Default("\"|\"") String delimiter,
        @Doc("A column naming each id (a title), shown instead of the id in exported embeddings and neighbours;"
                        + " absent: the id.")
                @Default("null") String label,
        @Doc("Real-valued columns (price, age in years): each is standardised by the training rows' mean and sd"
                        + " into one dense input, whose vector the factorization machine scales by the value; an"
                        + " empty cell is the mean.")
                @Default("[]") List<String> numeric,
        @Doc("Real-valued columns grouped into one feature each, feat2vec's [['attr1', 'attr2', 'attr3']]:"
                        + " [{name: attrs, columns: [attr1, attr2, attr3]}]; the group is one dense feature (one"
                        + " vector, a row per column, in the factorization machine), each column standardised.")
                @Default("[]") List<NumericGroupConfig> groups) {

    /**
     * Returns the groups as the reader takes them.
     *
     * @return each group's columns, by its name
     */
    public java.util.Map<String, List<String>> groupColumns() {
        java.util.Map<String, List<String>> m = new java.util.LinkedHashMap<>();
        groups.forEach(g -> m.put(g.name(), g.columns()));
        return m;
    }

    /** Validates the section. */
    public SideTableConfig {
        if (path == null) {
            throw new ConfigValueException("path", "required key is missing");
        }
        Check.notBlank("key", key);
        categorical = List.copyOf(categorical);
        bags = List.copyOf(bags);
        numeric = List.copyOf(numeric);
        groups = List.copyOf(groups);
        if (delimiter == null || delimiter.isEmpty()) {
            throw new ConfigValueException("delimiter", "must not be empty");
        }
        java.util.List<String> all = new java.util.ArrayList<>(categorical);
        all.addAll(bags);
        all.addAll(numeric);
        for (NumericGroupConfig g : groups) {
            all.add(g.name());
        }
        int features = all.size();
        for (NumericGroupConfig g : groups) {
            all.addAll(g.columns());
        }
        all.add(key);
        if (label != null) {
            all.add(label);
        }
        for (int i = 0; i < all.size(); i++) {
            if (all.subList(0, i).contains(all.get(i))) {
                throw new IllegalArgumentException("column \"" + all.get(i) + "\" is named twice among key, categorical,"
                        + " bags, numeric, groups (names and columns) and label");
            }
        }
        for (String f : all.subList(0, features)) {
            if (f.equals("user") || f.equals("item")) {
                throw new IllegalArgumentException("a feature column may not be called " + f
                        + ", the name of an id field; rename it in the file");
            }
        }
    }
}
