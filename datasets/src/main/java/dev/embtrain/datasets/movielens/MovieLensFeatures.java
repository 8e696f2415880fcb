package dev.embtrain.datasets.movielens;

import dev.embtrain.datasets.features.FeatureSource;
import dev.embtrain.datasets.features.FeatureSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MovieLens ratings with their side features as a {@link FeatureSource}: {@code user},
 * {@code item}, and where the format ships them the users' {@code age} (bucketed),
 * {@code gender}, {@code occupation}, {@code zip_prefix} and the movies' {@code genres} (a
 * bag) and release {@code year}.
 *
 * <p>Which formats have which: ml-100k all eight (so does {@link dev.embtrain.datasets.synthetic.SyntheticMovieLens}, whose
 * side features are random and carry no signal); ml-1m all eight when {@code users.dat} is
 * there; ml-latest and ml-25m have no user file, so only {@code user}, {@code item},
 * {@code genres} and {@code year}.
 */
public final class MovieLensFeatures implements FeatureSource {

    /** The user side fields, in documentation order. */
    public static final List<String> USER_FIELDS = List.of("age", "gender", "occupation", "zip_prefix");
    /** The movie side fields, in documentation order. */
    public static final List<String> ITEM_FIELDS = List.of("genres", "year");

    private final RatingsTable table;
    private final String[] users;
    private final String[] items;
    private final float[] ratings;
    private final Map<String, MovieLensSideFeatures.User> userSide;
    private final Map<String, MovieLensSideFeatures.Item> itemSide;
    private final List<String> fields;

    /**
     * Wraps a table and its side features.
     *
     * @param table the ratings
     * @param userSide user id to features; empty when the format has none
     * @param itemSide item key to features
     */
    public MovieLensFeatures(RatingsTable table, Map<String, MovieLensSideFeatures.User> userSide,
            Map<String, MovieLensSideFeatures.Item> itemSide) {
        this.table = table;
        this.users = table.users();
        this.items = table.items();
        this.ratings = table.ratings();
        this.userSide = Map.copyOf(userSide);
        this.itemSide = Map.copyOf(itemSide);
        List<String> f = new ArrayList<>(FeatureSpec.IDS);
        if (!userSide.isEmpty()) {
            f.addAll(USER_FIELDS);
        }
        if (!itemSide.isEmpty()) {
            f.addAll(ITEM_FIELDS);
        }
        this.fields = List.copyOf(f);
    }

    /**
     * Reads the side features of the directory a table was read from.
     *
     * @param table the ratings, read from {@code dir} with {@code key}
     * @param dir the MovieLens directory
     * @param key how items are keyed
     * @return the source
     * @throws IOException when a file cannot be read
     */
    public static MovieLensFeatures read(RatingsTable table, Path dir, ItemKey key) throws IOException {
        return new MovieLensFeatures(table, MovieLensSideFeatures.readUsers(dir),
                MovieLensSideFeatures.readItems(dir, key));
    }

    /**
     * Returns the ratings table.
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
        return field.equals("genres");
    }

    @Override
    public String sideOf(String field) {
        return USER_FIELDS.contains(field) ? "user" : ITEM_FIELDS.contains(field) ? "item" : null;
    }

    @Override
    public int size() {
        return ratings.length;
    }

    @Override
    public String value(String field, int row) {
        switch (field) {
            case "user":
                return users[row];
            case "item":
                return items[row];
            case "year": {
                MovieLensSideFeatures.Item i = itemSide.get(items[row]);
                return i == null ? null : i.year();
            }
            default:
                break;
        }
        MovieLensSideFeatures.User u = userSide.get(users[row]);
        if (u == null) {
            if (!USER_FIELDS.contains(field)) {
                throw new IllegalArgumentException("no single-valued field \"" + field + "\"; the fields are " + fields);
            }
            return null;
        }
        return switch (field) {
            case "age" -> u.age();
            case "gender" -> u.gender();
            case "occupation" -> u.occupation();
            case "zip_prefix" -> u.zipPrefix();
            default -> throw new IllegalArgumentException(
                    "no single-valued field \"" + field + "\"; the fields are " + fields);
        };
    }

    @Override
    public List<String> values(String field, int row) {
        if (!field.equals("genres")) {
            throw new IllegalArgumentException("no bag field \"" + field + "\"; the only bag is genres");
        }
        MovieLensSideFeatures.Item i = itemSide.get(items[row]);
        return i == null ? List.of() : i.genres();
    }

    @Override
    public float rating(int row) {
        return ratings[row];
    }

    @Override
    public String name() {
        return table.format();
    }
}
