package dev.embtrain.models;

import java.util.List;

/** A model whose embedding tables can be exported and queried by name. */
public interface HasEmbeddingTables {
    /**
     * Returns the model's exportable tables.
     *
     * @return the tables, in a stable order
     */
    List<EmbeddingTable> embeddingTables();
}
