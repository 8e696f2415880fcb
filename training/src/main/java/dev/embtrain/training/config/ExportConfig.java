package dev.embtrain.training.config;

import java.util.List;
import dev.embtrain.training.export.TableExport;

/**
 * What is written to the run directory after training.
 *
 * @param embeddings formats of the embedding tables
 * @param serving whether to write a DJL Serving model directory, {@code serving/}
 * @param plots whether to draw the metric curves and a PCA map of the items, {@code plots/}
 */
@Doc("What is written to the run directory after training.")
public record ExportConfig(
        @Doc("Formats for every embedding table and bias vector: tsv (TensorBoard Projector vectors +"
                        + " metadata, with projector_config.pbtxt), npy (float32, for numpy) and word2vec (the text"
                        + " format gensim's load_word2vec_format reads; tables wider than one value).")
                @Default("[tsv, npy]") List<String> embeddings,
        @Doc("Also write serving/, a model directory DJL Serving loads (the same as embtrain export --serving).")
                @Default("false") boolean serving,
        @Doc("Draw plots/metrics.png (loss and validation MSE per epoch) and plots/items_pca.png (the item"
                        + " factors on their first two principal components, the items of lowest and highest bias"
                        + " labelled).")
                @Default("true") boolean plots) {


    /** Validates the section. */
    public ExportConfig {
        for (String f : embeddings) {
            if (!TableExport.FORMATS.contains(f)) {
                throw new ConfigValueException(
                        "embeddings", "expected a list of " + TableExport.FORMATS + ", found \"" + f + "\"");
            }
        }
        embeddings = List.copyOf(embeddings);
    }
}
