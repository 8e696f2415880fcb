package dev.embtrain.datasets.movielens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.split.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensFoldsTest {

    /** User 1 rates items 1-12, user 2 items 1-11, interleaved in file order. */
    private static List<String> uData() {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            lines.add("1\t" + i + "\t" + (i % 5 + 1) + "\t" + (100 + i));
            if (i <= 11) {
                lines.add("2\t" + (13 - i) + "\t3\t" + (200 + i));
            }
        }
        return lines;
    }

    @Test
    void writesTheSplitsAsMkuShDoes(@TempDir Path dir) throws Exception {
        List<String> data = uData();
        Files.write(dir.resolve("u.data"), data);
        assertFalse(MovieLensFolds.present(dir));
        MovieLensFolds.write(dir);
        assertTrue(MovieLensFolds.present(dir));
        // 23 lines: fifths of 4, the fifth fold takes the last 7; each file sorted by user, item.
        assertEquals(List.of("1\t1\t2\t101", "1\t2\t3\t102", "2\t11\t3\t202", "2\t12\t3\t201"),
                Files.readAllLines(dir.resolve("u1.test")));
        assertEquals(List.of("1\t9\t5\t109", "1\t10\t1\t110", "1\t11\t2\t111", "1\t12\t3\t112", "2\t2\t3\t211",
                "2\t3\t3\t210", "2\t4\t3\t209"), Files.readAllLines(dir.resolve("u5.test")));
        assertEquals(19, Files.readAllLines(dir.resolve("u1.base")).size());
        List<String> u3 = Files.readAllLines(dir.resolve("u3.base"));
        assertEquals("1\t1\t2\t101", u3.get(0));
        assertEquals("2\t12\t3\t201", u3.get(u3.size() - 1));
        // ua: each user's first ten ratings in file order; ub: the 11th to 20th.
        List<String> ua = Files.readAllLines(dir.resolve("ua.test"));
        assertEquals(20, ua.size());
        assertEquals(List.of("1\t11\t2\t111", "1\t12\t3\t112", "2\t2\t3\t211"), Files.readAllLines(dir.resolve("ub.test")));
        assertEquals(ua, Files.readAllLines(dir.resolve("ub.base")));
    }

    @Test
    void aSplitIsTheRowsOfUDataInItsBaseAndTestFiles(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("u.data"), uData());
        MovieLensFolds.write(dir);
        Split u1 = MovieLensFolds.split(dir, "u1");
        assertArrayEquals(new int[] {0, 1, 2, 3}, u1.valid());
        assertEquals(19, u1.train().length);
        assertEquals(4, u1.train()[0]);
        Split ub = MovieLensFolds.split(dir, "ub");
        assertArrayEquals(new int[] {20, 21, 22}, ub.valid());
        for (String name : MovieLensFolds.CROSS_VALIDATION) {
            assertEquals(23, MovieLensFolds.split(dir, name).size());
        }
        Files.write(dir.resolve("u2.test"), List.of("1\t99\t5\t1"));
        DataFormatException e = assertThrows(DataFormatException.class, () -> MovieLensFolds.split(dir, "u2"));
        assertEquals(dir.resolve("u2.test") + ":1: this rating is not in " + dir.resolve("u.data"), e.getMessage());
        Files.write(dir.resolve("u2.test"), List.of("1\t1\t2\t101"));
        e = assertThrows(DataFormatException.class, () -> MovieLensFolds.split(dir, "u2"));
        assertEquals(dir.resolve("u2.test") + ":1: this rating is in both u2.base and u2.test, or twice in one",
                e.getMessage());
    }
}
