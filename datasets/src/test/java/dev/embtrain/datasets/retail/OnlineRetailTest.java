package dev.embtrain.datasets.retail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.retail.OnlineRetail.Options;
import dev.embtrain.datasets.retail.OnlineRetail.Row;
import dev.embtrain.datasets.retail.OnlineRetail.Session;
import dev.embtrain.datasets.retail.OnlineRetail.SessionBy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class OnlineRetailTest {
    /** The shared copy, relative to the datasets module (the repository's parent holds shared/). */
    private static final Path SHARED = Path.of("../../shared/data/online-retail/online_retail.csv.xz");

    private static final String HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

    /** Lines 2-12: one customer without an ID, one empty Description, a cancellation, a zero and a negative quantity. */
    private static final String TINY = HEADER + "\n"
            + "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n"
            + "536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom\n"
            + "536366,22633,\"HAND WARMER, UNION JACK\",6,2010-12-01 08:28:00,1.85,17850.0,United Kingdom\n"
            + "536367,84879,,32,2010-12-01 08:34:00,1.69,13047.0,United Kingdom\n"
            + "536368,22960,JAM MAKING SET WITH JARS,6,2010-12-01 08:34:00,4.25,,United Kingdom\n"
            + "C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,17850.0,United Kingdom\n"
            + "536370,22728,ALARM CLOCK BAKELIKE PINK,0,2010-12-01 08:45:00,3.75,12583.0,France\n"
            + "536370,22727,ALARM CLOCK BAKELIKE RED ,24,2010-12-01 08:45:00,3.75,12583.0,France\n"
            + "536370,22726,ALARM CLOCK BAKELIKE GREEN,12,2010-12-01 08:45:00,3.75,12583.0,France\n"
            + "536371,22086,PAPER CHAIN KIT 50'S CHRISTMAS ,80,2010-12-01 09:00:00,2.55,13047.0,United Kingdom\n"
            + "536372,84879,ASSORTED COLOUR BIRD ORNAMENT,-2,2010-12-01 09:01:00,1.69,13047.0,United Kingdom\n";

    @TempDir
    Path dir;

    @Test
    void readsTheWholeDataSetAndReproducesThePublishedCounts() throws IOException {
        Assumptions.assumeTrue(Files.exists(SHARED), "no shared copy at " + SHARED.toAbsolutePath());
        long start = System.nanoTime();
        List<Row> rows = OnlineRetail.read(SHARED);
        long readMs = (System.nanoTime() - start) / 1_000_000;
        Set<String> invoices = new HashSet<>();
        Set<String> stockCodes = new HashSet<>();
        Set<String> customers = new HashSet<>();
        Set<String> countries = new HashSet<>();
        long quantity = 0;
        for (Row row : rows) {
            invoices.add(row.invoice());
            stockCodes.add(row.stockCode());
            if (!row.customerId().isEmpty()) {
                customers.add(row.customerId());
            }
            countries.add(row.country());
            quantity += row.quantity();
        }
        assertEquals(541_909, rows.size());
        assertEquals(25_900, invoices.size());
        assertEquals(4_070, stockCodes.size());
        assertEquals(4_372, customers.size());
        assertEquals(38, countries.size());
        assertEquals(5_176_450, quantity);

        start = System.nanoTime();
        List<Session> sessions = OnlineRetail.sessions(rows, Options.COMMON);
        long sessionMs = (System.nanoTime() - start) / 1_000_000;
        Set<String> products = new HashSet<>();
        long items = 0;
        for (Session session : sessions) {
            items += session.items().size();
            products.addAll(session.items());
        }
        assertEquals(4_234, sessions.size());
        assertEquals(406_632, items);
        assertEquals(3_684, products.size());
        assertEquals("WHITE HANGING HEART T-LIGHT HOLDER", OnlineRetail.descriptions(rows).get("85123A"));
        System.out.printf("OnlineRetail: read %,d rows from %s in %d ms; %,d sessions in %d ms%n",
                rows.size(), SHARED.getFileName(), readMs, sessions.size(), sessionMs);
    }

    @Test
    void parsesEveryField() throws IOException {
        List<Row> rows = OnlineRetail.read(write("tiny.csv", TINY));
        assertEquals(11, rows.size());
        assertEquals(new Row("536365", "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 6,
                LocalDateTime.of(2010, 12, 1, 8, 26), 2.55, "17850", "United Kingdom"), rows.get(0));
        assertEquals("HAND WARMER, UNION JACK", rows.get(2).description());
        assertEquals("", rows.get(3).description());
        assertEquals("", rows.get(4).customerId());
        Row cancelled = rows.get(5);
        assertTrue(cancelled.cancelled());
        assertEquals(-1, cancelled.quantity());
        assertEquals("ALARM CLOCK BAKELIKE RED ", rows.get(7).description(), "trailing spaces are data");
        assertEquals(LocalDateTime.of(2010, 12, 1, 9, 1), rows.get(10).date());
    }

    @Test
    void readsCsvCompressedWithXz() throws IOException {
        Path file = dir.resolve("tiny.csv.xz");
        try (OutputStream out = new XZOutputStream(Files.newOutputStream(file), new LZMA2Options())) {
            out.write(TINY.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(OnlineRetail.read(write("tiny.csv", TINY)), OnlineRetail.read(file));
    }

    @Test
    void commonProtocolGroupsByCustomerInFileOrder() throws IOException {
        List<Row> rows = OnlineRetail.read(write("tiny.csv", TINY));
        // 13047 keeps 2 rows (its empty Description is dropped), below minRows 3; the row without
        // a CustomerID is dropped; the cancellation and the zero quantity stay.
        assertEquals(List.of(
                        new Session("17850", List.of("85123A", "71053", "22633", "D")),
                        new Session("12583", List.of("22728", "22727", "22726"))),
                OnlineRetail.sessions(rows, Options.COMMON));
    }

    @Test
    void flagsDropCancellationsAndNonPositiveQuantities() throws IOException {
        List<Row> rows = OnlineRetail.read(write("tiny.csv", TINY));
        assertEquals(List.of(
                        new Session("17850", List.of("85123A", "71053", "22633")),
                        new Session("12583", List.of("22728", "22727", "22726"))),
                OnlineRetail.sessions(rows, new Options(SessionBy.CUSTOMER, true, false, 3)));
        // Sessions come in the order of their first kept row: 13047's first row has no Description.
        assertEquals(List.of(
                        new Session("17850", List.of("85123A", "71053", "22633")),
                        new Session("12583", List.of("22727", "22726")),
                        new Session("13047", List.of("22086"))),
                OnlineRetail.sessions(rows, new Options(SessionBy.CUSTOMER, false, true, 1)));
        assertEquals(List.of(new Session("17850", List.of("85123A", "71053", "22633"))),
                OnlineRetail.sessions(rows, new Options(SessionBy.CUSTOMER, true, true, 3)));
    }

    @Test
    void sessionsByInvoiceWithMinRows() throws IOException {
        List<Row> rows = OnlineRetail.read(write("tiny.csv", TINY));
        List<Session> all = OnlineRetail.sessions(rows, new Options(SessionBy.INVOICE, false, false, 1));
        List<String> keys = new ArrayList<>();
        all.forEach(s -> keys.add(s.key()));
        assertEquals(List.of("536365", "536366", "C536379", "536370", "536371", "536372"), keys);
        assertEquals(List.of(
                        new Session("536365", List.of("85123A", "71053")),
                        new Session("536370", List.of("22728", "22727", "22726"))),
                OnlineRetail.sessions(rows, new Options(SessionBy.INVOICE, false, false, 2)));
        assertEquals(List.of(
                        new Session("536365", List.of("85123A", "71053")),
                        new Session("536370", List.of("22727", "22726"))),
                OnlineRetail.sessions(rows, new Options(SessionBy.INVOICE, true, true, 2)));
    }

    @Test
    void descriptionsTakeTheFirstNonEmptyOne() throws IOException {
        Map<String, String> labels = OnlineRetail.descriptions(OnlineRetail.read(write("tiny.csv", TINY)));
        assertEquals("ASSORTED COLOUR BIRD ORNAMENT", labels.get("84879"));
        assertEquals("JAM MAKING SET WITH JARS", labels.get("22960"));
        assertEquals(10, labels.size());
        assertEquals("85123A", labels.keySet().iterator().next());
    }

    @Test
    void optionsRejectBadValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Options(SessionBy.CUSTOMER, false, false, 0));
        assertEquals("minRows must be >= 1, found 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Options(null, false, false, 3));
        assertEquals("by must be one of [CUSTOMER, INVOICE], found null", e.getMessage());
    }

    @Test
    void badQuantityNamesFileLineAndField() throws IOException {
        Path file = write("bad.csv", HEADER + "\n"
                + "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n"
                + "536365,71053,WHITE METAL LANTERN,x,2010-12-01 08:26:00,3.39,17850.0,United Kingdom\n");
        assertError(file + ":3: Quantity \"x\" is not a whole number", file);
        file = write("bad2.csv", HEADER + "\n536365,71053,\"WHITE, METAL\",6.5,2010-12-01 08:26:00,3.39,,UK\n");
        assertError(file + ":2: Quantity \"6.5\" is not a whole number", file);
    }

    @Test
    void badDateNamesFileLineAndField() throws IOException {
        Path file = write("bad.csv", HEADER + "\n"
                + "536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850.0,United Kingdom\n");
        assertError(file + ":2: InvoiceDate \"12/1/2010 8:26\" is not a date and time yyyy-MM-dd HH:mm:ss", file);
        file = write("bad2.csv", HEADER + "\n"
                + "536365,71053,WHITE METAL LANTERN,6,2010-02-30 08:26:00,3.39,17850.0,United Kingdom\n");
        assertError(file + ":2: InvoiceDate \"2010-02-30 08:26:00\" is not a date and time yyyy-MM-dd HH:mm:ss", file);
    }

    @Test
    void otherMalformedCsv() throws IOException {
        Path file = write("bad.csv", HEADER + "\n536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.5,UK\n");
        assertError(file + ":2: CustomerID \"17850.5\" is not a whole number", file);
        file = write("bad2.csv", HEADER + "\n536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,abc,17850.0,UK\n");
        assertError(file + ":2: UnitPrice \"abc\" is not a number", file);
        file = write("bad3.csv", HEADER + "\n536365,71053,WHITE, METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,UK\n");
        assertError(file + ":2: expected 8 comma-separated fields (InvoiceNo, StockCode, Description, Quantity, "
                + "InvoiceDate, UnitPrice, CustomerID, Country), found 9", file);
        file = write("bad4.csv", "InvoiceNo,StockCode,Description,Qty,InvoiceDate,UnitPrice,CustomerID,Country\n");
        assertError(file + ":1: header has no column \"Quantity\"; found "
                + "InvoiceNo,StockCode,Description,Qty,InvoiceDate,UnitPrice,CustomerID,Country", file);
        file = write("retail.txt", TINY);
        assertError(file + ": unknown format: expected a file name ending in .xlsx, .csv or .csv.xz", file);
        Path notXz = write("plain.csv.xz", TINY);
        assertTrue(assertThrows(DataFormatException.class, () -> OnlineRetail.read(notXz)).getMessage()
                .startsWith(notXz + ": not an .xz file: "));
    }

    @Test
    void readsAnXlsxToTheSameRowsAsTheCsv() throws IOException {
        // As UCI's workbook has them: numeric invoice and stock numbers, date cells (day serials,
        // binary fractions that must round to whole seconds), CustomerID a number or absent.
        double at0826 = 40513 + 506 / 1440.0;
        List<List<Object>> sheet = List.of(
                List.of("InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"),
                cells(536365, "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 6, at0826, 2.5499999999999998, 17850, "United Kingdom"),
                cells(536366, 22633, "HAND WARMER, UNION JACK", 6, 40513 + 508 / 1440.0, 1.85, 17850, "United Kingdom"),
                cells(536367, 84879, null, 32, 40513 + 514 / 1440.0, 1.69, 13047, "United Kingdom"),
                cells(536368, 22960, "JAM MAKING SET WITH JARS", 6, 40513 + 514 / 1440.0, 4.25, null, "United Kingdom"),
                cells("C536379", "D", "Discount", -1, 40513 + 581 / 1440.0, 27.5, 17850, "United Kingdom"));
        Path xlsx = writeXlsx("retail.xlsx", sheet);
        Path csv = write("retail.csv", HEADER + "\n"
                + "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n"
                + "536366,22633,\"HAND WARMER, UNION JACK\",6,2010-12-01 08:28:00,1.85,17850.0,United Kingdom\n"
                + "536367,84879,,32,2010-12-01 08:34:00,1.69,13047.0,United Kingdom\n"
                + "536368,22960,JAM MAKING SET WITH JARS,6,2010-12-01 08:34:00,4.25,,United Kingdom\n"
                + "C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,17850.0,United Kingdom\n");
        assertEquals(OnlineRetail.read(csv), OnlineRetail.read(xlsx));
    }

    @Test
    void badXlsxCellNamesSheetRowAndField() throws IOException {
        Path xlsx = writeXlsx("bad.xlsx", List.of(
                List.of("InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"),
                cells(536365, "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 6, 40513.35, 2.55, 17850, "United Kingdom"),
                cells(536365, "71053", "WHITE METAL LANTERN", 6.5, 40513.35, 3.39, 17850, "United Kingdom")));
        assertError(xlsx + ":3: Quantity \"6.5\" is not a whole number", xlsx);
        Path text = writeXlsx("bad2.xlsx", List.of(
                List.of("InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"),
                cells(536365, "71053", "WHITE METAL LANTERN", "x", "yesterday", 3.39, 17850, "United Kingdom")));
        assertError(text + ":2: Quantity \"x\" is not a whole number", text);
    }

    @Test
    void textFileNamedXlsxFailsWithOneLine() throws IOException {
        Path file = write("retail.xlsx", TINY);
        assertError(file + ": not an .xlsx spreadsheet: the file is not a ZIP archive", file);
        // A ZIP that holds no workbook gets past the header check; the library's complaint is cut to one line.
        Path zip = dir.resolve("empty.xlsx");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("hello.txt"));
            out.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        var e = assertThrows(DataFormatException.class, () -> OnlineRetail.read(zip));
        assertTrue(e.getMessage().startsWith(zip + ": not an .xlsx spreadsheet: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    // ---------------------------------------------------------------- helpers

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static void assertError(String expected, Path file) {
        var e = assertThrows(DataFormatException.class, () -> OnlineRetail.read(file));
        assertEquals(expected, e.getMessage());
    }

    /** A row of cells; null leaves the cell out, as Excel does for empty ones. */
    private static List<Object> cells(Object... values) {
        List<Object> row = new ArrayList<>();
        for (Object value : values) {
            row.add(value);
        }
        return row;
    }

    /**
     * Writes the smallest workbook Excel and fastexcel open: one sheet, strings inline
     * ({@code t="inlineStr"}), numbers as {@code <v>} text.
     */
    private Path writeXlsx(String name, List<List<Object>> rows) throws IOException {
        String main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        String rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        String pkgRel = "http://schemas.openxmlformats.org/package/2006/relationships";
        StringBuilder sheet = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"")
                .append(main).append("\"><sheetData>");
        for (int r = 0; r < rows.size(); r++) {
            sheet.append("<row r=\"").append(r + 1).append("\">");
            List<Object> row = rows.get(r);
            for (int c = 0; c < row.size(); c++) {
                Object value = row.get(c);
                String ref = (char) ('A' + c) + Integer.toString(r + 1);
                if (value instanceof String s) {
                    sheet.append("<c r=\"").append(ref).append("\" t=\"inlineStr\"><is><t xml:space=\"preserve\">")
                            .append(s.replace("&", "&amp;").replace("<", "&lt;")).append("</t></is></c>");
                } else if (value != null) {
                    sheet.append("<c r=\"").append(ref).append("\"><v>").append(value).append("</v></c>");
                }
            }
            sheet.append("</row>");
        }
        sheet.append("</sheetData></worksheet>");
        Path file = dir.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            entry(zip, "[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                    + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                    + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                    + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                    + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                    + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
                    + "</Types>");
            entry(zip, "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                    + "<Relationships xmlns=\"" + pkgRel + "\"><Relationship Id=\"rId1\" Type=\"" + rel
                    + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
            entry(zip, "xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                    + "<workbook xmlns=\"" + main + "\" xmlns:r=\"" + rel + "\"><sheets>"
                    + "<sheet name=\"Online Retail\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
            entry(zip, "xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                    + "<Relationships xmlns=\"" + pkgRel + "\"><Relationship Id=\"rId1\" Type=\"" + rel
                    + "/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>");
            entry(zip, "xl/worksheets/sheet1.xml", sheet.toString());
        }
        return file;
    }

    private static void entry(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
