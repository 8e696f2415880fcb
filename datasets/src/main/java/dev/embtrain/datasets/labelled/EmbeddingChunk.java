package dev.embtrain.datasets.labelled;

/**
 * A run of consecutive rows of an embeddings file: their ids and vectors, row i of one with row
 * i of the other. The arrays belong to the receiver; the reader does not reuse them.
 *
 * @param ids the rows' ids
 * @param vectors the rows' vectors, all of the file's width
 * @param firstRow the 1-based data row (header excluded) of the chunk's first row
 */
public record EmbeddingChunk(String[] ids, float[][] vectors, long firstRow) {
    /**
     * Returns the number of rows.
     *
     * @return the number of rows
     */
    public int size() {
        return ids.length;
    }
}
