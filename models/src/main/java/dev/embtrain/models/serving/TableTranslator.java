package dev.embtrain.models.serving;

import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.Batchifier;
import ai.djl.translate.ServingTranslator;
import ai.djl.translate.TranslatorContext;
import com.google.gson.JsonElement;
import java.util.Map;

/**
 * A translator whose answers come from the model's trained tables, read once when the worker
 * starts, rather than from a forward pass: nearest neighbours and vector lookups. DJL's
 * predictor still runs the block, so each request feeds it one row of zeros (the unknown
 * slot) whose output is dropped.
 */
abstract class TableTranslator implements ServingTranslator {

    private static final String ANSWER = "embtrain.answer";

    /** {@inheritDoc} */
    @Override
    public void setArguments(Map<String, ?> arguments) {
        // Everything a table translator needs is in the model directory.
    }

    /**
     * Answers a parsed request.
     *
     * @param json the request
     * @return the 200 answer
     * @throws RatingTranslator.BadRequest naming what is wrong with it
     */
    abstract Output answer(JsonElement json);

    /**
     * Returns one row of zeros in the block's input layout (ids int64, dense values float32).
     *
     * @param manager the request's manager
     * @return the inputs
     */
    abstract NDList zeros(NDManager manager);

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, Input input) {
        Output answer;
        try {
            answer = answer(Responses.parse(input));
        } catch (RatingTranslator.BadRequest e) {
            answer = Responses.error(e.getMessage());
        }
        ctx.setAttachment(ANSWER, answer);
        return zeros(ctx.getNDManager());
    }

    /** {@inheritDoc} */
    @Override
    public Output processOutput(TranslatorContext ctx, NDList list) {
        return (Output) ctx.getAttachment(ANSWER);
    }

    /** {@inheritDoc} */
    @Override
    public Batchifier getBatchifier() {
        return null;
    }
}
