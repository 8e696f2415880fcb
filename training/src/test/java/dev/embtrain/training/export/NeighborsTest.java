package dev.embtrain.training.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.embtrain.training.export.Neighbors.Neighbor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NeighborsTest {

    /** Row 0 is the unknown row; the others are chosen so every cosine is an exact fraction. */
    private static final float[][] VECTORS = {{0, 0}, {1, 0}, {3, 4}, {4, 3}, {-2, 0}};
    private static final List<String> LABELS = List.of("<unk>", "q", "a", "b", "c");

    @Test
    void handComputedCosines() {
        // q = (1, 0): cos to (4, 3) = 4/5, to (3, 4) = 3/5, to (-2, 0) = -2/2.
        assertEquals(List.of(new Neighbor(3, "b", 0.8), new Neighbor(2, "a", 0.6), new Neighbor(4, "c", -1.0)),
                Neighbors.nearest(VECTORS, LABELS, 1, 10, Set.of(0)));
        // a = (3, 4): to (4, 3) = 24/25, to (1, 0) = 3/5, to (-2, 0) = -6/10.
        assertEquals(List.of(new Neighbor(3, "b", 0.96), new Neighbor(1, "q", 0.6)),
                Neighbors.nearest(VECTORS, LABELS, 2, 2, Set.of(0)));
    }

    @Test
    void zeroVectorHasCosineZeroNeverNaN() {
        // Without the exclusion the zero row 0 ranks between a positive and a negative cosine.
        assertEquals(List.of(new Neighbor(3, "b", 0.8), new Neighbor(2, "a", 0.6),
                        new Neighbor(0, "<unk>", 0.0), new Neighbor(4, "c", -1.0)),
                Neighbors.nearest(VECTORS, LABELS, 1, 4, Set.of()));
        // A zero query is equally far from everything, so index order decides.
        assertEquals(List.of(new Neighbor(1, "q", 0.0), new Neighbor(2, "a", 0.0), new Neighbor(3, "b", 0.0)),
                Neighbors.nearest(VECTORS, LABELS, 0, 3, Set.of()));
    }

    @Test
    void tiesGoToTheLowerIndexEvenWhenTheyArriveLate() {
        float[][] v = {{1, 0}, {0, 1}, {2, 0}, {0, 3}, {5, 0}, {0.5f, 0}, {0, -1}};
        List<String> labels = List.of("x0", "y1", "x2", "y3", "x4", "x5", "n6");
        assertEquals(List.of(new Neighbor(2, "x2", 1.0), new Neighbor(4, "x4", 1.0)),
                Neighbors.nearest(v, labels, 0, 2, Set.of()));
        assertEquals(List.of(new Neighbor(3, "y3", 1.0), new Neighbor(0, "x0", 0.0), new Neighbor(2, "x2", 0.0)),
                Neighbors.nearest(v, labels, 1, 3, Set.of()));
    }

    @Test
    void heapAgreesWithAFullSort() {
        Random random = new Random(42);
        float[][] v = new float[500][8];
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < 8; j++) {
                // Few distinct values, so many rows share a cosine and tie-breaking is exercised.
                v[i][j] = random.nextInt(3) - 1;
            }
            labels.add("r" + i);
        }
        for (int query : new int[] {0, 17, 499}) {
            List<Neighbor> all = Neighbors.nearest(v, labels, query, 10_000, Set.of(3));
            assertEquals(498, all.size()); // less the query and excluded row 3
            List<Neighbor> sorted = new ArrayList<>(all);
            sorted.sort(Comparator.comparingDouble(Neighbor::cosine).reversed().thenComparingInt(Neighbor::index));
            // Compare indices (the cosines are in the records) to keep a failure message readable.
            assertEquals(sorted.stream().map(Neighbor::index).toList(), all.stream().map(Neighbor::index).toList());
            assertEquals(sorted, all);
            for (int k : new int[] {1, 7, 50}) {
                assertEquals(all.subList(0, k), Neighbors.nearest(v, labels, query, k, Set.of(3)));
            }
        }
    }

    @Test
    void hundredThousandRowsTakeWellUnderASecond() {
        Random random = new Random(7);
        float[][] v = new float[100_000][64];
        List<String> labels = new ArrayList<>(v.length);
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < 64; j++) {
                v[i][j] = (float) random.nextGaussian();
            }
            labels.add("r" + i);
        }
        for (int j = 0; j < 64; j++) {
            v[99_999][j] = 2 * v[5][j]; // parallel to row 5, so its nearest neighbour
        }
        // A guard against a quadratic search, not a benchmark: shared 2-core CI machines vary 10x.
        List<Neighbor> top = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> Neighbors.nearest(v, labels, 5, 10, Set.of(0)));
        assertEquals(10, top.size());
        assertEquals(99_999, top.get(0).index());
        assertEquals(1.0, top.get(0).cosine(), 1e-12);
    }

    @Test
    void badArgumentsAreNamed() {
        assertMessage("k must be > 0, found 0", () -> Neighbors.nearest(VECTORS, LABELS, 1, 0, Set.of()));
        assertMessage("query must be a row index in [0, 5), found 5",
                () -> Neighbors.nearest(VECTORS, LABELS, 5, 3, Set.of()));
        assertMessage("excluded index must be in [0, 5), found -1",
                () -> Neighbors.nearest(VECTORS, LABELS, 1, 3, Set.of(-1)));
        assertMessage("there are 2 labels for 5 vectors",
                () -> Neighbors.nearest(VECTORS, List.of("a", "b"), 1, 3, Set.of()));
        assertMessage("row 2 has 1 values, expected 2 like the query row",
                () -> Neighbors.nearest(new float[][] {{1, 0}, {1, 1}, {1}}, List.of("a", "b", "c"), 0, 3, Set.of()));
        assertMessage("row 1 holds a NaN or infinite value",
                () -> Neighbors.nearest(new float[][] {{1, 0}, {Float.NaN, 1}}, List.of("a", "b"), 0, 3, Set.of()));
    }

    private static final List<String> TITLES = List.of("<unknown>", "Toy Story (1995)", "Star Wars (1977)",
            "Heat (1995)", "Star Trek: Generations (1994)", "Stargate (1994)", "Starman (1984)",
            "Return of the Jedi (1983)", "Star Kid (1997)", "STAR WARS", "star warts (2001)");

    @Test
    void findLabelPrefersExactThenCaseInsensitiveThenFirst() {
        assertEquals(2, Neighbors.findLabel(TITLES, "Star Wars (1977)"));
        assertEquals(9, Neighbors.findLabel(TITLES, "STAR WARS"));
        assertEquals(9, Neighbors.findLabel(TITLES, "star wars"));
        assertEquals(2, Neighbors.findLabel(TITLES, "star wars (1977)"));
        assertEquals(1, Neighbors.findLabel(List.of("heat", "Heat", "Heat"), "Heat"));
        assertEquals(0, Neighbors.findLabel(List.of("heat", "HEAT"), "Heat"));
    }

    @Test
    void unknownLabelSuggestsTheClosestWordForWord() {
        // Case-insensitive distances to "star warz": "STAR WARS" 1, "Star Wars (1977)" 8, then
        // four labels at 9, of which label order keeps "<unknown>", "Heat (1995)", "Starman (1984)".
        assertMessage("no item labelled \"Star Warz\" in table item; closest labels: \"STAR WARS\", "
                        + "\"Star Wars (1977)\", \"<unknown>\", \"Heat (1995)\", \"Starman (1984)\"",
                () -> Neighbors.findLabel(TITLES, "Star Warz", "item"));
        assertMessage("no item labelled \"Heet\"; closest labels: \"Heat\", \"Up\"",
                () -> Neighbors.findLabel(List.of("Heat", "Up"), "Heet"));
        assertMessage("no item labelled \"Heat\" in table item; the table has no labels",
                () -> Neighbors.findLabel(List.of(), "Heat", "item"));
    }

    @Test
    void levenshteinDistances() {
        assertEquals(0, dev.embtrain.training.text.EditDistance.levenshtein("", ""));
        assertEquals(3, dev.embtrain.training.text.EditDistance.levenshtein("", "abc"));
        assertEquals(3, dev.embtrain.training.text.EditDistance.levenshtein("kitten", "sitting"));
        assertEquals(2, dev.embtrain.training.text.EditDistance.levenshtein("flaw", "lawn"));
    }

    private static void assertMessage(String expected, Runnable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call::run).getMessage());
    }
}
