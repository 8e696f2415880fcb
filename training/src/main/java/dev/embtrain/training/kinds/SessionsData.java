package dev.embtrain.training.kinds;

import dev.embtrain.datasets.features.Vocabulary;
import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.retail.OnlineRetail;
import dev.embtrain.datasets.sampling.SkipGram;
import dev.embtrain.datasets.synthetic.SyntheticSessions;
import dev.embtrain.datasets.io.TableFile;
import dev.embtrain.datasets.tables.PreparedParts;
import dev.embtrain.datasets.tables.PreparedSessions;
import dev.embtrain.datasets.tables.SessionsFile;
import dev.embtrain.datasets.tables.SideTable;
import dev.embtrain.training.config.ItemLabelsConfig;
import dev.embtrain.training.config.SessionsFileConfig;
import java.util.Locale;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.EvaluationConfig;
import dev.embtrain.training.config.OnlineRetailConfig;
import dev.embtrain.training.config.SessionsDatasetConfig;
import dev.embtrain.training.config.SyntheticSessionsConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Session data prepared for item2vec with the next-item protocol used with gensim on Online
 * Retail: {@code validation + test} distinct sessions of two or more items are drawn with a fixed
 * seed, each giving one (second-to-last, last) pair; every session trains without its last item;
 * the vocabulary holds the items seen at least {@code min_count} times in those training
 * sessions (index 0 = unknown, so an unknown query or target is a miss).
 *
 * @param source what the sessions came from, for the report
 * @param sessions all sessions as read
 * @param vocabulary items of the training sessions with count &gt;= min_count
 * @param labels a human label per vocabulary index (descriptions for Online Retail)
 * @param train the training sessions (each session minus its last item) as vocabulary indices
 * @param counts per vocabulary index, occurrences in {@code train}; index 0 is 0
 * @param valid the validation pairs
 * @param test the test pairs
 */
