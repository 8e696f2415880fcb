package dev.embtrain.models.serving;

import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.translate.TranslatorContext;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The one response writer of every embtrain translator, and the request parsing they share:
 * 200 with a JSON body, or 400 with {@code {"error": "..."}} naming what is wrong with the
 * request. A bad request never reaches the model, so it cannot break the worker.
 */
final class Responses {

    /** The most neighbours a request may ask for. */
    static final int MAX_K = 10_000;

    private Responses() {}

    /**
     * Returns a 200 answer.
     *
     * @param body the JSON body
     * @return the output
     */
    static Output ok(JsonElement body) {
        Output out = new Output();
        out.add(body.toString());
        out.addProperty("Content-Type", "application/json");
        return out;
    }

    /**
     * Returns a 400 answer.
     *
     * @param message what is wrong with the request
     * @return the output
     */
    static Output error(String message) {
        Output out = new Output(400, "Bad Request");
        JsonObject body = new JsonObject();
        body.addProperty("error", message);
        out.add(body.toString());
        out.addProperty("Content-Type", "application/json");
        return out;
    }

    /**
     * Parses a request's body.
     *
     * @param input the request
     * @return its JSON
     * @throws RatingTranslator.BadRequest when it is not JSON
     */
    static JsonElement parse(Input input) {
        return RatingTranslator.json(input.getData() == null ? "" : input.getData().getAsString());
    }

    /**
     * Reads a key that must be a string or a number (an id: 196 and "196" are the same).
     *
     * @param o the object
     * @param key the key
     * @param where e.g. {@code " in element 2"}, or empty
     * @return its text
     */
    static String text(JsonObject o, String key, String where) {
        JsonElement v = o.get(key);
        if (v == null || v.isJsonNull()) {
            throw new RatingTranslator.BadRequest("\"" + key + "\" is missing" + where);
        }
        if (!v.isJsonPrimitive() || ((JsonPrimitive) v).isBoolean()) {
            throw new RatingTranslator.BadRequest("\"" + key + "\"" + where + " must be a string or a number, found "
                    + v);
        }
        JsonPrimitive p = v.getAsJsonPrimitive();
        return p.isNumber() ? p.getAsNumber().toString() : p.getAsString();
    }

    /**
     * Reads the optional {@code k}.
     *
     * @param o the request
     * @param otherwise the default
     * @return k, in [1, {@link #MAX_K}]
     */
    static int k(JsonObject o, int otherwise) {
        JsonElement v = o.get("k");
        if (v == null || v.isJsonNull()) {
            return otherwise;
        }
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
            double d = v.getAsDouble();
            if (d == Math.rint(d) && d >= 1 && d <= MAX_K) {
                return (int) d;
            }
        }
        throw new RatingTranslator.BadRequest("\"k\" must be a whole number from 1 to " + MAX_K + ", found " + v);
    }

    /**
     * Reads {@code serving.properties} of the model directory.
     *
     * @param ctx the translator's context
     * @return the properties
     * @throws IOException when the file cannot be read
     */
    static Properties properties(TranslatorContext ctx) throws IOException {
        Properties p = new Properties();
        Path file = ctx.getModel().getModelPath().resolve("serving.properties");
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return p;
    }

    /**
     * Copies a loaded table out of the model's parameters, by the parameter's name.
     *
     * @param ctx the translator's context
     * @param name the parameter
     * @return its rows
     */
    static float[][] table(TranslatorContext ctx, String name) {
        Parameter p = ctx.getModel().getBlock().getParameters().get(name);
        if (p == null) {
            throw new IllegalStateException("the model has no parameter \"" + name + "\"; its parameters are "
                    + ctx.getModel().getBlock().getParameters().keys());
        }
        NDArray array = p.getArray();
        int rows = (int) array.getShape().get(0);
        int cols = (int) array.getShape().get(1);
        float[] flat = array.toFloatArray();
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, out[r], 0, cols);
        }
        return out;
    }
}
