package dev.embtrain.datasets.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;

/**
 * A delimited text table's header line (its column names) and the splitting of the lines after
 * it: comma-separated with RFC 4180 quoting (a line with a quote goes through commons-csv, the
 * rest through a plain splitter, because most lines have none), or tab-separated with no quoting
 * (as pandas' {@code to_csv(sep="\t")} and MovieLens write it).
 */
public final class CsvTable {
    private final Path file;
    private final String separator;
    private List<String> names;
    private String[] buffer;

    /**
     * A comma-separated table.
     *
     * @param file the file, for errors
     */
    public CsvTable(Path file) {
        this(file, ",");
    }

    /**
     * A table with a given separator.
     *
     * @param file the file, for errors
     * @param separator {@code ","} (quotes allowed) or {@code "\t"} (no quoting)
     */
    public CsvTable(Path file, String separator) {
        this.file = file;
        this.separator = separator;
    }

    /**
     * Takes the first line as the header.
     *
     * @param line a line
     * @param number its number
     * @return whether this line was the header
     */
    public boolean header(String line, long number) {
        if (names != null) {
            return false;
        }
        names = split(line, number);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).strip();
            if (i == 0 && name.startsWith("\uFEFF")) {
                name = name.substring(1); // a byte-order mark from a spreadsheet export
            }
            if (names.subList(0, i).contains(name)) {
                throw new DataFormatException(file, number, "column \"" + name + "\" appears twice in the header");
            }
            names.set(i, name);
        }
        buffer = new String[names.size()];
        return true;
    }

    /**
     * Returns whether the header was seen.
     *
     * @return true after the first line
     */
    public boolean seenHeader() {
        return names != null;
    }

    /**
     * Returns the column names.
     *
     * @return the names, in file order
     */
    public List<String> names() {
        return names;
    }

    /**
     * Returns whether a column exists.
     *
     * @param name its name
     * @return true when the header names it
     */
    public boolean has(String name) {
        return names.contains(name);
    }

    /**
     * Returns a column's index.
     *
     * @param name its name
     * @return its index, or -1
     */
    public int index(String name) {
        return names.indexOf(name);
    }

    /**
     * Refuses a header without a column.
     *
     * @param number the header's line number
     * @param name the column
     * @throws DataFormatException {@code missing column "name"; found [...]}
     */
    public void require(long number, String name) {
        if (!has(name)) {
            throw new DataFormatException(file, number, "missing column \"" + name + "\"; found " + names);
        }
    }

    /**
     * Splits a data line, refusing a wrong number of fields. The array is reused.
     *
     * @param line the line
     * @param number its number
     * @return its fields
     */
    public String[] fields(String line, long number) {
        int count;
        if (!quoted(line)) {
            count = Lines.split(line, separator, buffer);
        } else {
            List<String> parsed = Lines.parseCsvLine(file, number, line, CSVFormat.DEFAULT);
            count = parsed.size();
            for (int i = 0; i < Math.min(count, buffer.length); i++) {
                buffer[i] = parsed.get(i);
            }
        }
        if (count != names.size()) {
            throw new DataFormatException(file, number, "expected " + names.size() + " fields, found " + count);
        }
        return buffer;
    }

    private boolean quoted(String line) {
        return separator.equals(",") && line.indexOf('"') >= 0;
    }

    private List<String> split(String line, long number) {
        if (quoted(line)) {
            return new ArrayList<>(Lines.parseCsvLine(file, number, line, CSVFormat.DEFAULT));
        }
        String[] out = new String[Lines.split(line, separator, new String[0])];
        Lines.split(line, separator, out);
        return new ArrayList<>(List.of(out));
    }
}
