package dev.embtrain.models.serving;

import ai.djl.modality.Output;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslatorContext;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.embtrain.models.shared.Cosine;
import dev.embtrain.models.shared.TopK;
import dev.embtrain.models.shared.VocabularyFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Serves an item table (item2vec's): the items nearest one item, or a basket, by cosine over
 * the trained vectors.
 *
 * <ul>
 *   <li>{@code {"item": "85123A", "k": 10}} or {@code {"item": "WHITE HANGING HEART T-LIGHT HOLDER"}}
 *       (an id, else a label, exact, else ignoring case) gives {@code {"item": ..., "label": ...,
 *       "neighbors": [{"item": ..., "label": ..., "score": ...}, ...]}};
 *   <li>{@code {"items": ["85123A", "22423"]}} scores against the mean of the basket's vectors and
 *       leaves the basket's items out: {@code {"items": [...], "neighbors": [...]}}.
 * </ul>
 * {@code k} defaults to 10. Row 0, the unknown slot, is never an answer; an unknown item is a
 * 400 naming it.
 */
public final class NeighborsTranslator extends TableTranslator {

    private static final int DEFAULT_K = 10;

    private List<String> ids;
    private List<String> labels;
    private final Map<String, Integer> byId = new HashMap<>();
    private final Map<String, Integer> byLabel = new HashMap<>();
    private final Map<String, Integer> byLowerLabel = new HashMap<>();
    private float[][] table;
    private boolean cbow;

    /** {@inheritDoc} */
    @Override
    public void prepare(TranslatorContext ctx) throws IOException {
        if (table != null) {
            return;
        }
        Path dir = ctx.getModel().getModelPath();
        Properties p = Responses.properties(ctx);
        cbow = "cbow".equals(p.getProperty("mode"));
        ids = Files.readAllLines(dir.resolve("vocab/item.txt"), StandardCharsets.UTF_8);
        labels = Files.readAllLines(dir.resolve("vocab/item.labels.txt"), StandardCharsets.UTF_8);
        byId.putAll(VocabularyFile.index(dir.resolve("vocab/item.txt"), false));
        for (int i = 1; i < ids.size(); i++) {
            byLabel.putIfAbsent(labels.get(i), i);
            byLowerLabel.putIfAbsent(labels.get(i).toLowerCase(Locale.ROOT), i);
        }
        table = Responses.table(ctx, p.getProperty("table", "input"));
    }

    @Override
    NDList zeros(NDManager manager) {
        return new NDList(manager.zeros(cbow ? new Shape(1, 1) : new Shape(1), DataType.INT64),
                manager.zeros(new Shape(1, 1), DataType.INT64));
    }

    @Override
    Output answer(JsonElement json) {
        if (!json.isJsonObject()) {
            throw new RatingTranslator.BadRequest("expected {\"item\": ..., \"k\": 10} or {\"items\": [...]}");
        }
        JsonObject o = json.getAsJsonObject();
        int k = Responses.k(o, DEFAULT_K);
        boolean[] skip = new boolean[table.length];
        skip[0] = true;
        JsonObject out = new JsonObject();
        float[] query;
        if (o.has("items")) {
            if (!o.get("items").isJsonArray() || o.getAsJsonArray("items").isEmpty()) {
                throw new RatingTranslator.BadRequest("\"items\" must be a non-empty list of items");
            }
            JsonArray basket = o.getAsJsonArray("items");
            Set<Integer> rows = new LinkedHashSet<>();
            JsonArray named = new JsonArray();
            for (int i = 0; i < basket.size(); i++) {
                JsonObject wrapper = new JsonObject();
                wrapper.add("item", basket.get(i));
                int row = row(Responses.text(wrapper, "item", " in element " + i + " of \"items\""));
                rows.add(row);
                named.add(ids.get(row));
            }
            int[] which = rows.stream().mapToInt(Integer::intValue).toArray();
            for (int r : which) {
                skip[r] = true;
            }
            query = Cosine.mean(table, which);
            out.add("items", named);
        } else {
            int row = row(Responses.text(o, "item", ""));
            skip[row] = true;
            query = table[row];
            out.addProperty("item", ids.get(row));
            out.addProperty("label", labels.get(row));
        }
        TopK.Result best = Cosine.nearest(table, query, k, skip);
        JsonArray neighbors = new JsonArray();
        for (int r = 0; r < best.indices().length; r++) {
            int i = best.indices()[r];
            JsonObject n = new JsonObject();
            n.addProperty("item", ids.get(i));
            n.addProperty("label", labels.get(i));
            n.addProperty("score", best.scores()[r]);
            neighbors.add(n);
        }
        out.add("neighbors", neighbors);
        return Responses.ok(out);
    }

    private int row(String item) {
        Integer row = byId.get(item);
        if (row == null) {
            row = byLabel.get(item);
        }
        if (row == null) {
            row = byLowerLabel.get(item.toLowerCase(Locale.ROOT));
        }
        if (row == null) {
            throw new RatingTranslator.BadRequest("unknown item \"" + item + "\": neither an id nor a label the model"
                    + " was trained on");
        }
        return row;
    }
}
