package dev.embtrain.models;

import ai.djl.nn.Parameter;

/**
 * One exportable embedding table of a model: its public name, the vocabulary its rows are
 * indexed by, the parameter that holds it, and whether a forward pass reads it row by row.
 *
 * @param name what users call the table ({@code item}, {@code user_bias})
 * @param vocabulary the field whose vocabulary labels the rows
 * @param parameter the parameter holding a {@code [rows, width]} matrix
 * @param lookedUp true when the model gathers rows of it by id (it may then train row-sparse);
 *     false for a dense projection, multiplied by a batch's values as a whole
 */
public record EmbeddingTable(String name, String vocabulary, Parameter parameter, boolean lookedUp) {

    /**
     * A table the model gathers rows of by id.
     *
     * @param name what users call the table
     * @param vocabulary the field whose vocabulary labels the rows
     * @param parameter the parameter holding a {@code [rows, width]} matrix
     */
    public EmbeddingTable(String name, String vocabulary, Parameter parameter) {
        this(name, vocabulary, parameter, true);
    }
}
