package dev.embtrain.datasets.features;

import dev.embtrain.models.shared.HashedCross;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.embtrain.datasets.movielens.ItemKey;
import dev.embtrain.datasets.movielens.MovieLens;
import dev.embtrain.datasets.movielens.MovieLensFeatures;
import dev.embtrain.datasets.movielens.RatingsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureSchemaTest {

    // ml-100k genre flags: unknown, Action, Adventure, Animation, Children's, Comedy, Crime, Documentary, Drama, ...
    private static final String COMEDY_DRAMA = "0|0|0|0|0|1|0|0|1|0|0|0|0|0|0|0|0|0|0";
    private static final String ACTION = "0|1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0";

    private static MovieLensFeatures tiny(Path dir) throws Exception {
        Files.writeString(dir.resolve("u.data"), "1\t1\t5\t10\n2\t1\t3\t11\n1\t2\t4\t12\n3\t2\t2\t13\n");
        Files.writeString(dir.resolve("u.user"), "1|24|M|technician|85711\n2|53|F|other|K1A0B\n");
        Files.writeString(dir.resolve("u.item"), "1|Toy Story (1995)|01-Jan-1995||http://x|" + COMEDY_DRAMA + "\n"
                + "2|GoldenEye (1995)|01-Jan-1996||http://y|" + ACTION + "\n");
        RatingsTable table = MovieLens.read(dir, ItemKey.ID);
        return MovieLensFeatures.read(table, dir, ItemKey.ID);
    }

    @Test
    void encodesFieldsBagsAndCrossesByHand(@TempDir Path dir) throws Exception {
        MovieLensFeatures source = tiny(dir);
        HashedCross userGenres = new HashedCross("user_x_genres", List.of("user", "genres"), 1000);
        HashedCross userYear = new HashedCross("user_x_year", List.of("user", "year"), 7);
        FeatureSpec spec = new FeatureSpec(List.of("user", "item", "age", "genres", "year"),
                List.of(userGenres, userYear), FeatureSpec.Label.atLeast(4f));
        FeatureSchema schema = FeatureSchema.build(spec, source, new int[] {0, 1, 2});

        assertEquals(List.of("<unk>", "1", "2"), schema.vocabulary("user").tokens());
        assertEquals(List.of("<unk>", "18-24", "50-55"), schema.vocabulary("age").tokens());
        assertEquals(List.of("<unk>", "1995", "1996"), schema.vocabulary("year").tokens());
        assertEquals(List.of("<unk>", "Comedy", "Drama", "Action"), schema.vocabulary("genres").tokens());
        assertEquals(List.of(
                new FeatureSchema.Column("user", FeatureSchema.Kind.CATEGORICAL, 3, 0, 1),
                new FeatureSchema.Column("item", FeatureSchema.Kind.CATEGORICAL, 3, 1, 1),
                new FeatureSchema.Column("age", FeatureSchema.Kind.CATEGORICAL, 3, 2, 1),
                new FeatureSchema.Column("year", FeatureSchema.Kind.CATEGORICAL, 3, 3, 1),
                // the most genres a training row has is 2: two slots
                new FeatureSchema.Column("user_x_genres", FeatureSchema.Kind.BAG_CROSS, 1001, 4, 2),
                new FeatureSchema.Column("user_x_year", FeatureSchema.Kind.CROSS, 8, 6, 1),
                new FeatureSchema.Column("genres", FeatureSchema.Kind.BAG, 4, 0, 4)), schema.columns());
        assertEquals(7, schema.idWidth());
        assertEquals(4, schema.denseWidth());

        FeatureSchema.Encoded e = schema.encode(source, new int[] {0, 3});
        // Row 0: user 1 (24, M) rates Toy Story (1995; Comedy, Drama) 5 stars.
        // Row 3: user 3 is not in u.user (age unknown, 0), never seen in training (user 0); GoldenEye 2 stars.
        assertArrayEquals(new long[] {
            1, 1, 1, 1, userGenres.bucket(List.of("1", "Comedy")), userGenres.bucket(List.of("1", "Drama")),
                userYear.bucket(List.of("1", "1995")),
            0, 2, 0, 2, userGenres.bucket(List.of("3", "Action")), 0, userYear.bucket(List.of("3", "1996"))},
                e.ids());
        assertArrayEquals(new float[] {0, 0.5f, 0.5f, 0, 0, 0, 0, 1}, e.dense());
        assertArrayEquals(new float[] {1, 0}, e.labels());
        assertEquals(7, e.idWidth());
    }

    @Test
    void ratingLabelsAndIdsAlone(@TempDir Path dir) throws Exception {
        MovieLensFeatures source = tiny(dir);
        FeatureSchema schema = FeatureSchema.build(FeatureSpec.ids(), source, new int[] {0, 1, 2, 3});
        FeatureSchema.Encoded e = schema.encode(source, new int[] {3, 2});
        assertArrayEquals(new long[] {3, 2, 1, 2}, e.ids());
        assertArrayEquals(new float[0], e.dense());
        assertArrayEquals(new float[] {2, 4}, e.labels());
        assertEquals(0, e.denseWidth());
    }

    @Test
    void restoresFromSavedVocabularies(@TempDir Path dir) throws Exception {
        MovieLensFeatures source = tiny(dir);
        FeatureSpec spec = new FeatureSpec(List.of("user", "item", "genres"),
                List.of(new HashedCross("user_x_genres", List.of("user", "genres"), 50)), FeatureSpec.Label.RATING);
        FeatureSchema built = FeatureSchema.build(spec, source, new int[] {0, 1, 2});
        FeatureSchema restored = FeatureSchema.restore(spec, Map.of("user", built.vocabulary("user"), "item",
                built.vocabulary("item"), "genres", built.vocabulary("genres")), List.of("genres"),
                Map.of("user_x_genres", 2));
        assertEquals(built.columns(), restored.columns());
        int[] all = {0, 1, 2, 3};
        assertArrayEquals(built.encode(source, all).ids(), restored.encode(source, all).ids());
        assertArrayEquals(built.encode(source, all).dense(), restored.encode(source, all).dense());
    }

    @Test
    void aMissingFieldNamesTheFieldsThereAre(@TempDir Path dir) throws Exception {
        MovieLensFeatures source = tiny(dir);
        var e = assertThrows(FeatureSchema.UnknownFieldException.class, () -> FeatureSchema.build(
                new FeatureSpec(List.of("user", "item", "salary"), List.of(), FeatureSpec.Label.RATING), source,
                new int[] {0}));
        assertEquals("no field \"salary\" in ml-100k; available: user, item, age, gender, occupation, zip_prefix,"
                + " genres, year", e.getMessage());
        var noIds = assertThrows(IllegalArgumentException.class,
                () -> new FeatureSpec(List.of("user", "age"), List.of(), FeatureSpec.Label.RATING));
        assertEquals("the fields must include user and item (the ids a prediction is asked for), found [user, age]",
                noIds.getMessage());
        var cross = assertThrows(IllegalArgumentException.class, () -> new FeatureSpec(List.of("user", "item"),
                List.of(new HashedCross("user_x_age", List.of("user", "age"), 10)), FeatureSpec.Label.RATING));
        assertEquals("cross user_x_age names field \"age\", which is not among the fields [user, item]",
                cross.getMessage());
    }
}
