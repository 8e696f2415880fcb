package dev.embtrain.datasets.retail;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.Lines;
import dev.embtrain.datasets.io.StringPool;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ExcelReaderException;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.tukaani.xz.XZFormatException;
import org.tukaani.xz.XZIOException;
import org.tukaani.xz.XZInputStream;

/**
 * Reads the UCI Online Retail transactions (a UK gift retailer, 2010-12-01 to 2011-12-09,
 * 541,909 rows; <a href="https://doi.org/10.24432/C5BW33">UCI data set 352</a>, CC BY 4.0) and
 * groups them into purchase sessions, the "sentences" of item2vec (Barkan and Koenigstein 2016,
 * <a href="https://arxiv.org/abs/1603.04259">arXiv:1603.04259</a>): use it to learn item
 * embeddings from baskets when there are no ratings.
 *
 * <p>The format is told by the file name:
 * <ul>
 *   <li>{@code .xlsx}: the workbook UCI serves, first sheet, streamed row by row (no DOM);
 *       InvoiceDate is a date cell, InvoiceNo, StockCode and CustomerID are numbers or text.
 *   <li>{@code .csv} and {@code .csv.xz}: UTF-8 with the header
 *       {@code InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country}
 *       (columns found by name), InvoiceDate as {@code yyyy-MM-dd HH:mm:ss}, CustomerID written
 *       as a float ({@code 17850.0}) or empty.
 * </ul>
 *
 * <p>Both give the same {@link Row}s: CustomerID {@code 17850.0} becomes {@code "17850"}, a
 * missing CustomerID or Description becomes {@code ""}. Cancelled invoices (InvoiceNo starting
 * with {@code C}) and negative quantities and prices are kept as they are; {@link #sessions}
 * decides what to drop. A malformed row is a {@link DataFormatException} naming the file, the
 * line (CSV) or the sheet's row number as Excel shows it (xlsx), and the field:
 * {@code online_retail.csv:7: Quantity "x" is not a whole number}.
 */
public final class OnlineRetail {
    /** The columns, by the names both the CSV header and the sheet's first row use. */
    static final List<String> COLUMNS = List.of("InvoiceNo", "StockCode", "Description", "Quantity",
            "InvoiceDate", "UnitPrice", "CustomerID", "Country");

    private static final int INVOICE = 0;
    private static final int STOCK_CODE = 1;
    private static final int DESCRIPTION = 2;
    private static final int QUANTITY = 3;
    private static final int DATE = 4;
    private static final int PRICE = 5;
    private static final int CUSTOMER = 6;
    private static final int COUNTRY = 7;

    static final String DATE_PATTERN = "yyyy-MM-dd HH:mm:ss";
    private static final DateTimeFormatter DATE_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
    /** Day 0 of Excel's 1900 date system (serial 1 is 1900-01-01 only before its phantom 1900-02-29). */
    private static final LocalDateTime EXCEL_EPOCH_1900 = LocalDateTime.of(1899, 12, 30, 0, 0);
    private static final LocalDateTime EXCEL_EPOCH_1904 = LocalDateTime.of(1904, 1, 1, 0, 0);
    private static final int MAX_COLUMNS = 64;
    private static final Logger LOG = LogManager.getLogger(OnlineRetail.class);

    private OnlineRetail() {}

    /**
     * One transaction line: one product on one invoice.
     *
     * @param customerId {@code ""} when missing; a float {@code 17850.0} is written {@code "17850"}
     * @param description {@code ""} when missing
     */
    public record Row(String invoice, String stockCode, String description, int quantity, LocalDateTime date,
            double unitPrice, String customerId, String country) {
        public Row {
            Objects.requireNonNull(invoice, "invoice");
            Objects.requireNonNull(stockCode, "stockCode");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(date, "date");
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(country, "country");
        }

        /** Whether the invoice is a cancellation (its number starts with {@code C}). */
        public boolean cancelled() {
            return invoice.startsWith("C");
        }

        /** Whether any text field is empty (in the real data: CustomerID or Description). */
        public boolean hasEmptyField() {
            return invoice.isEmpty() || stockCode.isEmpty() || description.isEmpty() || customerId.isEmpty()
                    || country.isEmpty();
        }
    }

