package dev.embtrain.datasets.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {

    private static int[] labels(int zeros, int ones) {
        int[] y = new int[zeros + ones];
        // Interleave so that class rows are not contiguous.
        int z = 0;
        int o = 0;
        for (int i = 0; i < y.length; i++) {
            boolean one = o < ones && (z >= zeros || i % 3 == 1);
            y[i] = one ? 1 : 0;
            if (one) {
                o++;
            } else {
                z++;
            }
        }
        return y;
    }

    private static int count(int[] rows, int[] y, int label) {
        return (int) Arrays.stream(rows).filter(r -> y[r] == label).count();
    }

    @Test
    void exactCountsPerClass() {
        // 80 zeros: 12 valid, 12 test, 56 train. 20 ones: 3, 3, 14.
        int[] y = labels(80, 20);
        StratifiedSplit.Parts p = StratifiedSplit.split(y, 0.15, 0.15, 42);
        assertEquals(56, count(p.train(), y, 0));
        assertEquals(14, count(p.train(), y, 1));
        assertEquals(12, count(p.valid(), y, 0));
        assertEquals(3, count(p.valid(), y, 1));
        assertEquals(12, count(p.test(), y, 0));
        assertEquals(3, count(p.test(), y, 1));
        // 7 ones: 7 · 0.15 = 1.05 rounds to 1 each, 5 train. 13 zeros: 1.95 rounds to 2 each, 9 train.
        int[] small = labels(13, 7);
        StratifiedSplit.Parts q = StratifiedSplit.split(small, 0.15, 0.15, 1);
        assertEquals(new StratifiedSplit.Parts(new int[14], new int[3], new int[3]).toString(), q.toString());
        assertEquals(5, count(q.train(), small, 1));
        assertEquals(1, count(q.valid(), small, 1));
        assertEquals(1, count(q.test(), small, 1));
        assertEquals(2, count(q.valid(), small, 0));
    }

    @Test
    void partsAreSortedDisjointCompleteAndSeeded() {
        int[] y = labels(700, 300);
        StratifiedSplit.Parts a = StratifiedSplit.split(y, 0.15, 0.15, 7);
        int[] all = IntStream.concat(IntStream.concat(Arrays.stream(a.train()), Arrays.stream(a.valid())),
                Arrays.stream(a.test())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 1000).toArray(), all);
        for (int[] part : new int[][] {a.train(), a.valid(), a.test()}) {
            assertArrayEquals(Arrays.stream(part).sorted().toArray(), part);
        }
        StratifiedSplit.Parts b = StratifiedSplit.split(y, 0.15, 0.15, 7);
        assertArrayEquals(a.valid(), b.valid());
        assertArrayEquals(a.test(), b.test());
        StratifiedSplit.Parts c = StratifiedSplit.split(y, 0.15, 0.15, 8);
        assertFalse(Arrays.equals(a.valid(), c.valid()));
        assertTrue(a.valid().length == 150 && a.test().length == 150);
    }

    @Test
    void refusesBadFractionsAndTinyClasses() {
        assertEquals("validation and test fractions must be in (0, 1) and add up to less than 1, found 0.5 and 0.5",
                assertThrows(IllegalArgumentException.class, () -> StratifiedSplit.split(new int[10], 0.5, 0.5, 1))
                        .getMessage());
        assertEquals("class 1 has 2 rows: too few to keep one for training after 1 for validation and 1 for test",
                assertThrows(IllegalArgumentException.class,
                        () -> StratifiedSplit.split(new int[] {0, 0, 0, 0, 1, 1}, 0.3, 0.3, 1)).getMessage());
    }

    @Test
    void trainAndValidIsTheTrainingRowsThenTheValidationRows() {
        StratifiedSplit.Parts p = new StratifiedSplit.Parts(new int[] {0, 3, 5}, new int[] {1, 4}, new int[] {2});
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 3, 5, 1, 4}, p.trainAndValid());
    }
}
