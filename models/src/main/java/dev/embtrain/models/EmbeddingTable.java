package dev.embtrain.models;

import ai.djl.nn.Parameter;

/**
 * One exportable embedding table of a model: its public name, the vocabulary its rows are
 * indexed by, and the parameter that holds it.
 *
 * @param name what users call the table ({@code item}, {@code user_bias})
 * @param vocabulary the field whose vocabulary labels the rows
 * @param parameter the parameter holding a {@code [rows, width]} matrix
 */
public record EmbeddingTable(String name, String vocabulary, Parameter parameter) {}
