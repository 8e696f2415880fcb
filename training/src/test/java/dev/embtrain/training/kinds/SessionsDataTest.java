package dev.embtrain.training.kinds;

import dev.embtrain.training.train.Training;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.datasets.retail.OnlineRetail;
import dev.embtrain.training.config.EvaluationConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionsDataTest {

    private static final List<OnlineRetail.Session> SESSIONS = List.of(
            new OnlineRetail.Session("s1", List.of("a", "b", "c")),
            new OnlineRetail.Session("s2", List.of("b", "c")),
            new OnlineRetail.Session("s3", List.of("c")),
            new OnlineRetail.Session("s4", List.of("a", "a", "d", "b")));

    @Test
    void trainsOnEverySessionMinusItsLastItemWithMinCount() {
        SessionsData d = SessionsData.prepare("test", SESSIONS, Map.of("a", "A", "b", "B"), 2,
                new EvaluationConfig(1, 1, 42));
        // Training sessions: [a, b], [b], [], [a, a, d]; a 3 times, b twice, d once (< min_count 2);
        // c is only ever a last item, so it never trains.
        assertEquals(List.of("<unk>", "a", "b"), d.vocabulary().tokens());
        assertEquals(List.of("<unk>", "A", "B"), d.labels());
        assertArrayEquals(new int[][] {{1, 2}, {2}, {}, {1, 1, 0}}, d.train());
        assertArrayEquals(new long[] {0, 3, 2}, d.counts());
        assertEquals(5, d.trainingItems());
    }

    @Test
    void pairsAreSecondToLastThenLastOfDistinctSessions() {
        // Three sessions have two or more items: s1 (b -> c), s2 (b -> c) and s4 (d -> b).
        SessionsData d = SessionsData.prepare("test", SESSIONS, Map.of(), 1, new EvaluationConfig(2, 1, 5));
        List<Integer> used = new ArrayList<>();
        for (SessionsData.Pairs p : List.of(d.valid(), d.test())) {
            for (int i = 0; i < p.size(); i++) {
                int s = p.sessionIndices()[i];
                List<String> items = SESSIONS.get(s).items();
                assertEquals(d.vocabulary().index(items.get(items.size() - 2)), p.queries()[i]);
                assertEquals(d.vocabulary().index(items.get(items.size() - 1)), p.targets()[i]);
                used.add(s);
            }
        }
        assertEquals(2, d.valid().size());
        assertEquals(1, d.test().size());
        assertEquals(Set.of(0, 1, 3), new HashSet<>(used));
        // c trains only as s1's middle item: "c" is in the vocabulary (min_count 1), d too.
        assertEquals(List.of("<unk>", "a", "b", "d"), d.vocabulary().tokens());
        assertEquals(List.of("<unk>", "a", "b", "d"), d.labels());
    }

    @Test
    void theSeedFixesTheDraw() {
        List<OnlineRetail.Session> many = new ArrayList<>();
        for (int s = 0; s < 50; s++) {
            many.add(new OnlineRetail.Session("s" + s, List.of("x" + s, "y" + s)));
        }
        SessionsData one = SessionsData.prepare("t", many, Map.of(), 1, new EvaluationConfig(10, 10, 1));
        SessionsData same = SessionsData.prepare("t", many, Map.of(), 1, new EvaluationConfig(10, 10, 1));
        SessionsData other = SessionsData.prepare("t", many, Map.of(), 1, new EvaluationConfig(10, 10, 2));
        assertArrayEquals(one.valid().sessionIndices(), same.valid().sessionIndices());
        assertArrayEquals(one.test().sessionIndices(), same.test().sessionIndices());
        assertNotEquals(List.of(one.valid().sessionIndices()), List.of(other.valid().sessionIndices()));
        Set<Integer> valid = new HashSet<>();
        for (int s : one.valid().sessionIndices()) {
            valid.add(s);
        }
        for (int s : one.test().sessionIndices()) {
            assertTrue(!valid.contains(s), "session " + s + " is in both");
        }
        // Each session's last item y_s occurs nowhere else, so every target is unknown: a miss.
        assertArrayEquals(new int[10], one.test().targets());
    }

    @Test
    void tooFewSessionsIsAnError() {
        assertEquals("validation + test = 4 pairs need as many sessions of two or more items, but there are 3",
                assertThrows(IllegalArgumentException.class, () -> SessionsData.prepare("t", SESSIONS, Map.of(), 1,
                        new EvaluationConfig(2, 2, 1))).getMessage());
    }
}
