package dev.embtrain.models.serving;

import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.ServingTranslator;
import ai.djl.translate.TranslatorContext;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.embtrain.models.shared.Preprocessing;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Serves a labelled-embeddings classifier: {@code {"rid": "c1", "embedding": [512 floats]}} or a
 * list of them in, {@code {"rid": "c1", "score": 0.73}} (the probability of label 1, as
 * {@code embtrain score} writes it) or a list out. The training run's column selection and
 * standardisation ({@code preprocessing.tsv}) are applied here, by the same code that applied
 * them in training; a vector of the wrong width is a 400 naming expected and found.
 */
public final class ClassifierTranslator implements ServingTranslator {

    private static final String ERROR = RatingTranslator.ERROR;
    private static final String RIDS = "embtrain.rids";
    private static final String SINGLE = RatingTranslator.SINGLE;

    private Preprocessing pre;

    /** {@inheritDoc} */
    @Override
    public void setArguments(Map<String, ?> arguments) {
        // Everything this translator needs is in the model directory.
    }

    /** {@inheritDoc} */
    @Override
    public void prepare(TranslatorContext ctx) throws IOException {
        if (pre == null) {
            pre = Preprocessing.load(ctx.getModel().getModelPath().resolve(Preprocessing.FILE));
        }
    }

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, Input input) {
        NDManager manager = ctx.getNDManager();
        int width = pre.width();
        try {
            JsonElement json = Responses.parse(input);
            ctx.setAttachment(SINGLE, json.isJsonObject());
            List<JsonObject> rows = new ArrayList<>();
            if (json.isJsonObject()) {
                rows.add(json.getAsJsonObject());
            } else if (json.isJsonArray() && !json.getAsJsonArray().isEmpty()) {
                JsonArray array = json.getAsJsonArray();
                for (int i = 0; i < array.size(); i++) {
                    if (!array.get(i).isJsonObject()) {
                        throw new RatingTranslator.BadRequest("element " + i + " of the list is not an object with"
                                + " \"rid\" and \"embedding\"");
                    }
                    rows.add(array.get(i).getAsJsonObject());
                }
            } else {
                throw new RatingTranslator.BadRequest("expected {\"rid\": ..., \"embedding\": [...]} or a non-empty"
                        + " list of them");
            }
            List<String> rids = new ArrayList<>();
            float[] x = new float[rows.size() * width];
            for (int i = 0; i < rows.size(); i++) {
                String where = json.isJsonObject() ? "" : " in element " + i;
                String rid = Responses.text(rows.get(i), "rid", where);
                rids.add(rid);
                pre.apply(vector(rows.get(i), rid, where), x, i * width);
            }
            ctx.setAttachment(RIDS, rids);
            return new NDList(manager.zeros(new Shape(rows.size(), 0), DataType.INT64),
                    manager.create(x, new Shape(rows.size(), width)));
        } catch (RatingTranslator.BadRequest e) {
            ctx.setAttachment(ERROR, e.getMessage());
            return new NDList(manager.zeros(new Shape(1, 0), DataType.INT64), manager.zeros(new Shape(1, width)));
        }
    }

    private float[] vector(JsonObject row, String rid, String where) {
        JsonElement e = row.get("embedding");
        if (e == null || !e.isJsonArray()) {
            throw new RatingTranslator.BadRequest("\"embedding\"" + where + " must be a list of numbers");
        }
        JsonArray a = e.getAsJsonArray();
        if (a.size() != pre.rawWidth()) {
            throw new RatingTranslator.BadRequest("the embedding of rid \"" + rid + "\"" + where + " has " + a.size()
                    + " values, expected " + pre.rawWidth());
        }
        float[] v = new float[a.size()];
        for (int j = 0; j < v.length; j++) {
            JsonElement x = a.get(j);
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isNumber()) {
                throw new RatingTranslator.BadRequest("value " + j + " of the embedding of rid \"" + rid + "\"" + where
                        + " is not a number: " + x);
            }
            v[j] = x.getAsFloat();
            if (!Float.isFinite(v[j])) {
                throw new RatingTranslator.BadRequest("value " + j + " of the embedding of rid \"" + rid + "\"" + where
                        + " is not finite");
            }
        }
        return v;
    }

    /** {@inheritDoc} */
    @Override
    @SuppressWarnings("unchecked")
    public Output processOutput(TranslatorContext ctx, NDList list) {
        Object error = ctx.getAttachment(ERROR);
        if (error != null) {
            return Responses.error(error.toString());
        }
        List<String> rids = (List<String>) ctx.getAttachment(RIDS);
        float[] logits = list.head().toFloatArray();
        JsonArray all = new JsonArray();
        for (int i = 0; i < rids.size(); i++) {
            JsonObject o = new JsonObject();
            o.addProperty("rid", rids.get(i));
            o.addProperty("score", probability(logits[i]));
            all.add(o);
        }
        return Responses.ok(Boolean.TRUE.equals(ctx.getAttachment(SINGLE)) ? all.get(0) : all);
    }

    /**
     * Turns a logit into the probability a score file holds, as a float so that its decimal
     * text reads back to the same value.
     *
     * @param logit the logit
     * @return sigmoid(logit)
     */
    public static float probability(float logit) {
        // The stable form: exp of a large positive number never overflows.
        if (logit >= 0) {
            return (float) (1 / (1 + Math.exp(-logit)));
        }
        double e = Math.exp(logit);
        return (float) (e / (1 + e));
    }

    /** {@inheritDoc} */
    @Override
    public Batchifier getBatchifier() {
        return null;
    }
}