    /** What one session is: all rows of a customer, or all rows of an invoice (one basket). */
    public enum SessionBy { CUSTOMER, INVOICE }

    /**
     * How {@link #sessions} groups and filters rows. Rows with any empty field are always
     * dropped, whatever the key.
     *
     * @param by the session key
     * @param dropCancellations drop rows whose InvoiceNo starts with {@code C}
     * @param dropNonPositiveQuantity drop rows with Quantity {@code <= 0}
     * @param minRows keep only sessions with at least this many rows (counted after dropping)
     */
    public record Options(SessionBy by, boolean dropCancellations, boolean dropNonPositiveQuantity, int minRows) {
        /**
         * The usual item2vec protocol for this data set: sessions by customer, rows with any
         * empty field dropped, customers with at least 3 rows kept. Cancellations and
         * non-positive quantities are <b>not</b> dropped here; the published counts (4,234
         * sessions, 406,632 items, 3,684 distinct products) are for exactly this.
         */
        public static final Options COMMON = new Options(SessionBy.CUSTOMER, false, false, 3);

        public Options {
            if (by == null) {
                throw new IllegalArgumentException("by must be one of " + List.of(SessionBy.values()) + ", found null");
            }
            if (minRows < 1) {
                throw new IllegalArgumentException("minRows must be >= 1, found " + minRows);
            }
        }
    }

    /**
     * One session: its key (CustomerID or InvoiceNo) and the StockCodes of its rows in file
     * order, repeats included.
     */
    public record Session(String key, List<String> items) {
        public Session {
            Objects.requireNonNull(key, "key");
            items = List.copyOf(items);
        }
    }

