package dev.embtrain.datasets.io;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Signals bad input data, naming the file and the 1-based line where it was found, so a user
 * can open the file at the right place: {@code data/ml-100k/u.data:7: rating "x" is not a
 * number}.
 *
 * <p>Unchecked because a malformed data file is not something a caller can recover from
 * mid-read; the command line turns it into a one-line error.
 */
public class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;
    private final String detail;

    /**
     * @param file the file (or directory) that holds the bad data
     * @param line the 1-based line number, or {@code <= 0} when the problem is not on one line
     * @param message what is wrong, without the file and line
     */
    public DataFormatException(Path file, long line, String message) {
        super(format(file, line, message));
        this.file = Objects.requireNonNull(file, "file");
        this.line = line;
        this.detail = message;
    }

    /** Same as {@link #DataFormatException(Path, long, String)}, keeping the underlying cause. */
    public DataFormatException(Path file, long line, String message, Throwable cause) {
        this(file, line, message);
        initCause(cause);
    }

    private static String format(Path file, long line, String message) {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }

    /** The file (or directory) that holds the bad data. */
    public Path file() {
        return file;
    }

    /** The 1-based line number, or {@code <= 0} when the problem is not tied to a line. */
    public long line() {
        return line;
    }

    /** What is wrong, without the file and line prefix. */
    public String detail() {
        return detail;
    }
}
