package dev.embtrain.datasets.tables;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.retail.OnlineRetail;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A sessions table encoded by {@code embtrain spark prepare}: a directory that {@code dataset.path}
 * of {@code dataset.type: sessions} may name instead of a file.
 *
 * <pre>
 * prepared.properties    written last: format, source, rows, sessions, items, the column names
 * sessions/part-*.parquet index (int32, from 0), id (string): sessions in the order of their
 *                        first row
 * items/part-*.parquet   index, id, count (int64), label (string, null without one)
 * events/part-*.parquet  session, item (int32 indices): each session's items in order, the
 *                        sessions in index order, the parts in name order
 * </pre>
 *
 * <p>Reading it gives the same {@link SessionsFile.Read} as reading the input table would.
 */
public final class PreparedSessions {
    private PreparedSessions() {}

    /** The manifest's {@code format} value. */
    public static final String FORMAT = "embtrain-prepared-sessions-1";

    /**
     * Writes the manifest.
     *
     * @param dir the prepared directory
     * @param source the input it was prepared from
     * @param rows events
     * @param sessions distinct sessions
     * @param items distinct items
     * @param columns the input's column names
     * @throws IOException when it cannot be written
     */
    public static void writeManifest(Path dir, String source, long rows, long sessions, long items,
            SessionsFile.Columns columns) throws IOException {
        PreparedParts.writeManifest(dir, FORMAT, source, rows, Map.of("sessions", sessions, "items", items),
                roles(columns));
    }

    /** The columns by role, in the order messages name them. */
    private static Map<String, String> roles(SessionsFile.Columns c) {
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put("session", c.session());
        roles.put("item", c.item());
        roles.put("order", c.order());
        roles.put("label", c.label());
        return roles;
    }

    /**
     * Reads a prepared directory.
     *
     * @param dir the directory
     * @param columns the columns the config names, which must be those it was prepared with
     * @return the sessions, in the order of their first row, and the labels of the items that
     *     have one; format {@code prepared}
     * @throws DataFormatException when the manifest is not one, the columns differ, or a part is
     *     missing, mistyped, out of order or holds an index outside its vocabulary
     * @throws IOException when a file cannot be read
     */
    public static SessionsFile.Read read(Path dir, SessionsFile.Columns columns) throws IOException {
        Path manifest = dir.resolve(PreparedParts.MANIFEST);
        Properties p = PreparedParts.manifest(dir, FORMAT, roles(columns));
        String[] keys = PreparedParts.vocabulary(dir, "sessions", Long.parseLong(p.getProperty("sessions")));
        String[] items = new String[Math.toIntExact(Long.parseLong(p.getProperty("items")))];
        Map<String, String> labels = new HashMap<>();
        for (Path part : PreparedParts.parts(dir.resolve("items"))) {
            PreparedParts.columns(part, List.of("index", "id", "label?"), (r, c) -> {
                String id = r[1].getBinary().toStringUsingUTF8();
                PreparedParts.put(items, r[0].getInteger(), id, part);
                if (!PreparedParts.isNull(r[2], c[2])) {
                    labels.put(id, r[2].getBinary().toStringUsingUTF8());
                }
            });
        }
        PreparedParts.complete(items, dir.resolve("items"));
        List<OnlineRetail.Session> sessions = new ArrayList<>(keys.length);
        List<String> current = new ArrayList<>();
        int[] session = {-1};
        long[] rows = {0};
        for (Path part : PreparedParts.parts(dir.resolve("events"))) {
            PreparedParts.columns(part, List.of("session", "item"), (r, c) -> {
                int s = r[0].getInteger();
                int item = r[1].getInteger();
                if (s != session[0]) {
                    if (s != session[0] + 1 || s >= keys.length) {
                        throw new DataFormatException(part, 0, "session " + s + " follows session " + session[0]
                                + "; expected " + (session[0] + 1) + " of " + keys.length);
                    }
                    if (session[0] >= 0) {
                        sessions.add(new OnlineRetail.Session(keys[session[0]], Arrays.asList(current.toArray(
                                String[]::new))));
                    }
                    current.clear();
                    session[0] = s;
                }
                if (item < 0 || item >= items.length) {
                    throw new DataFormatException(part, 0, "item index " + item + " is outside the " + items.length
                            + " entries of its vocabulary");
                }
                current.add(items[item]);
                rows[0]++;
            });
        }
        if (session[0] >= 0) {
            sessions.add(new OnlineRetail.Session(keys[session[0]], Arrays.asList(current.toArray(String[]::new))));
        }
        if (sessions.size() != keys.length || rows[0] != Long.parseLong(p.getProperty("rows"))) {
            throw new DataFormatException(manifest, 0, "names " + keys.length + " sessions of "
                    + p.getProperty("rows") + " rows, the parts hold " + sessions.size() + " of " + rows[0]);
        }
        return new SessionsFile.Read(Collections.unmodifiableList(sessions), Collections.unmodifiableMap(labels),
                rows[0], "prepared");
    }
}