    /**
     * Reads all rows of {@code file} ({@code .xlsx}, {@code .csv} or {@code .csv.xz}) in file
     * order. Repeated strings are shared and equal timestamps are one object, so the full data
     * set costs about 30 MB of rows and reads in a second or two.
     *
     * @throws DataFormatException when the file is missing, its name has none of the three
     *     endings, or it is malformed (the message names file, line or row, and field)
     */
    public static List<Row> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file, 0, "file does not exist");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        long start = System.nanoTime();
        List<Row> rows;
        if (name.endsWith(".xlsx")) {
            rows = new Reading(file).xlsx();
        } else if (name.endsWith(".csv")) {
            rows = new Reading(file).csv(false);
        } else if (name.endsWith(".csv.xz")) {
            rows = new Reading(file).csv(true);
        } else {
            throw new DataFormatException(file, 0, "unknown format: expected a file name ending in .xlsx, .csv or .csv.xz");
        }
        LOG.info("read {} Online Retail rows from {} in {} ms", rows.size(), file, (System.nanoTime() - start) / 1_000_000);
        return rows;
    }

    /**
     * Groups {@code rows} into sessions: rows with any empty field are dropped, then (as
     * {@code o} says) cancellations and non-positive quantities; the StockCodes of the rest are
     * gathered per key in file order, and sessions with fewer than {@code o.minRows()} rows are
     * dropped. Sessions come in the order of their first kept row.
     */
    public static List<Session> sessions(List<Row> rows, Options o) {
        Objects.requireNonNull(o, "o");
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (Row row : rows) {
            if (row.hasEmptyField()
                    || (o.dropCancellations() && row.cancelled())
                    || (o.dropNonPositiveQuantity() && row.quantity() <= 0)) {
                continue;
            }
            String key = o.by() == SessionBy.CUSTOMER ? row.customerId() : row.invoice();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(row.stockCode());
        }
        List<Session> sessions = new ArrayList<>();
        for (Map.Entry<String, List<String>> group : groups.entrySet()) {
            if (group.getValue().size() >= o.minRows()) {
                sessions.add(new Session(group.getKey(), group.getValue()));
            }
        }
        return Collections.unmodifiableList(sessions);
    }

    /**
     * Labels items: each StockCode mapped to its first non-empty Description in file order.
     * StockCodes that never have one are absent (callers label them by the code itself).
     */
    public static Map<String, String> descriptions(List<Row> rows) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Row row : rows) {
            if (!row.description().isEmpty()) {
                labels.putIfAbsent(row.stockCode(), row.description());
            }
        }
        return Collections.unmodifiableMap(labels);
    }

    // ---------------------------------------------------------------- reading

    /** The state of one read: the rows so far and the pools that share repeated values. */
    private static final class Reading {
        private final Path file;
        private final StringPool pool = new StringPool();
        private final Map<String, LocalDateTime> dates = new HashMap<>();
        private final List<Row> rows = new ArrayList<>(1 << 16);
        /** Column index of each of {@link #COLUMNS} in the file. */
        private final int[] columns = new int[COLUMNS.size()];
        /** The CSV header, once read. */
        private List<String> header;

        Reading(Path file) {
            this.file = file;
        }

        // ------------------------------------------------------------ CSV

        List<Row> csv(boolean xz) throws IOException {
            int[] starts = new int[MAX_COLUMNS];
            int[] ends = new int[MAX_COLUMNS];
            long[] lastLine = {0};
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                    InputStream in = xz ? openXz(raw) : raw) {
                Lines.forEach(file, in, StandardCharsets.UTF_8, (line, number) -> {
                    lastLine[0] = number;
                    if (header == null) {
                        header = Lines.parseCsvLine(file, number, line.startsWith("\uFEFF") ? line.substring(1) : line,
                                CSVFormat.DEFAULT);
                        findColumns(number, header);
                        return;
                    }
                    // Only descriptions holding commas or quotes are quoted (about 1% of lines),
                    // so split by hand and leave those to commons-csv.
                    if (line.indexOf('"') < 0) {
                        int found = Lines.bounds(line, ",", starts, ends);
                        checkCount(number, header, found);
                        add(number, line, starts, ends);
                    } else {
                        List<String> values = Lines.parseCsvLine(file, number, line, CSVFormat.DEFAULT);
                        checkCount(number, header, values.size());
                        String[] texts = values.toArray(new String[0]);
                        int[] s = new int[texts.length];
                        int[] e = new int[texts.length];
                        for (int k = 0; k < texts.length; k++) {
                            e[k] = texts[k].length();
                        }
                        add(number, texts, s, e);
                    }
                });
                if (header == null) {
                    throw new DataFormatException(file, 0, "empty file: expected a header row " + String.join(",", COLUMNS));
                }
            } catch (XZIOException e) {
                throw new DataFormatException(file, lastLine[0] + 1, "corrupt .xz data: " + oneLine(e), e);
            }
            return rows;
        }

        private InputStream openXz(InputStream raw) throws IOException {
            try {
                return new XZInputStream(raw);
            } catch (XZFormatException e) {
                throw new DataFormatException(file, 0, "not an .xz file: " + oneLine(e), e);
            }
        }

        private void checkCount(long number, List<String> header, int found) {
            if (found != header.size()) {
                throw new DataFormatException(file, number, "expected " + header.size()
                        + " comma-separated fields (" + String.join(", ", header) + "), found " + found);
            }
        }

        private void findColumns(long number, List<String> header) {
            if (header.size() > MAX_COLUMNS) {
                throw new DataFormatException(file, number, "header has " + header.size()
                        + " columns; at most " + MAX_COLUMNS + " are supported");
            }
            for (int c = 0; c < COLUMNS.size(); c++) {
                String name = COLUMNS.get(c);
                int index = header.indexOf(name);
                if (index < 0) {
                    throw new DataFormatException(file, number, "header has no column \"" + name + "\"; found "
                            + String.join(",", header));
                }
                if (header.lastIndexOf(name) != index) {
                    throw new DataFormatException(file, number, "header names column \"" + name + "\" twice");
                }
                columns[c] = index;
            }
        }

        /** Adds the row whose fields all lie in {@code line}. */
        private void add(long number, String line, int[] starts, int[] ends) {
            String[] texts = new String[COLUMNS.size()];
            int[] s = new int[COLUMNS.size()];
            int[] e = new int[COLUMNS.size()];
            for (int c = 0; c < COLUMNS.size(); c++) {
                texts[c] = line;
                s[c] = starts[columns[c]];
                e[c] = ends[columns[c]];
            }
            addSlices(number, texts, s, e);
        }

        /** Adds the row whose file fields are {@code values[k]} (whole strings, by file column). */
        private void add(long number, String[] values, int[] starts, int[] ends) {
            String[] texts = new String[COLUMNS.size()];
            int[] s = new int[COLUMNS.size()];
            int[] e = new int[COLUMNS.size()];
            for (int c = 0; c < COLUMNS.size(); c++) {
                texts[c] = values[columns[c]];
                s[c] = starts[columns[c]];
                e[c] = ends[columns[c]];
            }
            addSlices(number, texts, s, e);
        }

        /** Field c of the row is {@code texts[c].substring(s[c], e[c])}, in {@link #COLUMNS} order. */
        private void addSlices(long number, String[] texts, int[] s, int[] e) {
            rows.add(new Row(
                    pool.intern(texts[INVOICE], s[INVOICE], e[INVOICE]),
                    pool.intern(texts[STOCK_CODE], s[STOCK_CODE], e[STOCK_CODE]),
                    pool.intern(texts[DESCRIPTION], s[DESCRIPTION], e[DESCRIPTION]),
                    parseQuantity(number, texts[QUANTITY].substring(s[QUANTITY], e[QUANTITY])),
                    parseDate(number, texts[DATE].substring(s[DATE], e[DATE])),
                    parsePrice(number, texts[PRICE].substring(s[PRICE], e[PRICE])),
                    parseCustomer(number, texts[CUSTOMER].substring(s[CUSTOMER], e[CUSTOMER])),
                    pool.intern(texts[COUNTRY], s[COUNTRY], e[COUNTRY])));
        }

        // ------------------------------------------------------------ xlsx

        List<Row> xlsx() throws IOException {
            checkZipHeader();
            long rowNumber = 0;
            // A local file is read in place; another file system's (s3://) is streamed.
            try (ReadableWorkbook workbook = file.getFileSystem() == java.nio.file.FileSystems.getDefault()
                            ? new ReadableWorkbook(file.toFile()) : new ReadableWorkbook(Files.newInputStream(file));
                    Stream<org.dhatim.fastexcel.reader.Row> stream = workbook.getFirstSheet().openStream()) {
                boolean date1904 = workbook.isDate1904();
                boolean haveHeader = false;
                Iterator<org.dhatim.fastexcel.reader.Row> it = stream.iterator();
                while (it.hasNext()) {
                    org.dhatim.fastexcel.reader.Row row = it.next();
                    rowNumber = row.getRowNum();
                    if (!haveHeader) {
                        List<String> header = new ArrayList<>();
                        for (int c = 0; c < row.getCellCount(); c++) {
                            header.add(text(row, c));
                        }
                        findColumns(rowNumber, header);
                        haveHeader = true;
                        continue;
                    }
                    addXlsx(rowNumber, row, date1904);
                }
                if (!haveHeader) {
                    throw new DataFormatException(file, 0, "empty sheet: expected a header row " + String.join(", ", COLUMNS));
                }
            } catch (ExcelReaderException | UncheckedIOException e) {
                throw new DataFormatException(file, rowNumber, "not an .xlsx spreadsheet: " + oneLine(e), e);
            } catch (IOException e) {
                // Opening reads the ZIP directory and the workbook part; both fail with IOExceptions.
                throw new DataFormatException(file, rowNumber, "not an .xlsx spreadsheet: " + oneLine(e), e);
            }
            return rows;
        }

        /** Fails with one line for a text file or an old .xls renamed .xlsx, before the library sees it. */
        private void checkZipHeader() throws IOException {
            byte[] head = new byte[8];
            int n;
            try (InputStream in = Files.newInputStream(file)) {
                n = in.readNBytes(head, 0, head.length);
            }
            if (n == head.length && ReadableWorkbook.isOLE2Header(head)) {
                throw new DataFormatException(file, 0,
                        "not an .xlsx spreadsheet: this is an old .xls (OLE2) workbook; save it as .xlsx");
            }
            if (n < 4 || !ReadableWorkbook.isOOXMLZipHeader(head)) {
                throw new DataFormatException(file, 0, "not an .xlsx spreadsheet: the file is not a ZIP archive");
            }
        }

        private void addXlsx(long number, org.dhatim.fastexcel.reader.Row row, boolean date1904) {
            rows.add(new Row(
                    pool.intern(id(number, row, columns[INVOICE], "InvoiceNo")),
                    pool.intern(id(number, row, columns[STOCK_CODE], "StockCode")),
                    pool.intern(text(row, columns[DESCRIPTION])),
                    xlsxQuantity(number, row),
                    xlsxDate(number, row, date1904),
                    xlsxPrice(number, row),
                    xlsxCustomer(number, row),
                    pool.intern(text(row, columns[COUNTRY]))));
        }

        private static Cell cell(org.dhatim.fastexcel.reader.Row row, int column) {
            Cell cell = row.getOptionalCell(column).orElse(null);
            return cell == null || cell.getType() == CellType.EMPTY ? null : cell;
        }

        private static boolean isNumber(Cell cell) {
            return cell != null && cell.getType() == CellType.NUMBER;
        }

        private static String text(org.dhatim.fastexcel.reader.Row row, int column) {
            Cell cell = cell(row, column);
            return cell == null ? "" : cell.getText();
        }

        /** InvoiceNo and StockCode: numeric cells ({@code 536365}) written without a fraction. */
        private String id(long number, org.dhatim.fastexcel.reader.Row row, int column, String field) {
            Cell cell = cell(row, column);
            if (!isNumber(cell)) {
                return cell == null ? "" : cell.getText();
            }
            return wholeNumber(number, field, cell.getRawValue());
        }

        private int xlsxQuantity(long number, org.dhatim.fastexcel.reader.Row row) {
            Cell cell = cell(row, columns[QUANTITY]);
            if (!isNumber(cell)) {
                return parseQuantity(number, cell == null ? "" : cell.getText());
            }
            String whole = wholeNumber(number, "Quantity", cell.getRawValue());
            return parseQuantity(number, whole);
        }

        private double xlsxPrice(long number, org.dhatim.fastexcel.reader.Row row) {
            Cell cell = cell(row, columns[PRICE]);
            return parsePrice(number, cell == null ? "" : isNumber(cell) ? cell.getRawValue() : cell.getText());
        }

        private String xlsxCustomer(long number, org.dhatim.fastexcel.reader.Row row) {
            Cell cell = cell(row, columns[CUSTOMER]);
            if (!isNumber(cell)) {
                return parseCustomer(number, cell == null ? "" : cell.getText());
            }
            return pool.intern(wholeNumber(number, "CustomerID", cell.getRawValue()));
        }

        /** A date cell is a day count (Excel's serial date); a text cell must read as in the CSV. */
        private LocalDateTime xlsxDate(long number, org.dhatim.fastexcel.reader.Row row, boolean date1904) {
            Cell cell = cell(row, columns[DATE]);
            if (!isNumber(cell)) {
                return parseDate(number, cell == null ? "" : cell.getText());
            }
            String raw = cell.getRawValue();
            LocalDateTime date = dates.get(raw);
            if (date == null) {
                double serial;
                try {
                    serial = Double.parseDouble(raw);
                } catch (NumberFormatException e) {
                    serial = Double.NaN;
                }
                // Before day 61 the 1900 system counts a 1900-02-29 that never was; no sale is that old.
                if (!(serial >= (date1904 ? 0 : 61) && serial < 2_958_466)) {
                    throw new DataFormatException(file, number, "InvoiceDate " + raw + " is not a date cell");
                }
                // Serials are binary fractions of a day: round to the second, or 08:26:00 reads as 08:25:59.999.
                long seconds = Math.round(serial * 86_400);
                date = (date1904 ? EXCEL_EPOCH_1904 : EXCEL_EPOCH_1900).plusSeconds(seconds);
                dates.put(raw, date);
            }
            return date;
        }

        /** The integer a numeric cell holds, as digits ({@code 17850}), or an error naming the field. */
        private String wholeNumber(long number, String field, String raw) {
            try {
                return new BigDecimal(raw).toBigIntegerExact().toString();
            } catch (NumberFormatException | ArithmeticException e) {
                throw new DataFormatException(file, number, field + " \"" + raw + "\" is not a whole number");
            }
        }

        // ------------------------------------------------------------ fields, both formats

        private int parseQuantity(long number, String text) {
            int i = text.startsWith("-") ? 1 : 0;
            boolean ok = i < text.length() && text.length() - i <= 9; // 9 digits cannot overflow an int
            int value = 0;
            for (; ok && i < text.length(); i++) {
                char c = text.charAt(i);
                ok = c >= '0' && c <= '9';
                value = value * 10 + (c - '0');
            }
            if (!ok) {
                throw new DataFormatException(file, number, "Quantity \"" + text + "\" is not a whole number");
            }
            return text.startsWith("-") ? -value : value;
        }

        private double parsePrice(long number, String text) {
            if (!looksNumeric(text)) {
                throw new DataFormatException(file, number, "UnitPrice \"" + text + "\" is not a number");
            }
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, number, "UnitPrice \"" + text + "\" is not a number");
            }
        }

        /** About 23,000 distinct timestamps in 541,909 rows: parse each once. */
        private LocalDateTime parseDate(long number, String text) {
            LocalDateTime date = dates.get(text);
            if (date == null) {
                try {
                    date = LocalDateTime.parse(text, DATE_FORMAT);
                } catch (DateTimeParseException e) {
                    throw new DataFormatException(file, number,
                            "InvoiceDate \"" + text + "\" is not a date and time " + DATE_PATTERN);
                }
                dates.put(text, date);
            }
            return date;
        }

        /** {@code ""}, {@code 17850} or {@code 17850.0} (the float pandas writes) give "", "17850", "17850". */
        private String parseCustomer(long number, String text) {
            int dot = text.indexOf('.');
            int digitsEnd = dot < 0 ? text.length() : dot;
            boolean ok = dot < 0 || (dot > 0 && dot < text.length() - 1);
            for (int i = 0; ok && i < text.length(); i++) {
                char c = text.charAt(i);
                ok = i < digitsEnd ? c >= '0' && c <= '9' : i == dot || c == '0';
            }
            if (!ok) {
                throw new DataFormatException(file, number, "CustomerID \"" + text + "\" is not a whole number");
            }
            return pool.intern(text, 0, digitsEnd);
        }
    }

    /** Plain decimal or scientific notation only; Double.parseDouble alone would also take "NaN", " 3" or "3d". */
    private static boolean looksNumeric(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return false;
            }
        }
        return true;
    }

    /** An exception's message on one line, so a library's multi-line text cannot break ours. */
    private static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
