package dev.embtrain.datasets.labelled;

import dev.embtrain.datasets.io.DataFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Collects rows read from an embeddings file into chunks, checking what every format shares:
 * non-empty, unique ids, one width, finite values; errors name the file and the line (text
 * files) or row (Parquet, .npy).
 */
final class RowSink {
    private final Path file;
    private final boolean textLines;
    private final String column;
    private final int chunkRows;
    private final EmbeddingsFile.ChunkHandler handler;
    private final Map<String, Long> seen;
    private int width;
    private String[] ids;
    private float[][] vectors;
    private int filled;
    private long rows;

    /**
     * @param textLines whether {@code where} is a text line (else a 1-based row)
     * @param width the known width, or 0 to take the first row's
     * @param checkDuplicates whether to remember every id to refuse repeats
     */
    RowSink(Path file, boolean textLines, String column, int width, int chunkRows, boolean checkDuplicates,
            EmbeddingsFile.ChunkHandler handler) {
        if (chunkRows < 1) {
            throw new IllegalArgumentException("chunk rows must be > 0, found " + chunkRows);
        }
        this.file = file;
        this.textLines = textLines;
        this.column = column;
        this.width = width;
        this.chunkRows = chunkRows;
        this.handler = handler;
        this.seen = checkDuplicates ? new HashMap<>() : null;
        this.ids = new String[chunkRows];
        this.vectors = new float[chunkRows][];
    }

    DataFormatException error(long where, String message) {
        return textLines ? new DataFormatException(file, where, message)
                : new DataFormatException(file, 0, "row " + where + ": " + message);
    }

    private String place(long where) {
        return textLines ? "line " + where : "row " + where;
    }

    int width() {
        return width;
    }

    long rows() {
        return rows;
    }

    /** Checks and adds one row; {@code vector} is kept, not copied. */
    void add(String id, float[] vector, long where) throws IOException {
        if (id == null || id.isEmpty()) {
            throw error(where, "rid is empty");
        }
        if (width == 0) {
            if (vector.length == 0) {
                throw error(where, column + " is empty");
            }
            width = vector.length;
        } else if (vector.length != width) {
            throw error(where, column + " has " + vector.length + " values, expected " + width);
        }
        for (int k = 0; k < vector.length; k++) {
            if (!Float.isFinite(vector[k])) {
                throw error(where, column + "[" + k + "] is " + vector[k]);
            }
        }
        if (seen != null) {
            Long first = seen.putIfAbsent(id, where);
            if (first != null) {
                throw error(where, "duplicate rid \"" + id + "\" (first on " + place(first) + ")");
            }
        }
        ids[filled] = id;
        vectors[filled] = vector;
        filled++;
        rows++;
        if (filled == chunkRows) {
            flush();
        }
    }

    /** Hands over the rows collected so far, if any. */
    void flush() throws IOException {
        if (filled == 0) {
            return;
        }
        String[] chunkIds = filled == ids.length ? ids : Arrays.copyOf(ids, filled);
        float[][] chunkVectors = filled == vectors.length ? vectors : Arrays.copyOf(vectors, filled);
        long first = rows - filled + 1;
        ids = new String[chunkRows];
        vectors = new float[chunkRows][];
        filled = 0;
        handler.chunk(new EmbeddingChunk(chunkIds, chunkVectors, first));
    }
}
