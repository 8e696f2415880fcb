package dev.embtrain.training.labelled;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.embtrain.models.WideAndDeep;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The classifier on dense vectors: {@link WideAndDeep} with no categorical field, so its
 * input is {@code NDList{int64 [B, 0], float32 [B, G]}} and it is logistic regression when
 * {@code layers: []}; and the one scoring path that the test report and {@code embtrain score}
 * share.
 */
public final class LabelledModel {
    private LabelledModel() {}

    /**
     * Returns the input shapes of a batch.
     *
     * @param batch B
     * @param width G
     * @return {@code {[B, 0], [B, G]}}
     */
    public static Shape[] inputShapes(int batch, int width) {
        return new Shape[] {new Shape(batch, 0), new Shape(batch, width)};
    }

    /**
     * Scores preprocessed rows in inference mode.
     *
     * @param model a model whose parameters are loaded
     * @param x row-major values, {@code rows * width}
     * @param rows the number of rows
     * @param width G
     * @return one logit per row
     */
    public static float[] logits(Model model, float[] x, int rows, int width) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDArray ids = m.zeros(new Shape(rows, 0), DataType.INT64);
            NDArray dense = m.create(x, new Shape(rows, width));
            Block block = model.getBlock();
            NDList out = block.forward(new ParameterStore(m, false), new NDList(ids, dense), false);
            float[] logits = out.head().toFloatArray();
            if (logits.length != rows) {
                // DJL loads parameters of another layer layout without complaint; the output shape tells.
                throw new IllegalStateException("the model returned " + logits.length + " scores for " + rows
                        + " rows: its parameters do not match the model section it was built from");
            }
            return logits;
        }
    }

    /**
     * Turns a logit into the probability written to score files, as a float so that its
     * decimal text ({@link Float#toString}) reads back to the same value.
     *
     * @param logit the logit
     * @return sigmoid(logit)
     */
    public static float probability(float logit) {
        return dev.embtrain.models.serving.ClassifierTranslator.probability(logit);
    }

    /**
     * Loads a saved classifier for scoring.
     *
     * @param spec the classifier's block, as {@code LabelledScorer.spec} gives it for a config
     * @param modelDir the parameters' directory
     * @param device where to score
     * @return the model; close it
     * @throws IOException when the parameters cannot be read
     */
    public static Model load(WideAndDeep.Spec spec, Path modelDir, Device device) throws IOException {
        Model model = Model.newInstance("model", device);
        model.setBlock(spec.newBlock());
        try {
            model.load(modelDir, "model");
        } catch (MalformedModelException e) {
            model.close();
            throw new IOException("cannot read the parameters in " + modelDir + ": " + e.getMessage(), e);
        }
        return model;
    }
}
