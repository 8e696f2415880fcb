package dev.embtrain.datasets.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SplitsTest {
    @Test
    void randomSplitHasRoundedSizesAndCoversEveryRowOnce() {
        Split split = Splits.random(1003, 0.2, 42);

        assertEquals(201, split.valid().length); // round(200.6)
        assertEquals(802, split.train().length);
        int[] all = IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.valid())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 1003).toArray(), all, "disjoint and complete");
        assertArrayEquals(Arrays.stream(split.train()).sorted().toArray(), split.train(), "ascending");
        assertArrayEquals(Arrays.stream(split.valid()).sorted().toArray(), split.valid(), "ascending");
    }

    @Test
    void randomSplitIsDeterministicForASeed() {
        Split a = Splits.random(500, 0.25, 7);
        Split b = Splits.random(500, 0.25, 7);
        Split c = Splits.random(500, 0.25, 8);

        assertArrayEquals(a.valid(), b.valid());
        assertArrayEquals(a.train(), b.train());
        assertFalse(Arrays.equals(a.valid(), c.valid()));
    }

    @Test
    void randomSplitValidationRowsAreSpreadOverTheFile() {
        // Not the first or last rows en bloc: a shuffled choice lands in every tenth of the file.
        int[] valid = Splits.random(10_000, 0.1, 1).valid();
        for (int tenth = 0; tenth < 10; tenth++) {
            int lo = tenth * 1000;
            long inTenth = Arrays.stream(valid).filter(r -> r >= lo && r < lo + 1000).count();
            assertEquals(100, inTenth, 40, "tenth " + tenth);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1.0, -0.1, 1.5, Double.NaN})
    void randomSplitRejectsFractionsOutsideTheOpenInterval(double fraction) {
        assertEquals("validation fraction must be in (0, 1), found " + fraction,
                assertThrows(IllegalArgumentException.class, () -> Splits.random(10, fraction, 1)).getMessage());
    }

    @Test
    void randomSplitRejectsAnEmptyPart() {
        assertEquals("validation fraction 0.01 of 10 rows leaves the validation part empty",
                assertThrows(IllegalArgumentException.class, () -> Splits.random(10, 0.01, 1)).getMessage());
    }

    @Test
    void leaveLastOutValidatesEachUsersLatestRating() {
        String[] users = {"ann", "bob", "ann", "cid", "ann", "bob", "bob", "dan", "dan"};
        long[] times = {100, 50, 300, 10, 200, 70, 70, 5, 4};
        // ann: latest is row 2 (300). bob: rows 5 and 6 tie at 70, the later row wins. cid: one rating, trains.
        // dan: row 7 (5) is later in time than row 8 (4).
        Split split = Splits.leaveLastOut(users, times);

        assertArrayEquals(new int[] {2, 6, 7}, split.valid());
        assertArrayEquals(new int[] {0, 1, 3, 4, 5, 8}, split.train());
    }

    @Test
    void leaveLastOutRejectsColumnsOfDifferentLengths() {
        assertEquals("users and timestamps differ in length: 2 and 1",
                assertThrows(IllegalArgumentException.class,
                        () -> Splits.leaveLastOut(new String[] {"a", "b"}, new long[] {1})).getMessage());
    }

    @Test
    void kFoldValidatesEveryRowOnceInPartsAsEqualAsCanBe() {
        int n = 23;
        int[] seen = new int[n];
        int[] sizes = new int[5];
        for (int f = 1; f <= 5; f++) {
            Split s = Splits.kFold(n, 5, f, 7);
            assertEquals(n, s.size());
            sizes[f - 1] = s.valid().length;
            for (int r : s.valid()) {
                seen[r]++;
            }
            for (int r : s.train()) {
                assertFalse(Arrays.stream(s.valid()).anyMatch(v -> v == r));
            }
            int[] sorted = s.train().clone();
            Arrays.sort(sorted);
            assertArrayEquals(sorted, s.train());
            assertArrayEquals(s.valid(), Splits.kFold(n, 5, f, 7).valid());
        }
        assertArrayEquals(new int[] {5, 5, 5, 4, 4}, sizes);
        assertArrayEquals(IntStream.generate(() -> 1).limit(n).toArray(), seen);
        assertFalse(Arrays.equals(Splits.kFold(n, 5, 1, 7).valid(), Splits.kFold(n, 5, 1, 8).valid()));
        assertEquals("k must be at least 2, found 1",
                assertThrows(IllegalArgumentException.class, () -> Splits.kFold(n, 1, 1, 7)).getMessage());
        assertEquals("fold must be 1 to 5, found 6",
                assertThrows(IllegalArgumentException.class, () -> Splits.kFold(n, 5, 6, 7)).getMessage());
        assertEquals("5 folds of 3 rows leave a fold empty",
                assertThrows(IllegalArgumentException.class, () -> Splits.kFold(3, 5, 1, 7)).getMessage());
    }
}
