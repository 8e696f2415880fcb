package dev.embtrain.models.serving;

import ai.djl.translate.TranslatorContext;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.embtrain.models.shared.TopK;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The top-k request a rating model's serving directory answers besides pairs:
 * {@code {"user": "42", "k": 10}} scores the user against every item of {@code vocab/item.txt}
 * and answers {@code {"user": "42", "seen_excluded": true, "items": [{"item": ..., "rating": ...},
 * ...]}}, best first, ties in vocabulary order, leaving out the items the user rated in training
 * when the run exported {@code vocab/seen.txt} (as {@code embtrain recommend} does); and
 * {@code {"item": "242", "k": 10}}, the items nearest it in the model's item table ({@link #similar}).
 */
final class TopKItems {

    private final List<String> items;
    private final int[][] seen;

    private TopKItems(List<String> items, int[][] seen) {
        this.items = items;
        this.seen = seen;
    }

    /**
     * Reads the item vocabulary and, where exported, each user's training items.
     *
     * @param dir the model directory
     * @return the top-k source
     * @throws IOException when a file cannot be read
     */
    static TopKItems read(Path dir) throws IOException {
        List<String> items = Files.readAllLines(dir.resolve("vocab/item.txt"), StandardCharsets.UTF_8);
        Path file = dir.resolve("vocab/seen.txt");
        int[][] seen = Files.isRegularFile(file) ? dev.embtrain.models.shared.SeenFile.read(file) : null;
        return new TopKItems(items, seen);
    }

    /**
     * A top-k request, attached to the context between input and output.
     *
     * @param user the user's id
     * @param k how many items
     * @param leaveOut per item vocabulary index, whether it is left out
     * @param seenExcluded whether training items were left out
     * @param items the item vocabulary
     */
    record Request(String user, int k, boolean[] leaveOut, boolean seenExcluded, List<String> items) {

        /**
         * Answers from the scores of the pairs {@link #expand} made, one per item from index 1.
         *
         * @param scores the model's outputs
         * @param binary whether they are logits
         * @return the answer
         */
        JsonObject answer(float[] scores, boolean binary) {
            TopK top = new TopK(k);
            for (int i = 1; i < items.size(); i++) {
                if (!leaveOut[i]) {
                    top.offer(i, scores[i - 1]);
                }
            }
            TopK.Result r = top.drainBestFirst();
            JsonArray list = new JsonArray();
            for (int j = 0; j < r.indices().length; j++) {
                JsonObject o = new JsonObject();
                o.addProperty("item", items.get(r.indices()[j]));
                o.addProperty(binary ? "logit" : "rating", (float) r.scores()[j]);
                list.add(o);
            }
            JsonObject out = new JsonObject();
            out.addProperty("user", user);
            out.addProperty("seen_excluded", seenExcluded);
            out.add("items", list);
            return out;
        }
    }

    /**
     * Turns a top-k request into the pairs to score, attaching it to the context.
     *
     * @param json the request
     * @param users the user vocabulary, id to index
     * @param ctx the context
     * @return one (user, item) pair per item from index 1, or null for a request without {@code k}
     * @throws RatingTranslator.BadRequest for a bad {@code k}, an unknown user or a top-k request
     *     that also names an item
     */
    List<String[]> expand(JsonElement json, Map<String, Integer> users, TranslatorContext ctx) {
        if (!json.isJsonObject() || !json.getAsJsonObject().has("k")) {
            return null;
        }
        JsonObject o = json.getAsJsonObject();
        if (o.has("item") && o.has("user")) {
            throw new RatingTranslator.BadRequest("a top-k request names a user and k, or an item and k, not both");
        }
        if (!o.has("user")) {
            return null;
        }
        String user = Responses.text(o, "user", "");
        int k = k(o);
        Integer u = users.get(user);
        if (u == null) {
            throw new RatingTranslator.BadRequest("unknown user \"" + user + "\": the model was not trained on it");
        }
        boolean[] leaveOut = new boolean[items.size()];
        if (seen != null && u < seen.length) {
            for (int i : seen[u]) {
                leaveOut[i] = true;
            }
        }
        List<String[]> pairs = new ArrayList<>(items.size() - 1);
        for (int i = 1; i < items.size(); i++) {
            pairs.add(new String[] {user, items.get(i)});
        }
        ctx.setAttachment(RatingTranslator.TOP_K, new Request(user, k, leaveOut, seen != null, items));
        return pairs;
    }

