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
 * when the run exported {@code vocab/seen.txt} (as {@code embtrain recommend} does).
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
        int[][] seen = null;
        if (Files.isRegularFile(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            seen = new int[lines.size()][];
            for (int u = 0; u < lines.size(); u++) {
                String line = lines.get(u);
                String[] f = line.isEmpty() ? new String[0] : line.split(" ");
                seen[u] = new int[f.length];
                for (int i = 0; i < f.length; i++) {
                    seen[u][i] = Integer.parseInt(f[i]);
                }
            }
        }
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
        if (o.has("item")) {
            throw new RatingTranslator.BadRequest("a top-k request names a user and k, not an item");
        }
        String user = Responses.text(o, "user", "");
        int k;
        try {
            k = o.get("k").getAsJsonPrimitive().getAsInt();
            if (k < 1 || o.get("k").getAsDouble() != k) {
                throw new NumberFormatException();
            }
        } catch (RuntimeException e) {
            throw new RatingTranslator.BadRequest("\"k\" must be a whole number >= 1, found " + o.get("k"));
        }
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
}
