package dev.embtrain.training.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.embtrain.training.export.Neighbors.Table;
import dev.embtrain.training.export.Neighbors.TableNeighbor;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** feat2vec's search over every feature value: several tables searched as one. */
class NeighborsAcrossTablesTest {

    private static final double HALF_SQRT2 = 1 / Math.sqrt(2);

    /** Two vocabulary tables with an unknown row 0 and a dense group's table without one. */
    private static final List<Table> TABLES = List.of(
            new Table("id", new float[][] {{0, 0}, {1, 0}, {3, 4}}, List.of("<unk>", "5", "15"), Set.of(0)),
            new Table("y", new float[][] {{0, 0}, {4, 3}, {0, 1}}, List.of("<unk>", "0", "1"), Set.of(0)),
            new Table("attrs", new float[][] {{-2, 0}, {1, 1}}, List.of("attr1", "attr2"), Set.of()));

    @Test
    void handComputedOrderAndCosinesAcrossTables() {
        // id:5 = (1, 0): y:0 (4, 3) 4/5, attrs:attr2 (1, 1) 1/√2, id:15 (3, 4) 3/5, y:1 (0, 1) 0,
        // attrs:attr1 (−2, 0) −1; the unknown rows (cosine 0) are never answers.
        assertEquals(List.of(new TableNeighbor("y", 1, "0", 0.8), new TableNeighbor("attrs", 1, "attr2", HALF_SQRT2),
                        new TableNeighbor("id", 2, "15", 0.6), new TableNeighbor("y", 2, "1", 0.0),
                        new TableNeighbor("attrs", 0, "attr1", -1.0)),
                Neighbors.nearestAcross(TABLES, "id", 1, 10));
        // y:1 = (0, 1): id:15 4/5, attrs:attr2 1/√2, y:0 3/5, then id:5 and attrs:attr1 tie at 0
        // and the one earlier in the union (id before attrs) comes first.
        assertEquals(List.of(new TableNeighbor("id", 2, "15", 0.8), new TableNeighbor("attrs", 1, "attr2", HALF_SQRT2),
                        new TableNeighbor("y", 1, "0", 0.6), new TableNeighbor("id", 1, "5", 0.0)),
                Neighbors.nearestAcross(TABLES, "y", 2, 4));
        assertEquals("attrs:attr2", Neighbors.nearestAcross(TABLES, "y", 2, 2).get(1).qualifiedLabel());
    }

    @Test
    void qualifiedLabelsNameTheTableThenTheLabel() {
        assertArrayEquals(new int[] {1, 2}, Neighbors.findQualifiedLabel(TABLES, "y:1"));
        assertArrayEquals(new int[] {2, 1}, Neighbors.findQualifiedLabel(TABLES, "attrs:ATTR2"));
        // A label may hold colons; the table is the longest name the query starts with.
        List<Table> colons = List.of(
                new Table("a", new float[][] {{1, 0}, {0, 1}}, List.of("b:c", "x"), Set.of()),
                new Table("a:b", new float[][] {{1, 1}, {1, 2}}, List.of("c", "d"), Set.of()));
        assertArrayEquals(new int[] {1, 0}, Neighbors.findQualifiedLabel(colons, "a:b:c"));
        assertArrayEquals(new int[] {0, 1}, Neighbors.findQualifiedLabel(colons, "a:x"));
        assertEquals("\"genre:Drama\" does not name a table: write table:label with a table among [id, y, attrs]",
                assertThrows(IllegalArgumentException.class, () -> Neighbors.findQualifiedLabel(TABLES, "genre:Drama"))
                        .getMessage());
        assertEquals("no item labelled \"7\" in table y; closest labels: \"0\", \"1\", \"<unk>\"",
                assertThrows(IllegalArgumentException.class, () -> Neighbors.findQualifiedLabel(TABLES, "y:7"))
                        .getMessage());
    }

    @Test
    void refusesWhatCannotBeSearchedTogether() {
        List<Table> ragged = List.of(TABLES.get(0),
                new Table("w", new float[][] {{1, 2, 3}}, List.of("w1"), Set.of()));
        assertEquals("tables of different widths cannot be searched together: id has 2 columns, w 3",
                assertThrows(IllegalArgumentException.class, () -> Neighbors.nearestAcross(ragged, "id", 1, 3))
                        .getMessage());
        assertEquals("no table \"item\" among [id, y, attrs]",
                assertThrows(IllegalArgumentException.class, () -> Neighbors.nearestAcross(TABLES, "item", 1, 3))
                        .getMessage());
        assertEquals("row 0 of table id is excluded from the search, so it cannot be queried",
                assertThrows(IllegalArgumentException.class, () -> Neighbors.nearestAcross(TABLES, "id", 0, 3))
                        .getMessage());
        assertEquals("query must be a row index in [0, 2) of table attrs, found 2",
                assertThrows(IllegalArgumentException.class, () -> Neighbors.nearestAcross(TABLES, "attrs", 2, 3))
                        .getMessage());
        assertEquals("two tables are named id",
                assertThrows(IllegalArgumentException.class,
                        () -> Neighbors.nearestAcross(List.of(TABLES.get(0), TABLES.get(0)), "id", 1, 3)).getMessage());
        assertEquals("k must be > 0, found 0",
                assertThrows(IllegalArgumentException.class, () -> Neighbors.nearestAcross(TABLES, "id", 1, 0))
                        .getMessage());
        assertEquals("table y has 2 labels for 3 vectors",
                assertThrows(IllegalArgumentException.class,
                        () -> new Table("y", new float[][] {{0, 0}, {1, 0}, {0, 1}}, List.of("a", "b"), Set.of()))
                        .getMessage());
    }
}
