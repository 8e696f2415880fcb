package dev.embtrain.datasets.io;

import java.io.BufferedReader;
import java.io.IOException;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVFormat;
import java.util.List;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams the lines of a delimited text file and splits them without regular expressions,
 * because the readers go through 25 million lines for ml-25m.
 */
public final class Lines {
    private Lines() {}

    /** Receives one non-blank line with its 1-based number. */
    @FunctionalInterface
    public interface Handler {
        void line(String line, long number) throws IOException;
    }

    /**
     * Calls {@code handler} for every line of {@code file}. Blank lines at the end are
     * allowed (editors and {@code cat} leave them); a blank line followed by data is an error,
     * since it usually means two files were glued together or a record was lost.
     *
     * @return the number of the last non-blank line (0 for an empty file)
     */
    public static long forEach(Path file, Charset charset, Handler handler) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return forEach(file, in, charset, handler);
        }
    }

    /**
     * Like {@link #forEach(Path, Charset, Handler)} over a stream already opened on {@code file}
     * (decompressed, say), which errors still name.
     *
     * @return the number of the last non-blank line (0 for an empty file)
     */
    public static long forEach(Path file, InputStream stream, Charset charset, Handler handler) throws IOException {
        var decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        long number = 0;
        long firstBlank = 0;
        long lastData = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, decoder), 1 << 16)) {
            String line;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    if (firstBlank == 0) {
                        firstBlank = number;
                    }
                    continue;
                }
                if (firstBlank != 0) {
                    throw new DataFormatException(file, firstBlank, "blank line before the end of the file");
                }
                handler.line(line, number);
                lastData = number;
            }
        } catch (CharacterCodingException e) {
            throw new DataFormatException(file, number + 1, "not valid " + charset.name(), e);
        }
        return lastData;
    }

    /**
     * Parses one CSV line with commons-csv, for the lines a hand splitter cannot take (quoted
     * fields).
     *
     * @return the fields
     * @throws DataFormatException naming file and line when the line is not one CSV record
     */
    public static List<String> parseCsvLine(Path file, long number, String line, CSVFormat csv) {
        try (CSVParser parser = CSVParser.parse(line, csv)) {
            List<CSVRecord> records = parser.getRecords();
            if (records.size() != 1) {
                throw new DataFormatException(file, number, "malformed CSV: a quoted field spans lines");
            }
            return records.get(0).toList();
        } catch (IOException | UncheckedIOException e) {
            String message = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
            throw new DataFormatException(file, number, "malformed CSV: " + message, e);
        }
    }

    /**
     * Splits {@code line} at every {@code separator}, writing up to {@code out.length} fields
     * into {@code out}.
     *
     * @return the number of fields in the line, which may exceed {@code out.length}
     */
    public static int split(String line, String separator, String[] out) {
        int count = 0;
        int start = 0;
        int step = separator.length();
        while (true) {
            int end = line.indexOf(separator, start);
            if (end < 0) {
                if (count < out.length) {
                    out[count] = line.substring(start);
                }
                return count + 1;
            }
            if (count < out.length) {
                out[count] = line.substring(start, end);
            }
            count++;
            start = end + step;
        }
    }

    /**
     * Finds the fields of {@code line} without copying them: field k spans
     * {@code starts[k]} to {@code ends[k]} (for k below the arrays' length).
     *
     * @return the number of fields in the line, which may exceed the arrays' length
     */
    public static int bounds(String line, String separator, int[] starts, int[] ends) {
        int count = 0;
        int start = 0;
        int step = separator.length();
        char single = separator.charAt(0);
        while (true) {
            // indexOf(char) is markedly faster than indexOf(String) on the hot path.
            int end = step == 1 ? line.indexOf(single, start) : line.indexOf(separator, start);
            if (count < starts.length) {
                starts[count] = start;
                ends[count] = end < 0 ? line.length() : end;
            }
            count++;
            if (end < 0) {
                return count;
            }
            start = end + step;
        }
    }
}