    static final String SIMILAR = "embtrain.similar";

    /** The item table's parameter in each rating model: dot-product-bias, deep-collaborative, the FM and W&D. */
    private static final List<String> ITEM_TABLES = List.of("item_factors", "item_embedding", "item");

    /** The item table's rows scaled to unit length, built on the first similar-items request. */
    private float[][] normalized;

    /**
     * A similar-items request: {@code {"item": "242", "k": 10}} answers the k items whose rows of
     * the model's item table are most cosine-similar to the item's (the item itself and the
     * unknown row left out), as {@code embtrain neighbors --table item} finds them.
     *
     * @param item the item's id
     * @param answer the answer
     */
    record Similar(String item, JsonObject answer) {}

    /**
     * Answers a similar-items request, if this is one.
     *
     * @param json the request
     * @param block the model's block
     * @return the answer, or null for another request
     * @throws RatingTranslator.BadRequest for a bad {@code k}, an unknown item or a model with no
     *     item table
     */
    synchronized JsonObject similar(JsonElement json, ai.djl.nn.Block block) {
        if (!json.isJsonObject() || !json.getAsJsonObject().has("k") || json.getAsJsonObject().has("user")
                || !json.getAsJsonObject().has("item")) {
            return null;
        }
        JsonObject o = json.getAsJsonObject();
        String item = Responses.text(o, "item", "");
        int k = k(o);
        int row = items.indexOf(item);
        if (row < 1) {
            throw new RatingTranslator.BadRequest("unknown item \"" + item + "\": the model was not trained on it");
        }
        if (normalized == null) {
            // By name: the block's class may come from another class loader than this translator's.
            ai.djl.nn.Parameter table = null;
            for (String name : ITEM_TABLES) {
                if (block != null && block.getParameters().contains(name)) {
                    table = block.getParameters().get(name);
                    break;
                }
            }
            if (table == null) {
                throw new RatingTranslator.BadRequest("this model has no item table to find similar items in");
            }
            ai.djl.ndarray.NDArray a = table.getArray();
            int cols = (int) a.getShape().get(1);
            float[] flat = dev.embtrain.models.LargeArrays.toFloats(a);
            float[][] m = new float[flat.length / cols][cols];
            for (int r = 0; r < m.length; r++) {
                double norm = 0;
                for (int c = 0; c < cols; c++) {
                    norm += flat[r * cols + c] * (double) flat[r * cols + c];
                }
                double scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
                for (int c = 0; c < cols; c++) {
                    m[r][c] = (float) (flat[r * cols + c] * scale);
                }
            }
            normalized = m;
        }
        TopK top = new TopK(k);
        for (int r = 1; r < normalized.length; r++) {
            if (r != row) {
                double dot = 0;
                for (int c = 0; c < normalized[r].length; c++) {
                    dot += normalized[row][c] * normalized[r][c];
                }
                top.offer(r, dot);
            }
        }
        TopK.Result res = top.drainBestFirst();
        JsonArray list = new JsonArray();
        for (int j = 0; j < res.indices().length; j++) {
            JsonObject e = new JsonObject();
            e.addProperty("item", items.get(res.indices()[j]));
            e.addProperty("cosine", (float) res.scores()[j]);
            list.add(e);
        }
        JsonObject out = new JsonObject();
        out.addProperty("item", item);
        out.add("similar", list);
        return out;
    }

    private static int k(JsonObject o) {
        try {
            int k = o.get("k").getAsJsonPrimitive().getAsInt();
            if (k < 1 || o.get("k").getAsDouble() != k) {
                throw new NumberFormatException();
            }
            return k;
        } catch (RuntimeException e) {
            throw new RatingTranslator.BadRequest("\"k\" must be a whole number >= 1, found " + o.get("k"));
        }
    }
}