public record SessionsData(String source, List<OnlineRetail.Session> sessions, Vocabulary vocabulary,
        List<String> labels, int[][] train, long[] counts, Pairs valid, Pairs test) {

    /**
     * Next-item pairs: for each held-out session, its second-to-last item (the query) and last
     * item (the target), as vocabulary indices, 0 when not in the vocabulary.
     *
     * @param sessionIndices which session of {@link #sessions} each pair comes from
     * @param queries the queries
     * @param targets the targets
     */
    public record Pairs(int[] sessionIndices, int[] queries, int[] targets) {
        /**
         * Returns the number of pairs.
         *
         * @return the count
         */
        public int size() {
            return queries.length;
        }

        /**
         * Returns how many queries are not in the vocabulary.
         *
         * @return the count
         */
        public int unknownQueries() {
            int n = 0;
            for (int q : queries) {
                if (q == 0) {
                    n++;
                }
            }
            return n;
        }
    }

    /**
     * Reads the dataset a config names and applies the protocol.
     *
     * @param loaded the config, with locations for errors
     * @return the data
     * @throws IOException when reading fails
     */
    public static SessionsData load(ConfigLoader.Loaded loaded) throws IOException {
        SessionsDatasetConfig dataset = (SessionsDatasetConfig) loaded.config().dataset();
        Source read = DatasetTypes.of(dataset).sessions().read(loaded);
        String source = read.source();
        List<OnlineRetail.Session> sessions = read.sessions();
        Map<String, String> labels = read.labels();
        try {
            return prepare(source, sessions, labels, dataset.minCount(), dataset.evaluation());
        } catch (IllegalArgumentException e) {
            throw loaded.error("dataset.evaluation", e.getMessage());
        }
    }

    /**
     * Sessions as a dataset type reads them, before the evaluation protocol.
     *
     * @param source one line saying what was read
     * @param sessions the sessions, in order
     * @param labels each item's label (a description, a title)
     */
    public record Source(String source, List<OnlineRetail.Session> sessions, Map<String, String> labels) {}

    /**
     * Reads {@code dataset.type: online-retail}: the UCI file's rows grouped into sessions.
     *
     * @param loaded the config
     * @return the sessions
     * @throws IOException when reading fails
     */
    static Source readOnlineRetail(ConfigLoader.Loaded loaded) throws IOException {
        OnlineRetailConfig or = (OnlineRetailConfig) loaded.config().dataset();
        String unreadable = TableFile.unreadable(or.path());
        if (unreadable != null) {
            throw loaded.error("dataset.path", unreadable
                    + "; point it at the UCI Online Retail .xlsx, or a .csv or .csv.xz with its columns");
        }
        List<OnlineRetail.Row> rows = OnlineRetail.read(or.path());
        if (rows.isEmpty()) {
            throw new DataFormatException(or.path(), 0, "no rows");
        }
        List<OnlineRetail.Session> sessions = OnlineRetail.sessions(rows, or.options());
        if (sessions.isEmpty()) {
            throw new DataFormatException(or.path(), 0, String.format("no sessions left after dropping rows with"
                    + " an empty field and %s sessions of fewer than %d rows (dataset.min_rows); %,d rows were read",
                    or.by().name().toLowerCase(java.util.Locale.ROOT), or.options().minRows(), rows.size()));
        }
        return new Source(String.format("online-retail %s: %,d rows, sessions by %s", or.path(), rows.size(),
                or.by().name().toLowerCase(java.util.Locale.ROOT)), sessions, OnlineRetail.descriptions(rows));
    }

    /**
     * Reads {@code dataset.type: sessions}: a table of events or a text file of one session a line,
     * with item labels from a labels table, else from the label column, else none.
     *
     * @param loaded the config
     * @return the sessions of at least {@code min_length} items
     * @throws IOException when reading fails
     */
    static Source readFile(ConfigLoader.Loaded loaded) throws IOException {
        SessionsFileConfig c = (SessionsFileConfig) loaded.config().dataset();
        boolean prepared = PreparedParts.isPrepared(c.path());
        boolean text = !prepared && SessionsFile.isText(c.path());
        if (text) {
            String unreadable = TableFile.unreadable(c.path());
            if (unreadable != null) {
                throw loaded.error("dataset.path", unreadable);
            }
        } else if (!prepared) {
            RatingsData.checkTable(loaded, "dataset.path", c.path(), ", or .txt (.txt.gz) with one session a line");
        }
        SessionsFile.Columns columns = c.tableColumns();
        SessionsFile.Read read = prepared ? PreparedSessions.read(c.path(), columns)
                : text ? SessionsFile.readText(c.path()) : SessionsFile.read(c.path(), columns);
        List<OnlineRetail.Session> kept = new ArrayList<>();
        for (OnlineRetail.Session s : read.sessions()) {
            if (s.items().size() >= c.minLength()) {
                kept.add(s);
            }
        }
        if (kept.isEmpty()) {
            throw new DataFormatException(c.path(), 0, String.format(Locale.ROOT, "no sessions of %d or more items"
                    + " (dataset.min_length) among the %,d sessions read", c.minLength(), read.sessions().size()));
        }
        Map<String, String> labels = read.labels();
        ItemLabelsConfig l = c.labels();
        if (l != null) {
            RatingsData.checkTable(loaded, "dataset.labels.path", l.path());
            SideTable table = SideTable.read(l.path(), new SideTable.Columns(l.key(), List.of(), List.of(), "|",
                    l.label()));
            Map<String, String> joined = new HashMap<>();
            for (OnlineRetail.Session s : kept) {
                for (String item : s.items()) {
                    String label = table.label(item);
                    if (label != null) {
                        joined.putIfAbsent(item, label);
                    }
                }
            }
            labels = joined;
        }
        return new Source(String.format(Locale.ROOT, "sessions %s (%s): %,d rows, %,d sessions of %d or more items",
                c.path(), read.format(), read.rows(), kept.size(), c.minLength()), kept, labels);
    }

    /**
     * Generates {@code dataset.type: synthetic-sessions}.
     *
     * @param loaded the config
     * @return the sessions
     */
    static Source generateSessions(ConfigLoader.Loaded loaded) {
        SyntheticSessionsConfig s = (SyntheticSessionsConfig) loaded.config().dataset();
        SyntheticSessions.Result r = SyntheticSessions.generate(s.spec());
        return new Source(String.format("synthetic-sessions: %d items in %d clusters, stay %.2f", s.items(), s.clusters(),
                s.stay()), r.sessions(), r.labels());
    }

    /**
     * Applies the protocol to sessions.
     *
     * @param source what they came from
     * @param sessions the sessions
     * @param labels item id to label; ids without one are labelled by themselves
     * @param minCount the fewest training occurrences that earn a vector
     * @param evaluation how many pairs, and the seed
     * @return the data
     * @throws IllegalArgumentException when there are too few sessions of two or more items
     */
    public static SessionsData prepare(String source, List<OnlineRetail.Session> sessions, Map<String, String> labels,
            int minCount, EvaluationConfig evaluation) {
        List<Integer> eligible = new ArrayList<>();
        for (int s = 0; s < sessions.size(); s++) {
            if (sessions.get(s).items().size() >= 2) {
                eligible.add(s);
            }
        }
        int wanted = evaluation.validation() + evaluation.test();
        if (eligible.size() < wanted) {
            throw new IllegalArgumentException("validation + test = " + wanted + " pairs need as many sessions of two or"
                    + " more items, but there are " + eligible.size());
        }
        Collections.shuffle(eligible, new Random(evaluation.seed()));

        Map<String, Long> counts = new LinkedHashMap<>();
        for (OnlineRetail.Session session : sessions) {
            List<String> items = session.items();
            for (int i = 0; i < items.size() - 1; i++) {
                counts.merge(items.get(i), 1L, Long::sum);
            }
        }
        List<String> kept = new ArrayList<>();
        counts.forEach((item, n) -> {
            if (n >= minCount) {
                kept.add(item);
            }
        });
        Vocabulary vocabulary = Vocabulary.build(kept);
        int[][] train = new int[sessions.size()][];
        for (int s = 0; s < sessions.size(); s++) {
            List<String> items = sessions.get(s).items();
            int[] encoded = new int[Math.max(0, items.size() - 1)];
            for (int i = 0; i < encoded.length; i++) {
                encoded[i] = vocabulary.index(items.get(i));
            }
            train[s] = encoded;
        }
        List<String> itemLabels = new ArrayList<>(vocabulary.size());
        itemLabels.add(Vocabulary.UNKNOWN);
        for (int i = 1; i < vocabulary.size(); i++) {
            String id = vocabulary.token(i);
            itemLabels.add(labels.getOrDefault(id, id));
        }
        return new SessionsData(source, sessions, vocabulary, List.copyOf(itemLabels), train,
                SkipGram.counts(train, vocabulary.size()),
                pairs(sessions, vocabulary, eligible.subList(0, evaluation.validation())),
                pairs(sessions, vocabulary, eligible.subList(evaluation.validation(), wanted)));
    }

    private static Pairs pairs(List<OnlineRetail.Session> sessions, Vocabulary vocabulary, List<Integer> chosen) {
        int n = chosen.size();
        int[] index = new int[n];
        int[] queries = new int[n];
        int[] targets = new int[n];
        for (int p = 0; p < n; p++) {
            List<String> items = sessions.get(chosen.get(p)).items();
            index[p] = chosen.get(p);
            queries[p] = vocabulary.index(items.get(items.size() - 2));
            targets[p] = vocabulary.index(items.get(items.size() - 1));
        }
        return new Pairs(index, queries, targets);
    }

    /**
     * Returns the total number of items in the training sessions that are in the vocabulary.
     *
     * @return the count
     */
    public long trainingItems() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /**
     * Returns each vocabulary item's id (its StockCode for Online Retail), index 0 {@code <unk>}.
     *
     * @return the ids
     */
    public List<String> ids() {
        return vocabulary.tokens();
    }

    /**
     * Returns the labels as a map from id, for callers that index by id.
     *
     * @return id to label
     */
    Map<String, String> labelsById() {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            m.put(vocabulary.token(i), labels.get(i));
        }
        return m;
    }
}
