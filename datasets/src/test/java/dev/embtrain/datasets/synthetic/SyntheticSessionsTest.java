package dev.embtrain.datasets.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.datasets.retail.OnlineRetail;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticSessionsTest {

    private static int number(String id) {
        return Integer.parseInt(id.substring(1));
    }

    @Test
    void staySessionsKeepToOneClusterAndLengthsStayInBounds() {
        SyntheticSessions.Result r = SyntheticSessions.generate(new SyntheticSessions.Spec(30, 3, 200, 2, 5, 1.0, 7));
        assertEquals(200, r.sessions().size());
        for (OnlineRetail.Session s : r.sessions()) {
            int size = s.items().size();
            assertTrue(size >= 2 && size <= 5, s.toString());
            int cluster = SyntheticSessions.cluster(number(s.items().get(0)), 3);
            for (String id : s.items()) {
                int n = number(id);
                assertTrue(n >= 1 && n <= 30, id);
                assertEquals(cluster, SyntheticSessions.cluster(n, 3), s.toString());
            }
        }
        assertEquals("s1", r.sessions().get(0).key());
        assertEquals(30, r.labels().size());
        assertEquals("item 4 (cluster 0)", r.labels().get("i4"));
        assertEquals("item 30 (cluster 2)", r.labels().get("i30"));
    }

    @Test
    void clustersAreItemNumberModuloClusters() {
        assertEquals(0, SyntheticSessions.cluster(1, 3));
        assertEquals(1, SyntheticSessions.cluster(2, 3));
        assertEquals(0, SyntheticSessions.cluster(4, 3));
        assertEquals("i12", SyntheticSessions.id(12));
    }

    @Test
    void theShareOfInClusterItemsFollowsStay() {
        // stay 0.5 with 10 clusters: an item is in the session's cluster with p = 0.5 + 0.5 / 10.
        SyntheticSessions.Result r = SyntheticSessions.generate(new SyntheticSessions.Spec(100, 10, 2000, 10, 10, 0.5, 1));
        long same = 0;
        long all = 0;
        for (OnlineRetail.Session s : r.sessions()) {
            List<String> items = s.items();
            int[] perCluster = new int[10];
            for (String id : items) {
                perCluster[SyntheticSessions.cluster(number(id), 10)]++;
            }
            int max = 0;
            for (int c : perCluster) {
                max = Math.max(max, c);
            }
            same += max;
            all += items.size();
        }
        // The majority cluster is the session's own (at least as often as p = 0.55 says), 20,000 draws.
        double share = (double) same / all;
        assertTrue(share > 0.53 && share < 0.65, "share " + share);
    }

    @Test
    void theSameSpecGivesTheSameSessions() {
        SyntheticSessions.Spec spec = new SyntheticSessions.Spec(50, 5, 100, 3, 8, 0.8, 42);
        assertEquals(SyntheticSessions.generate(spec), SyntheticSessions.generate(spec));
        assertTrue(!SyntheticSessions.generate(spec).sessions().equals(SyntheticSessions.generate(
                new SyntheticSessions.Spec(50, 5, 100, 3, 8, 0.8, 43)).sessions()));
    }

    @Test
    void badSpecsNameTheValue() {
        assertEquals("clusters must be in [1, items = 5], found 6", assertThrows(IllegalArgumentException.class,
                () -> new SyntheticSessions.Spec(5, 6, 10, 2, 3, 0.5, 1)).getMessage());
        assertEquals("lengths must satisfy 1 <= min_length <= max_length, found 4, 3",
                assertThrows(IllegalArgumentException.class,
                        () -> new SyntheticSessions.Spec(5, 1, 10, 4, 3, 0.5, 1)).getMessage());
        assertEquals("stay must be in [0, 1], found 1.5", assertThrows(IllegalArgumentException.class,
                () -> new SyntheticSessions.Spec(5, 1, 10, 2, 3, 1.5, 1)).getMessage());
    }
}
