package dev.embtrain.datasets.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.embtrain.datasets.movielens.ItemKey;
import dev.embtrain.datasets.movielens.MovieLens;
import dev.embtrain.datasets.movielens.MovieLensFeatures;
import dev.embtrain.datasets.movielens.RatingsTable;
import dev.embtrain.datasets.synthetic.SyntheticMovieLens;
import dev.embtrain.models.shared.HashedCross;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A (user, item) pair encodes as the row the data would have had for it. */
class PairEncoderTest {

    @TempDir
    Path tmp;

    @Test
    void aPairOfARowsUserAndItemEncodesAsThatRowWithSideFeaturesAndCrosses() throws Exception {
        Path dir = SyntheticMovieLens.write(new SyntheticMovieLens.Spec(30, 20, 300, 2, 0.5, 7), tmp.resolve("ml"))
                .dir();
        RatingsTable table = MovieLens.read(dir, ItemKey.ID);
        FeatureSource source = MovieLensFeatures.read(table, dir, ItemKey.ID);
        FeatureSpec spec = new FeatureSpec(List.of("user", "item", "age", "occupation", "genres", "year"),
                List.of(new HashedCross("occupation_x_genres", List.of("occupation", "genres"), 97),
                        new HashedCross("user_x_year", List.of("user", "year"), 31)), FeatureSpec.Label.RATING);
        int[] train = new int[250];
        Arrays.setAll(train, r -> r);
        FeatureSchema schema = FeatureSchema.build(spec, source, train);
        PairEncoder pairs = new PairEncoder(schema, source, train);
        FeatureSchema.Encoded rows = schema.encode(source, train);
        int[] users = schema.ids(rows, "user");
        int[] items = schema.ids(rows, "item");
        FeatureSchema.Encoded encoded = pairs.encode(users, items);
        assertArrayEquals(rows.ids(), encoded.ids());
        assertArrayEquals(rows.dense(), encoded.dense());
        assertEquals(rows.idWidth(), encoded.idWidth());

        // The user of row 0 with the item of row 1: row 0's user fields, row 1's item fields.
        FeatureSchema.Encoded mixed = pairs.encode(new int[] {users[0]}, new int[] {items[1]});
        FeatureSchema.Encoded first = pairs.encode(new int[] {users[0]}, new int[] {items[0]});
        FeatureSchema.Encoded second = pairs.encode(new int[] {users[1]}, new int[] {items[1]});
        for (String field : List.of("user", "age", "occupation")) {
            int c = schema.column(field).start();
            assertEquals(first.ids()[c], mixed.ids()[c], field);
        }
        for (String field : List.of("item", "year")) {
            int c = schema.column(field).start();
            assertEquals(second.ids()[c], mixed.ids()[c], field);
        }
        FeatureSchema.Column genres = schema.column("genres");
        assertArrayEquals(Arrays.copyOfRange(second.dense(), genres.start(), genres.start() + genres.width()),
                Arrays.copyOfRange(mixed.dense(), genres.start(), genres.start() + genres.width()));

        assertEquals("item index 0 has no training row", assertThrows(IllegalArgumentException.class,
                () -> pairs.encode(new int[] {users[0]}, new int[] {0})).getMessage());
    }

    @Test
    void idsAloneArePairsOfIndices() throws Exception {
        Path dir = SyntheticMovieLens.write(new SyntheticMovieLens.Spec(10, 8, 40, 2, 0.5, 7), tmp.resolve("ids"))
                .dir();
        RatingsTable table = MovieLens.read(dir, ItemKey.ID);
        FeatureSource source = new MovieLensFeatures(table, java.util.Map.of(), java.util.Map.of());
        int[] train = new int[40];
        Arrays.setAll(train, r -> r);
        FeatureSchema schema = FeatureSchema.build(FeatureSpec.ids(), source, train);
        PairEncoder pairs = new PairEncoder(schema, source, train);
        FeatureSchema.Encoded e = pairs.encode(new int[] {3, 1}, new int[] {2, 5});
        assertArrayEquals(new long[] {3, 2, 1, 5}, e.ids());
        assertEquals(0, e.denseWidth());
        assertArrayEquals(new float[] {1f, 1f}, e.labels());
    }
}
