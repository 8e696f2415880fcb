package dev.embtrain.datasets.movielens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.embtrain.datasets.features.FeatureSchema;
import dev.embtrain.datasets.features.FeatureSpec;
import dev.embtrain.models.shared.HashedCross;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SideTablesTest {

    private static final String COMEDY_DRAMA = "0|0|0|0|0|1|0|0|1|0|0|0|0|0|0|0|0|0|0";

    @Test
    void tablesWrittenAndReadEncodePairsAsTheDataDid(@TempDir Path dir) throws Exception {
        // User 3 rates but has no u.user line: its side values are unknown.
        Files.writeString(dir.resolve("u.data"), "1\t1\t5\t10\n3\t1\t3\t11\n1\t2\t4\t12\n");
        Files.writeString(dir.resolve("u.user"), "1|24|M|technician|85711\n");
        Files.writeString(dir.resolve("u.item"), "1|Toy Story (1995)|01-Jan-1995||http://x|" + COMEDY_DRAMA + "\n"
                + "2|Nothing (1996)|||http://y|" + COMEDY_DRAMA.replace('1', '0') + "\n");
        MovieLensFeatures source = MovieLensFeatures.read(MovieLens.read(dir, ItemKey.ID), dir, ItemKey.ID);
        FeatureSpec spec = new FeatureSpec(List.of("user", "item", "age", "gender", "genres", "year"),
                List.of(new HashedCross("user_x_genres", List.of("user", "genres"), 100),
                        new HashedCross("age_x_year", List.of("age", "year"), 100)), FeatureSpec.Label.RATING);
        int[] rows = {0, 1, 2};
        FeatureSchema schema = FeatureSchema.build(spec, source, rows);
        SideTables tables = SideTables.collect(source, schema, rows);
        tables.write(dir.resolve("features"));
        assertEquals(List.of("key\tage\tgender", "1\t18-24\tM", "3\t<unk>\t<unk>"),
                Files.readAllLines(dir.resolve("features").resolve(SideTables.USERS)));
        assertEquals(List.of("key\tgenres\tyear", "1\tComedy|Drama\t1995", "2\t\t1996"),
                Files.readAllLines(dir.resolve("features").resolve(SideTables.ITEMS)));

        SideTables read = SideTables.read(dir.resolve("features"));
        assertEquals(tables, read);
        FeatureSchema.Encoded fromData = schema.encode(source, rows);
        FeatureSchema.Encoded fromTables = schema.encode(read.pairs(List.of("1", "3", "1"), List.of("1", "1", "2")),
                new int[] {0, 1, 2});
        assertArrayEquals(fromData.ids(), fromTables.ids());
        assertArrayEquals(fromData.dense(), fromTables.dense());
    }
}
