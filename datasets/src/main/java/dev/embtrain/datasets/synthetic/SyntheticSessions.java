package dev.embtrain.datasets.synthetic;

import dev.embtrain.datasets.retail.OnlineRetail;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates purchase sessions with known structure, for item2vec tests and a demo that needs no
 * download: items fall into latent clusters (item i, 1-based, is in cluster (i - 1) mod
 * {@code clusters}), each session picks a cluster, and each of its items comes from that cluster
 * with probability {@code stay}, else from any item. Within a cluster and overall, items are
 * drawn uniformly. So the items that follow an item are mostly its cluster mates, which an
 * embedding trained on the sessions must learn to rank first, while popularity carries almost no
 * signal: a next-item Recall@10 well above the popularity baseline measures that it did.
 *
 * <p>Item ids are {@code "i<number>"} and labels {@code "item <number> (cluster <c>)"}.
 */
public final class SyntheticSessions {

    /**
     * What to generate.
     *
     * @param items number of items, &gt;= 1
     * @param clusters number of clusters, in [1, items]
     * @param sessions number of sessions, &gt;= 1
     * @param minLength the shortest session, &gt;= 1
     * @param maxLength the longest session, &gt;= minLength
     * @param stay probability in [0, 1] that an item comes from the session's cluster
     * @param seed the generator's seed
     */
    public record Spec(int items, int clusters, int sessions, int minLength, int maxLength, double stay, long seed) {
        /** Validates the spec. */
        public Spec {
            if (items < 1) {
                throw new IllegalArgumentException("items must be > 0, found " + items);
            }
            if (clusters < 1 || clusters > items) {
                throw new IllegalArgumentException("clusters must be in [1, items = " + items + "], found " + clusters);
            }
            if (sessions < 1) {
                throw new IllegalArgumentException("sessions must be > 0, found " + sessions);
            }
            if (minLength < 1 || maxLength < minLength) {
                throw new IllegalArgumentException("lengths must satisfy 1 <= min_length <= max_length, found "
                        + minLength + ", " + maxLength);
            }
            if (!(stay >= 0 && stay <= 1)) {
                throw new IllegalArgumentException("stay must be in [0, 1], found " + stay);
            }
        }
    }

    /**
     * The generated data.
     *
     * @param sessions the sessions, keyed {@code "s<number>"}
     * @param labels a label per item id, in id order
     */
    public record Result(List<OnlineRetail.Session> sessions, Map<String, String> labels) {}

    private SyntheticSessions() {}

    /**
     * Returns the id of item {@code i} (1-based).
     *
     * @param i the item number
     * @return its id
     */
    public static String id(int i) {
        return "i" + i;
    }

    /**
     * Returns the cluster of item {@code i} (1-based).
     *
     * @param i the item number
     * @param clusters the number of clusters
     * @return its cluster, in [0, clusters)
     */
    public static int cluster(int i, int clusters) {
        return (i - 1) % clusters;
    }

    /**
     * Generates sessions; the same spec always gives the same sessions.
     *
     * @param spec what to generate
     * @return the sessions and item labels
     */
    public static Result generate(Spec spec) {
        SplittableRandom random = new SplittableRandom(spec.seed());
        int[][] members = new int[spec.clusters()][];
        for (int c = 0; c < spec.clusters(); c++) {
            List<Integer> m = new ArrayList<>();
            for (int i = c + 1; i <= spec.items(); i += spec.clusters()) {
                m.add(i);
            }
            members[c] = m.stream().mapToInt(Integer::intValue).toArray();
        }
        List<OnlineRetail.Session> sessions = new ArrayList<>(spec.sessions());
        for (int s = 0; s < spec.sessions(); s++) {
            int cluster = random.nextInt(spec.clusters());
            int length = spec.minLength() + random.nextInt(spec.maxLength() - spec.minLength() + 1);
            List<String> items = new ArrayList<>(length);
            for (int j = 0; j < length; j++) {
                int item = random.nextDouble() < spec.stay()
                        ? members[cluster][random.nextInt(members[cluster].length)]
                        : 1 + random.nextInt(spec.items());
                items.add(id(item));
            }
            sessions.add(new OnlineRetail.Session("s" + (s + 1), items));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 1; i <= spec.items(); i++) {
            labels.put(id(i), "item " + i + " (cluster " + cluster(i, spec.clusters()) + ")");
        }
        return new Result(List.copyOf(sessions), java.util.Collections.unmodifiableMap(labels));
    }
}
