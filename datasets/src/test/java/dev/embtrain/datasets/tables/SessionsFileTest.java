package dev.embtrain.datasets.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.ParquetTable;
import dev.embtrain.datasets.io.TableFile;
import dev.embtrain.datasets.retail.OnlineRetail;
import dev.embtrain.datasets.synthetic.SyntheticSessions;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionsFileTest {

    private static final SessionsFile.Columns COLUMNS = new SessionsFile.Columns("visit", "product", "at", "title");

    @TempDir
    Path dir;

    private static List<String> render(List<OnlineRetail.Session> sessions) {
        List<String> out = new ArrayList<>();
        for (OnlineRetail.Session s : sessions) {
            out.add(s.key() + ": " + String.join(" ", s.items()));
        }
        return out;
    }

    @Test
    void groupsRowsBySessionInOrderOfFirstRowAndSortsEachByItsOrderColumn() throws Exception {
        // Rows interleaved as a log has them; b's rows are out of order, and b's two rows at 5 tie
        // (file order kept: y before z); order values mix positions, unix times and ISO times.
        Path csv = Files.writeString(dir.resolve("clicks.csv"), """
                title,at,visit,product
                Lamp,3,a,p1
                ,9,b,p2
                Mug,1,a,p3
                Desk,5,b,y
                ,5,b,z
                Cup,2,b,p1
                ,2026-01-05 09:00:00,c,p9
                ,2026-01-05T08:59:59Z,c,p8
                """);
        SessionsFile.Read r = SessionsFile.read(csv, COLUMNS);
        assertEquals(List.of("a: p3 p1", "b: p1 y z p2", "c: p8 p9"), render(r.sessions()));
        // The first non-empty label of each item: p1's is Lamp (line 2), not Cup.
        assertEquals(Map.of("p1", "Lamp", "p3", "Mug", "y", "Desk"), r.labels());
        assertEquals(8, r.rows());
        assertEquals("csv", r.format());

        // Without an order column, file order; without a label column, no labels.
        SessionsFile.Read plain = SessionsFile.read(csv, new SessionsFile.Columns("visit", "product", null, null));
        assertEquals(List.of("a: p1 p3", "b: p2 y z p1", "c: p9 p8"), render(plain.sessions()));
        assertEquals(Map.of(), plain.labels());
    }

    @Test
    void parquetTsvAndTextGiveTheSameSessionsAsCsv() throws Exception {
        SyntheticSessions.Spec spec = new SyntheticSessions.Spec(30, 3, 40, 2, 6, 0.8, 7);
        List<String> expected = render(SyntheticSessions.generate(spec).sessions());
        for (TableFile.Format format : TableFile.Format.values()) {
            Path d = dir.resolve(format.name());
            ExampleTables.WrittenSessions w = ExampleTables.writeSessions(spec, d, format, false);
            SessionsFile.Read r = SessionsFile.read(w.sessions(), new SessionsFile.Columns("session_id", "item_id",
                    "ts", null));
            assertEquals(expected, render(r.sessions()), format.name());
        }
        ExampleTables.WrittenSessions text = ExampleTables.writeSessions(spec, dir.resolve("txt"),
                TableFile.Format.CSV, true);
        assertEquals(dir.resolve("txt/sessions.txt"), text.sessions());
        List<String> lines = new ArrayList<>();
        for (OnlineRetail.Session s : SessionsFile.readText(text.sessions()).sessions()) {
            lines.add(String.join(" ", s.items()));
        }
        List<String> want = new ArrayList<>();
        for (String e : expected) {
            want.add(e.substring(e.indexOf(": ") + 2));
        }
        assertEquals(want, lines);
    }

    @Test
    void textIsOneSessionALineSplitOnWhiteSpaceSkippingBlankLines() throws Exception {
        Path gz = dir.resolve("s.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("a b  c\n\n   \n\td\te \n".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(SessionsFile.isText(gz));
        assertFalse(SessionsFile.isText(dir.resolve("s.csv")));
        SessionsFile.Read r = SessionsFile.readText(gz);
        assertEquals(List.of("line 1: a b c", "line 4: d e"), render(r.sessions()));
        assertEquals(5, r.rows());
        assertEquals("text", r.format());
    }

    @Test
    void mistakesNameTheFileLineAndColumn() throws Exception {
        Path csv = Files.writeString(dir.resolve("c.csv"), "visit,product\na,p1\n");
        DataFormatException missing = assertThrows(DataFormatException.class, () -> SessionsFile.read(csv, COLUMNS));
        assertEquals(csv + ":1: missing column \"at\"; found [visit, product]", missing.getMessage());
        Files.writeString(csv, "visit,product,at,title\na,p1,1,x\na,p2,soon,y\n");
        assertEquals(csv + ":3: column \"at\": \"soon\" is not a number or an ISO-8601 date-time",
                assertThrows(DataFormatException.class, () -> SessionsFile.read(csv, COLUMNS)).getMessage());
        Files.writeString(csv, "visit,product,at,title\na,,1,x\n");
        assertEquals(csv + ":2: column \"product\" is empty",
                assertThrows(DataFormatException.class, () -> SessionsFile.read(csv, COLUMNS)).getMessage());
        Files.writeString(csv, "visit,product,at,title\n");
        assertEquals(csv + ": no sessions: the file has a header and no rows",
                assertThrows(DataFormatException.class, () -> SessionsFile.read(csv, COLUMNS)).getMessage());
        Path text = Files.writeString(dir.resolve("e.txt"), "\n  \n");
        assertEquals(text + ": no sessions: the file has no non-blank line",
                assertThrows(DataFormatException.class, () -> SessionsFile.readText(text)).getMessage());
        Path parquet = dir.resolve("p.parquet");
        ParquetTable.write(parquet, List.of("visit", "product", "at", "title"), List.of(
                new Object[] {"a", "p1", "1", "x"}, new Object[] {"a", "p2", "later", "y"}));
        assertEquals(parquet + ": row group 1, row 2: column \"at\": \"later\" is not a number or an ISO-8601"
                + " date-time", assertThrows(DataFormatException.class, () -> SessionsFile.read(parquet, COLUMNS))
                .getMessage());
    }
}
