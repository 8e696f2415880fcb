package dev.embtrain.models.serving;

import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.ServingTranslator;
import ai.djl.translate.TranslatorContext;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.embtrain.models.shared.VocabularyFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Serves a rating model: JSON {@code {"user": "196", "item": "242"}} or a list of such pairs in,
 * predicted ratings out, ids looked up in the vocabularies exported beside the parameters.
 *
 * <p>One object gives {@code {"user": "196", "item": "242", "rating": 3.61}}; a list gives a list
 * in the same order. A request the model cannot answer (not JSON, a missing key, an id that was
 * never trained on) gives status 400 and {@code {"error": "..."}} naming the problem; it never
 * reaches the model, so it cannot break the worker.
 */
public final class RatingTranslator implements ServingTranslator {

    static final String ERROR = "embtrain.error";
    static final String PAIRS = "embtrain.pairs";
    static final String SINGLE = "embtrain.single";
    static final String TOP_K = "embtrain.topk";

    private Map<String, Integer> users;
    private Map<String, Integer> items;
    private TopKItems topK;

    /** {@inheritDoc} */
    @Override
    public void setArguments(Map<String, ?> arguments) {
        // Everything this translator needs is in the model directory.
    }

    /** {@inheritDoc} */
    @Override
    public void prepare(TranslatorContext ctx) throws IOException {
        if (users == null) {
            Path dir = ctx.getModel().getModelPath();
            users = VocabularyFile.index(dir.resolve("vocab/user.txt"), false);
            items = VocabularyFile.index(dir.resolve("vocab/item.txt"), false);
            topK = TopKItems.read(dir);
        }
    }

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, Input input) {
        NDManager manager = ctx.getNDManager();
        try {
            JsonElement json = json(input.getData() == null ? "" : input.getData().getAsString());
            ctx.setAttachment(SINGLE, json.isJsonObject());
            JsonObject similar = topK.similar(json, ctx.getModel().getBlock());
            if (similar != null) {
                ctx.setAttachment(TopKItems.SIMILAR, similar);
                return new NDList(manager.zeros(new Shape(1, 2), ai.djl.ndarray.types.DataType.INT64));
            }
            List<String[]> pairs = topK.expand(json, users, ctx);
            if (pairs == null) {
                pairs = pairs(json);
            }
            long[] ids = new long[pairs.size() * 2];
            for (int i = 0; i < pairs.size(); i++) {
                ids[2 * i] = lookup(users, "user", pairs.get(i)[0], i, pairs.size());
                ids[2 * i + 1] = lookup(items, "item", pairs.get(i)[1], i, pairs.size());
            }
            ctx.setAttachment(PAIRS, pairs);
            return new NDList(manager.create(ids, new Shape(pairs.size(), 2)));
        } catch (BadRequest e) {
            ctx.setAttachment(ERROR, e.getMessage());
            // A harmless row (both unknown) keeps the forward pass valid; the output is the error.
            return new NDList(manager.zeros(new Shape(1, 2), ai.djl.ndarray.types.DataType.INT64));
        }
    }

    /** {@inheritDoc} */
    @Override
    public Output processOutput(TranslatorContext ctx, NDList list) {
        return respond(ctx, list, false);
    }

    /**
     * Answers a request whose pairs and error {@code processInput} attached to the context: 400
     * with {@code {"error": ...}}, or each pair with its {@code rating} (a regression) or its
     * {@code logit} and {@code probability} (a binary head), one object for a one-pair request.
     */
    @SuppressWarnings("unchecked")
    static Output respond(TranslatorContext ctx, NDList list, boolean binary) {
        Object error = ctx.getAttachment(ERROR);
        if (error != null) {
            return Responses.error(error.toString());
        }
        Object similar = ctx.getAttachment(TopKItems.SIMILAR);
        if (similar != null) {
            return Responses.ok((JsonObject) similar);
        }
        List<String[]> pairs = (List<String[]>) ctx.getAttachment(PAIRS);
        float[] scores = list.head().toFloatArray();
        Object request = ctx.getAttachment(TOP_K);
        if (request != null) {
            return Responses.ok(((TopKItems.Request) request).answer(scores, binary));
        }
        JsonArray all = new JsonArray();
        for (int i = 0; i < pairs.size(); i++) {
            JsonObject o = new JsonObject();
            o.addProperty("user", pairs.get(i)[0]);
            o.addProperty("item", pairs.get(i)[1]);
            if (binary) {
                o.addProperty("logit", scores[i]);
                o.addProperty("probability", (float) (1 / (1 + Math.exp(-scores[i]))));
            } else {
                o.addProperty("rating", scores[i]);
            }
            all.add(o);
        }
        return Responses.ok(Boolean.TRUE.equals(ctx.getAttachment(SINGLE)) ? all.get(0) : all);
    }

    static JsonElement json(String text) {
        try {
            return JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new BadRequest("the request is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    static List<String[]> pairs(JsonElement json) {
        List<String[]> pairs = new ArrayList<>();
        if (json.isJsonObject()) {
            pairs.add(pair(json.getAsJsonObject(), -1));
        } else if (json.isJsonArray() && !json.getAsJsonArray().isEmpty()) {
            JsonArray array = json.getAsJsonArray();
            for (int i = 0; i < array.size(); i++) {
                if (!array.get(i).isJsonObject()) {
                    throw new BadRequest("element " + i + " of the list is not an object with \"user\" and \"item\"");
                }
                pairs.add(pair(array.get(i).getAsJsonObject(), i));
            }
        } else {
            throw new BadRequest("expected {\"user\": ..., \"item\": ...} or a non-empty list of them");
        }
        return pairs;
    }

    private static String[] pair(JsonObject o, int index) {
        return new String[] {id(o, "user", index), id(o, "item", index)};
    }

    private static String id(JsonObject o, String key, int index) {
        return Responses.text(o, key, index < 0 ? "" : " in element " + index);
    }

    static long lookup(Map<String, Integer> vocabulary, String key, String id, int index, int size) {
        Integer i = vocabulary.get(id);
        if (i == null) {
            throw new BadRequest("unknown " + key + " \"" + id + "\"" + (size > 1 ? " in element " + index : "")
                    + ": the model was not trained on it");
        }
        return i;
    }

    static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** {@inheritDoc} */
    @Override
    public Batchifier getBatchifier() {
        return null; // a request is already a batch of pairs
    }

    /** A request that cannot be answered; becomes a 400 output. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }
}
