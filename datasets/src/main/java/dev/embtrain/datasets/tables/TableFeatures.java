package dev.embtrain.datasets.tables;

import dev.embtrain.datasets.features.FeatureSource;
import dev.embtrain.datasets.features.FeatureSpec;
import dev.embtrain.datasets.movielens.RatingsTable;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's ratings with the features of their users and items joined by id, as a
 * {@link FeatureSource}: {@code user}, {@code item}, then the users' table's columns, then the
 * items'. A user or item missing from its table has every feature unknown.
 */
public final class TableFeatures implements FeatureSource {
    private final RatingsTable table;
    private final String[] users;
    private final String[] items;
    private final float[] ratings;
    private final SideTable userSide;
    private final SideTable itemSide;
    private final List<String> fields;

    /**
     * Joins ratings to their side tables.
     *
     * @param table the ratings
     * @param userSide the users' features, or null
     * @param itemSide the items' features, or null
     * @throws IllegalArgumentException when a column name is used twice among user, item and
     *     both tables' feature columns
     */
    public TableFeatures(RatingsTable table, SideTable userSide, SideTable itemSide) {
        this.table = table;
        this.users = table.users();
        this.items = table.items();
        this.ratings = table.ratings();
        this.userSide = userSide;
        this.itemSide = itemSide;
        List<String> f = new ArrayList<>(FeatureSpec.IDS);
        for (SideTable side : new SideTable[] {userSide, itemSide}) {
            if (side == null) {
                continue;
            }
            for (String name : side.fields()) {
                if (f.contains(name)) {
                    throw new IllegalArgumentException("feature \"" + name + "\" of " + side.file()
                            + " clashes with another feature of that name; the features are " + f);
                }
                f.add(name);
            }
        }
        this.fields = List.copyOf(f);
    }

    /**
     * Returns the ratings.
     *
     * @return the table
     */
    public RatingsTable table() {
        return table;
    }

    @Override
    public List<String> fields() {
        return fields;
    }

    @Override
    public boolean isBag(String field) {
        SideTable side = sideTable(field);
        return side != null && side.isBag(field);
    }

    @Override
    public boolean isNumeric(String field) {
        SideTable side = sideTable(field);
        return side != null && side.isNumeric(field);
    }

    @Override
    public List<String> numericColumns(String field) {
        SideTable side = sideTable(field);
        return side == null ? List.of(field) : side.numericColumns(field);
    }

    @Override
    public String sideOf(String field) {
        if (userSide != null && userSide.fields().contains(field)) {
            return "user";
        }
        if (itemSide != null && itemSide.fields().contains(field)) {
            return "item";
        }
        return null;
    }

    private SideTable sideTable(String field) {
        String side = sideOf(field);
        return side == null ? null : side.equals("user") ? userSide : itemSide;
    }

    private String key(String field, int row) {
        return sideOf(field).equals("user") ? users[row] : items[row];
    }

    @Override
    public int size() {
        return ratings.length;
    }

    @Override
    public String value(String field, int row) {
        if (field.equals("user")) {
            return users[row];
        }
        if (field.equals("item")) {
            return items[row];
        }
        SideTable side = sideTable(field);
        if (side == null || side.isBag(field)) {
            throw new IllegalArgumentException("no single-valued field \"" + field + "\"; the fields are " + fields);
        }
        return side.value(key(field, row), field);
    }

    @Override
    public List<String> values(String field, int row) {
        SideTable side = sideTable(field);
        if (side == null || !side.isBag(field)) {
            throw new IllegalArgumentException("no bag field \"" + field + "\"; the fields are " + fields);
        }
        return side.values(key(field, row), field);
    }

    @Override
    public float rating(int row) {
        return ratings[row];
    }

    @Override
    public String name() {
        return table.source().getFileName().toString();
    }
}
